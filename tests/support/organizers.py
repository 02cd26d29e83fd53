"""Admins and organizers with a second factor, and logging them in through the real pages (a plugin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from rueckkehr.accounts.models import Role, User
from rueckkehr.dates import utcnow
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from tests.support.units import start_writing

PASSWORD = "correct horse battery staple"


def totp_code(user: User, offset_steps: int = 0) -> str:
    """The code the person's app shows now (or some steps later)."""
    totp = pyotp.TOTP(user.totp_secret)
    return totp.at(utcnow().timestamp() + offset_steps * totp.interval)


@pytest.fixture
def make_staff(app: Flask) -> Callable[..., User]:
    """Make an admin or organizer with an enrolled second factor (an organizer of Senftenberg unless told)."""
    counter = iter(range(1, 1000))

    def factory(role: Role = Role.ORGANIZER, towns: list[Town] | None = None, **values: Any) -> User:
        start_writing()
        if towns is None and role == Role.ORGANIZER:
            from sqlalchemy import select

            towns = [db.session.scalars(select(Town).where(Town.slug == "senftenberg")).one()]
        number = next(counter)
        values.setdefault("email", f"staff{number}@stadt.example")
        values.setdefault("full_name", f"Orga Nisator {number}")
        user = User(
            role=role,
            towns=list(towns or []),
            totp_secret=pyotp.random_base32(32),
            totp_enabled_at=utcnow(),
            email_verified_at=utcnow(),
            **values,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def staff_login() -> Callable[[FlaskClient, User], Any]:
    """Log an admin or organizer in: password, then the code of their app."""

    def do(client: FlaskClient, user: User) -> Any:
        start_writing()
        db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))  # a fresh code works
        db.session.commit()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303 and "/login/second-factor" in response.location, response.location
        response = client.post("/login/second-factor", data={"code": totp_code(user)})
        assert response.status_code == 303, response.get_data(as_text=True)
        assert response.location.endswith("/organizer"), response.location
        return response

    return do
