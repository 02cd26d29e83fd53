"""Logging out ends the session on the server: a copy of the cookie taken before opens nothing afterwards; "log
out everywhere" ends every browser's session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.audit.models import AuditEntry
from rueckkehr.employers.models import Employer
from rueckkehr.extensions import db


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (as an attacker who copied it would)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_logout_no_longer_opens_the_employer_area(
    app: Flask, client: FlaskClient, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    login(client, make_employer().users[0].email)
    thief = copy_of(client, app)
    assert thief.get("/employer").status_code == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 303
    assert thief.get("/employer").status_code == 302  # sent to log in
    assert client.get("/employer").status_code == 302


def test_log_out_everywhere_ends_every_browsers_session(
    app: Flask, client: FlaskClient, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    employer = make_employer()
    login(client, employer.users[0].email)
    laptop = app.test_client()
    login(laptop, employer.users[0].email)
    assert laptop.get("/employer").status_code == 200
    assert "Überall abmelden" in client.get("/employer").get_data(as_text=True)
    client.post("/logout/everywhere")
    assert laptop.get("/employer").status_code == 302
    assert client.get("/employer").status_code == 302
    login(laptop, employer.users[0].email)  # logging in again works
    assert laptop.get("/employer").status_code == 200


def test_a_log_out_is_recorded_on_the_account_that_logged_out(
    client: FlaskClient, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    user = make_employer().users[0]
    login(client, user.email)
    client.post("/logout")
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "user.logged_out")).one()
    assert (entry.object_type, entry.object_id, entry.actor_user_id) == ("user", user.id, user.id)
