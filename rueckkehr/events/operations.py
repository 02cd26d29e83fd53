"""Changes organizers make to a published event: move it in time or place, or call it off.

Every change takes the event's lock, raises the event's SEQUENCE (files and feeds) and mails the registrants an
updated invitation or a cancellation in their language, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..database import utcnow
from ..extensions import db
from ..places.models import Venue
from ..registrations import notifications
from ..registrations.models import ACTIVE, Registration, RegistrationStatus
from ..registrations.operations import confirmation_deadline, lock_event
from .calendar import change_note, location_text
from .models import Event, EventStatus


class EventChangeError(ValueError):
    """A change that cannot be made, e.g. an end before the start or a change to a cancelled event."""


def _registrations(event_id: int, statuses: tuple[RegistrationStatus, ...]) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status.in_(statuses))
            .order_by(Registration.id)
        )
    )


def change_event(
    event_id: int,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    venue_id: int | None = None,
    now: datetime | None = None,
) -> Event:
    """Move an event in time or to another venue; confirmed registrants of a published event get updated invites.

    Arguments left out keep their value; a change to the same value sends nothing.
    """
    now = now or utcnow()
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        db.session.rollback()
        raise EventChangeError("cancelled")
    old_starts_at, old_ends_at, old_location = event.starts_at, event.ends_at, location_text(event)
    new_starts_at = starts_at or event.starts_at
    new_ends_at = ends_at or event.ends_at
    if new_ends_at <= new_starts_at:
        db.session.rollback()
        raise EventChangeError("ends_before_start")
    time_changed = (new_starts_at, new_ends_at) != (event.starts_at, event.ends_at)
    venue_changed = venue_id is not None and venue_id != event.venue_id
    if not (time_changed or venue_changed):
        db.session.rollback()
        return event
    if venue_changed:
        venue = db.session.get(Venue, venue_id)
        if venue is None:
            db.session.rollback()
            raise EventChangeError("unknown_venue")
        event.venue = venue
    event.starts_at, event.ends_at = new_starts_at, new_ends_at
    event.sequence += 1
    event.updated_at = now
    for pending in _registrations(event.id, (RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)):
        if pending.confirmed_at is None:  # still never later than two hours before the (new) start
            pending.expires_at = confirmation_deadline(event, pending.created_at)
    db.session.flush()
    if event.status == EventStatus.PUBLISHED:
        for registration in _registrations(event.id, (RegistrationStatus.CONFIRMED,)):
            registration.sequence += 1
            db.session.flush()
            notifications.event_changed(
                registration,
                lambda: change_note(
                    event,
                    old_starts_at=old_starts_at if time_changed else None,
                    old_ends_at=old_ends_at if time_changed else None,
                    old_location=old_location if venue_changed else None,
                ),
            )
    db.session.commit()
    return event


def cancel_event(event_id: int, now: datetime | None = None) -> Event:
    """Call an event off: every active registrant is told; those holding an invitation get a CANCEL for it.

    The registrations keep their state (the event's status says it all); the event stays public as cancelled.
    """
    now = now or utcnow()
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        db.session.rollback()
        return event
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.sequence += 1
    event.updated_at = now
    db.session.flush()
    if was_published:
        for registration in _registrations(event.id, ACTIVE):
            holds_invite = registration.status == RegistrationStatus.CONFIRMED
            if holds_invite:
                registration.sequence += 1
                db.session.flush()
            notifications.event_cancelled(registration, with_invite=holds_invite)
    db.session.commit()
    return event
