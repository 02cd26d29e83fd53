"""The waiting list: expiry, order, parties that do not fit, the cut-off, and `flask jobs run`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.jobs import expire_unconfirmed, notify_waiting_after_cutoff
from rueckkehr.registrations.models import Registration
from rueckkehr.registrations.operations import RegistrationClosedError, cancel, confirm, register
from rueckkehr.registrations.seats import seats_left
from rueckkehr.returnees.operations import ProfileData
from rueckkehr.transactions import unit_of_work
from tests.support.smtp import SMTPServer
from tests.support.units import committed

PROFILE = ProfileData(first_name="Kim", last_name="Lehmann", postal_code="01968", city="Senftenberg", country="DE")


def sign_up(event: Event, name: str, companions: int = 0, now: datetime | None = None) -> Registration:
    """Register ``name@example.org`` and return the registration."""
    with unit_of_work():
        register(
            event.id, email=f"{name}@example.org", language="de", profile_data=PROFILE, companions=companions,
            optional_consents=[], now=now,
        )  # fmt: skip
    return db.session.scalars(select(Registration).order_by(Registration.id.desc())).first()


def state(*registrations: Registration) -> list[tuple[str, int | None]]:
    """Status and waiting position of each registration, fresh from the database."""
    db.session.expire_all()
    return [(r.status.value, r.waitlist_position) for r in registrations]


def test_a_party_that_does_not_fit_keeps_its_place(app: Flask, make_event: Callable[..., Event]) -> None:
    event = make_event(capacity=3)
    seated = sign_up(event, "a", companions=2)
    big = sign_up(event, "b", companions=1)  # needs 2
    small = sign_up(event, "c")  # needs 1
    for registration in (seated, big, small):
        with unit_of_work():
            confirm(registration.id)
    assert state(seated, big, small) == [("confirmed", None), ("waiting", 1), ("waiting", 2)]
    # One seat comes free: only the small party fits; the big one keeps position 1.
    extra = sign_up(event, "d")
    assert state(extra) == [("waiting", 3)]
    with unit_of_work():
        cancel(seated.id)
    assert state(big, small, extra) == [("confirmed", None), ("confirmed", None), ("waiting", 3)]
    assert seats_left(event) == 0


def test_only_confirmed_waiting_parties_move_up(app: Flask, make_event: Callable[..., Event]) -> None:
    event = make_event(capacity=1)
    seated = sign_up(event, "a")
    unconfirmed = sign_up(event, "b")
    confirmed_later = sign_up(event, "c")
    with unit_of_work():
        confirm(seated.id)
    with unit_of_work():
        confirm(confirmed_later.id)
    with unit_of_work():
        cancel(seated.id)
    assert state(unconfirmed, confirmed_later) == [("waiting", 1), ("confirmed", None)]


def test_unconfirmed_registrations_expire_and_free_their_seats(
    app: Flask, make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    now = datetime.now(UTC)
    event = make_event(capacity=1, starts_at=now + timedelta(days=10))
    lapsing = sign_up(event, "a", now=now)
    waiting = sign_up(event, "b", now=now)
    with unit_of_work():
        confirm(waiting.id, now=now)
    assert committed(expire_unconfirmed, now + timedelta(hours=47)) == 0
    assert committed(expire_unconfirmed, now + timedelta(hours=48)) == 1
    assert state(lapsing, waiting) == [("expired", None), ("confirmed", None)]


def test_expiry_is_never_later_than_two_hours_before_the_start(app: Flask, make_event: Callable[..., Event]) -> None:
    now = datetime.now(UTC)
    event = make_event(starts_at=now + timedelta(hours=30), registration_closes_at=now + timedelta(hours=29))
    registration = sign_up(event, "a", now=now)
    assert registration.expires_at == event.starts_at - timedelta(hours=2)
    assert committed(expire_unconfirmed, event.starts_at - timedelta(hours=2, seconds=1)) == 0
    assert committed(expire_unconfirmed, event.starts_at - timedelta(hours=2)) == 1


def test_no_promotion_after_the_cutoff_and_waiting_people_are_told(
    app: Flask, make_event: Callable[..., Event], runner: FlaskCliRunner, smtp: SMTPServer
) -> None:
    now = datetime.now(UTC)
    event = make_event(capacity=1, starts_at=now + timedelta(hours=30), registration_closes_at=now + timedelta(hours=6))
    seated = sign_up(event, "a", now=now)
    waiting = sign_up(event, "b", now=now)
    with unit_of_work():
        confirm(seated.id, now=now)
    with unit_of_work():
        confirm(waiting.id, now=now)
    after_cutoff = event.starts_at - timedelta(hours=23)
    with unit_of_work():
        cancel(seated.id, now=after_cutoff)
    assert state(waiting) == [("waiting", 1)]
    assert seats_left(event) == 1  # kept for people at the door
    assert committed(notify_waiting_after_cutoff, after_cutoff) == 1
    assert committed(notify_waiting_after_cutoff, after_cutoff) == 0  # told once
    runner.invoke(args=["outbox", "send"])
    subjects = {mail.message["Subject"] for mail in smtp.wait_for(5) if mail.envelope_to == ["b@example.org"]}
    assert f"Warteliste geschlossen: {event.title}" in subjects


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": EventStatus.CANCELLED}, "cancelled"),
        ({"registration_opens_at_delta": timedelta(days=1)}, "not_yet_open"),
        ({"registration_closes_at_delta": -timedelta(minutes=1)}, "closed"),
    ],
)
def test_registration_follows_the_window(
    app: Flask, make_event: Callable[..., Event], changes: dict[str, object], reason: str
) -> None:
    now = datetime.now(UTC)
    values = {key: value for key, value in changes.items() if not key.endswith("_delta")}
    for key, delta in changes.items():
        if key.endswith("_delta"):
            values[key.removesuffix("_delta")] = now + delta
    event = make_event(**values)
    with pytest.raises(RegistrationClosedError) as closed:
        sign_up(event, "a", now=now)
    assert closed.value.state == reason


def test_flask_jobs_run_expires_and_delivers(
    app: Flask, make_event: Callable[..., Event], runner: FlaskCliRunner, smtp: SMTPServer
) -> None:
    now = datetime.now(UTC)
    event = make_event(capacity=1)
    lapsing_id = sign_up(event, "a", now=now - timedelta(hours=49)).id
    waiting = sign_up(event, "b", now=now - timedelta(hours=49))
    with unit_of_work():
        confirm(waiting.id, now=now - timedelta(hours=48))  # confirmed in time; the other one never is
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert "registrations.expire: 1" in result.output
    assert state(waiting) == [("confirmed", None)]
    to_b = [m.message["Subject"] for m in smtp.wait_for(3) if m.envelope_to == ["b@example.org"]]
    assert f"Ein Platz ist frei geworden: {event.title}" in to_b
    # a@ never confirmed and their registration lapsed: the purge job erased them, their mail history included.
    assert "registrations.purge: 1" in result.output
    assert db.session.get(Registration, lapsing_id) is None
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "a@example.org")).all() == []
    again = runner.invoke(args=["jobs", "run"])
    assert "registrations.expire: 0" in again.output
