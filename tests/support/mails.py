"""A world of mails for the mail tests: a returnee, an event, a company, its user and a stand, named as told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

from rueckkehr.accounts.models import User
from rueckkehr.employers.models import Employer, StandBooking, StandStatus
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.outbox import POLICY, compose_mail
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.transactions import unit_of_work


def hostile_world(
    name: str, make_event: Callable[..., Event], make_employer: Callable[..., Employer]
) -> dict[str, Any]:
    """A returnee, an event, a company, its user and a stand, each named ``name``, stored as they would be.

    A name longer than its column keeps its end (where the attack sits): the forms refuse longer ones, PostgreSQL
    too, and SQLite would store them whole.
    """
    event = make_event(title=fitted(Event.title, name), summary=fitted(Event.summary, name))
    employer = make_employer(name=fitted(Employer.name, name))
    first_name, last_name = fitted(ReturneeProfile.first_name, name), fitted(ReturneeProfile.last_name, name)
    with unit_of_work():
        profile = ReturneeProfile(email="ziel@example.org", first_name=first_name, last_name=last_name,
                                  postal_code="01968", city=fitted(ReturneeProfile.city, name), country="DE",
                                  confirmed_at=datetime.now(UTC))  # fmt: skip
        db.session.add(profile)
        registration = Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED,
                                    confirmed_at=datetime.now(UTC))  # fmt: skip
        waiting = Registration(profile=profile, event_id=event.id, status=RegistrationStatus.WAITING,
                               waitlist_position=1, expires_at=datetime.now(UTC) + timedelta(days=1))  # fmt: skip
        db.session.add_all([registration, waiting])
        user = db.session.get(User, employer.users[0].id)
        user.full_name = fitted(User.full_name, name)
        db.session.add(StandBooking(employer_id=employer.id, event_id=event.id, status=StandStatus.CONFIRMED))
    return {"registration": registration, "waiting": waiting, "profile": profile, "employer": employer, "user": user}


def fitted(column: Any, value: str) -> str:
    """The end of ``value`` that fits the column."""
    return value[-column.type.length :]


def compose(**arguments: Any) -> tuple[Message, bytes]:
    """A mail of ``outbox.compose_mail`` (same arguments) as a mail client reads it, with its bytes."""
    mail = compose_mail(**arguments)
    return message_from_bytes(mail.raw, policy=POLICY), mail.raw
