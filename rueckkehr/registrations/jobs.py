"""The periodic jobs of registrations: lapse unconfirmed ones, tell the waiting list after the cut-off, remind.

Each runs as one unit of work of the job runner, in the system's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from ..database import rows_changed
from ..dates import utcnow
from ..events.models import Event, EventStatus
from ..events.operations import lock_event
from ..extensions import db
from . import notifications
from .models import Registration, RegistrationStatus
from .operations import lapse, promote, record_change

UNCONFIRMED = (RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)


def _lapsed(now: datetime, event_id: int | None = None) -> list[Registration]:
    query = select(Registration).where(
        Registration.confirmed_at.is_(None),
        Registration.status.in_(UNCONFIRMED),
        Registration.expires_at <= now,
    )
    if event_id is not None:
        query = query.where(Registration.event_id == event_id)
    return list(db.session.scalars(query))


def expire_unconfirmed(now: datetime | None = None) -> int:
    """Let unconfirmed registrations lapse; their seats return and the waiting list moves. Returns how many."""
    now = now or utcnow()
    expired = 0
    for event_id in sorted({registration.event_id for registration in _lapsed(now)}):
        event = lock_event(event_id)
        for registration in _lapsed(now, event_id):  # read again under the lock
            lapse(registration)
            expired += 1
        promote(event, now)
    return expired


def _at_events_starting_within(window: timedelta, now: datetime, *conditions: Any) -> list[Registration]:
    """Registrations (matching ``conditions``) of published events that start within ``window`` from now."""
    query = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now, Event.starts_at <= now + window)
        .where(*conditions)
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def notify_waiting_after_cutoff(now: datetime | None = None) -> int:
    """Tell people still waiting once the cut-off has passed that nobody moves up any more."""
    now = now or utcnow()
    waiting = _at_events_starting_within(
        timedelta(hours=current_app.config["PROMOTION_CUTOFF_HOURS"]),
        now,
        Registration.status == RegistrationStatus.WAITING,
        Registration.cutoff_notified_at.is_(None),
        Registration.confirmed_at.is_not(None),
    )
    for registration in waiting:
        registration.cutoff_notified_at = now
        record_change("registration.cutoff_notified", registration)
        notifications.waiting_cutoff(registration)
    return len(waiting)


def send_reminders(now: datetime | None = None) -> int:
    """Remind confirmed registrants ``REMINDER_DAYS_BEFORE`` days before their event, once each. Returns how many.

    Whoever got their seat inside that window has just had the invite and is not reminded again.
    """
    now = now or utcnow()
    window = timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    due = _at_events_starting_within(
        window, now, Registration.status == RegistrationStatus.CONFIRMED, Registration.reminder_sent_at.is_(None)
    )
    sent = 0
    for registration in due:
        seated_at = registration.promoted_at or registration.confirmed_at
        if seated_at is None or seated_at >= registration.event.starts_at - window:
            continue
        claimed = rows_changed(  # a second runner that got here first has set it already
            update(Registration)
            .where(Registration.id == registration.id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed != 1:
            continue
        db.session.expire(registration, ["reminder_sent_at"])
        record_change("registration.reminded", registration)
        notifications.reminder(registration)
        sent += 1
    return sent
