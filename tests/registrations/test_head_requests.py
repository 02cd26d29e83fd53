"""A HEAD request (link checkers, mail scanners and prefetchers send them) acts no more than a GET: only a POST does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from tests.support.registrations import link_in
from tests.support.smtp import SMTPServer


def status() -> RegistrationStatus:
    db.session.rollback()
    return db.session.scalars(select(Registration)).one().status


def test_a_head_request_on_the_confirmation_link_does_not_confirm(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    submit(make_event().id)
    confirm_path = link_in(smtp.wait_for(1)[0], "/confirm/")

    assert client.head(confirm_path).status_code == 200
    assert status() == RegistrationStatus.UNCONFIRMED
    assert len(smtp.messages) == 1

    client.post(confirm_path)
    assert status() == RegistrationStatus.CONFIRMED


def test_a_head_request_on_the_cancel_page_does_not_cancel(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    submit(make_event().id)
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    manage = link_in(smtp.wait_for(2)[1], "/me/")
    db.session.rollback()
    registration_id = db.session.scalars(select(Registration.id)).one()
    cancel_path = f"{manage}/registrations/{registration_id}/cancel"

    assert client.head(cancel_path).status_code == 200
    assert status() == RegistrationStatus.CONFIRMED

    client.post(cancel_path)
    assert status() == RegistrationStatus.CANCELLED
