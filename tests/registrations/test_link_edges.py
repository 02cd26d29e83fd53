"""Links at their edges: lapsed, cancelled events, revoked calendar links, ids reused after an erasure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.events.operations import cancel_event, change_event
from rueckkehr.extensions import db
from rueckkehr.registrations.jobs import notify_waiting_after_cutoff
from rueckkehr.registrations.links import confirm_url, registration_url
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.registrations.operations import confirm, register
from rueckkehr.returnees.links import manage_url
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.returnees.operations import ProfileData, erase_profile, revoke_links
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer

PROFILE = ProfileData(first_name="Eva", last_name="Engel", postal_code="01968", city="Senftenberg", country="DE")
BASE = "http://rueckkehr.test"


def sign_up(event: Event, email: str, now: datetime | None = None) -> Registration:
    with unit_of_work():
        register(
            event.id, email=email, language="de", profile_data=PROFILE, companions=0, optional_consents=[], now=now
        )
    return db.session.scalars(select(Registration).order_by(Registration.id.desc())).first()


def test_a_lapsed_registration_cannot_be_confirmed_before_the_job_ran(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    registration = sign_up(make_event(), "late@example.org", now=datetime.now(UTC) - timedelta(hours=49))
    path = confirm_url(registration).removeprefix(BASE)
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    db.session.rollback()
    assert db.session.get(Registration, registration.id).confirmed_at is None


def test_confirming_for_a_cancelled_event_says_it_was_called_off(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    registration = sign_up(event, "eva@example.org")
    path = confirm_url(registration).removeprefix(BASE)
    with unit_of_work():
        cancel_event(event.id)
    for response in (client.get(path), client.post(path)):
        assert "Diese Veranstaltung wurde abgesagt." in visible_text(response)
    db.session.rollback()
    assert db.session.get(Registration, registration.id).confirmed_at is None
    assert confirm(registration.id).status == RegistrationStatus.UNCONFIRMED  # the operation refuses it too


def test_nobody_waiting_at_a_cancelled_event_gets_the_cutoff_notice(make_event: Callable[..., Event]) -> None:
    now = datetime.now(UTC)
    event = make_event(capacity=0, starts_at=now + timedelta(hours=30), registration_closes_at=now + timedelta(hours=1))
    with unit_of_work():
        confirm(sign_up(event, "waits@example.org", now=now).id, now=now)
    with unit_of_work():
        cancel_event(event.id)
    assert notify_waiting_after_cutoff(event.starts_at - timedelta(hours=20)) == 0


def test_revoking_also_ends_the_calendar_link(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    registration = sign_up(make_event(), "eva@example.org")
    with unit_of_work():
        confirm(registration.id)
    path = registration_url(registration).removeprefix(BASE)
    assert client.get(path).status_code == 200
    with unit_of_work():
        revoke_links(db.session.get(ReturneeProfile, registration.profile_id))
    assert client.get(path).status_code == 410


def test_an_old_link_never_opens_a_later_profile_with_the_same_id(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    first = sign_up(event, "first@example.org")
    with unit_of_work():
        confirm(first.id)
    old_link = manage_url(db.session.get(ReturneeProfile, first.profile_id)).removeprefix(BASE)
    old_id = first.profile_id
    with unit_of_work():
        erase_profile(old_id)
    second = sign_up(event, "second@example.org")
    with unit_of_work():
        confirm(second.id)
    assert client.get(old_link).status_code == 410
    if second.profile_id == old_id:  # SQLite hands the id out again; the link key still tells them apart
        assert "second@example.org" not in client.get(old_link).get_data(as_text=True)


def test_moving_an_event_earlier_moves_the_confirmation_deadline(make_event: Callable[..., Event]) -> None:
    now = datetime.now(UTC)
    # the registration closes in twelve hours, so the window still fits the earlier start
    event = make_event(starts_at=now + timedelta(days=10), registration_closes_at=now + timedelta(hours=12))
    registration = sign_up(event, "eva@example.org", now=now)
    assert registration.expires_at == now + timedelta(hours=48)
    new_start = now + timedelta(hours=30)
    with unit_of_work():
        change_event(event.id, starts_at=new_start, ends_at=new_start + timedelta(hours=5))
    db.session.rollback()
    assert db.session.get(Registration, registration.id).expires_at == new_start - timedelta(hours=2)


def test_after_the_event_is_called_off_the_registration_shows_it_and_offers_nothing_to_change(
    client: FlaskClient, make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    event = make_event()
    registration = sign_up(event, "eva@example.org")
    with unit_of_work():
        confirm(registration.id)
    overview = manage_url(db.session.get(ReturneeProfile, registration.profile_id)).removeprefix(BASE)
    calendar = registration_url(registration).removeprefix(BASE)
    assert "Anmeldung stornieren" in visible_text(client.get(overview))
    with unit_of_work():
        cancel_event(event.id)
    mails = len(smtp.wait_for(3))  # the request, the confirmation, the cancellation
    for path in (overview, calendar):
        page = client.get(path)
        text = visible_text(page)
        assert "Diese Veranstaltung wurde abgesagt." in text
        assert "Anmeldung stornieren" not in text and "Begleitpersonen ändern" not in text
        assert "QR-Code" not in page.get_data(as_text=True), "no ticket for a day that does not take place"
    overview_cancel = f"{overview}/registrations/{registration.id}/cancel"
    companions = f"{overview}/registrations/{registration.id}/companions"
    assert "Diese Veranstaltung wurde abgesagt." in visible_text(client.get(overview_cancel))
    for path in (overview_cancel, calendar + "/cancel"):
        client.post(path)
    assert client.get(companions).status_code == 404
    with pytest.raises(AssertionError):  # the called-off day already told them: no second cancellation
        smtp.wait_for(mails + 1, timeout=1)
    db.session.rollback()
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CONFIRMED
