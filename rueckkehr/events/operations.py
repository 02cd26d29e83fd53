"""Changes organizers make to an event (move it in time or place, or call it off) and the lock every seat change takes.

Every change takes the event's lock, raises the event's SEQUENCE (files and feeds), writes its audit entry and tells
the packages above through ``signals.event_changed`` or ``signals.event_cancelled``, inside the same transaction:
registrations then mails its registrants an updated invitation or a cancellation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from ..audit.operations import record
from ..dates import utcnow
from ..extensions import db
from ..places.models import Venue
from ..transactions import begin_writing
from . import signals
from .calendar import location_text
from .models import Event, EventStatus, WindowFault, fits_hours, window_faults


class EventChangeError(ValueError):
    """A change that cannot be made, e.g. an end before the start or a change to a cancelled event."""


@dataclass(frozen=True)
class EventChange:
    """What an event was before it moved; ``None`` where that part did not change."""

    old_starts_at: datetime | None
    old_ends_at: datetime | None
    old_location: str | None

    @property
    def time_changed(self) -> bool:
        """Whether the event moved in time."""
        return self.old_starts_at is not None

    @property
    def venue_changed(self) -> bool:
        """Whether the event moved to another place."""
        return self.old_location is not None


# Built once: every registration runs one. SQLite's write lock covers the database; FOR NO KEY UPDATE makes holders
# wait for each other as FOR UPDATE does, but rows that merely refer to the event (a registration written before its
# maker takes the lock) need not wait for it.
_READ_EVENTS = (
    select(Event)
    .where(Event.id.in_(bindparam("event_ids", expanding=True)))
    .order_by(Event.id)
    .execution_options(populate_existing=True)
)
_LOCK_EVENTS = _READ_EVENTS.with_for_update(key_share=True)


def lock_events(event_ids: list[int]) -> list[Event]:
    """Hold these events exclusively until the unit of work ends (row locks in id order, so two callers never
    deadlock over them; on SQLite the write lock of the whole database, taken when the transaction began).

    A registration is written before its maker takes this lock and holds a share of its profile's row meanwhile:
    whoever deletes a profile locks its row before any event's (``returnees.operations.erase_profile``)."""
    begin_writing()
    query = _LOCK_EVENTS if db.session.get_bind().dialect.name != "sqlite" else _READ_EVENTS
    return list(db.session.scalars(query, {"event_ids": sorted(set(event_ids))}))


def lock_event(event_id: int) -> Event:
    """Hold one event exclusively until the unit of work ends."""
    [event] = lock_events([event_id])
    return event


def change_event(
    event_id: int,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    venue_id: int | None = None,
    now: datetime | None = None,
) -> Event:
    """Move an event in time or to another venue; registrations answers with updated invitations.

    The programme moves with the start: every item keeps its distance to it (another day at the same time moves the
    items by the days, a new start time by as much). A move that would leave an item which fits the event now outside
    its new hours (an end brought forward past it) is refused with ``EventChangeError("programme_outside")``.
    Arguments left out keep their value; a change to the same value changes nothing.
    """
    now = now or utcnow()
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventChangeError("cancelled")
    new_starts_at = starts_at or event.starts_at
    new_ends_at = ends_at or event.ends_at
    if new_ends_at <= new_starts_at:
        raise EventChangeError("ends_before_start")
    # what the new start breaks (a window saved broken before, closing before it opens, is not the move's doing)
    if new_starts_at != event.starts_at and window_faults(
        event.registration_opens_at, event.registration_closes_at, new_starts_at
    ) & {WindowFault.OPENS_AFTER_START, WindowFault.CLOSES_AFTER_START}:
        raise EventChangeError("registration_window")  # the move form says so; this holds under the lock too
    time_changed = (new_starts_at, new_ends_at) != (event.starts_at, event.ends_at)
    venue_changed = venue_id is not None and venue_id != event.venue_id
    if not (time_changed or venue_changed):
        return event
    shift = new_starts_at - event.starts_at  # the programme moves with the start, each item keeping its offset
    if any(
        item.fits(event.starts_at, event.ends_at)
        and not fits_hours(item.starts_at + shift, item.ends_at and item.ends_at + shift, new_starts_at, new_ends_at)
        for item in event.programme
    ):
        raise EventChangeError("programme_outside")  # a shorter event: the move form names the item; under the lock
    change = EventChange(
        old_starts_at=event.starts_at if time_changed else None,
        old_ends_at=event.ends_at if time_changed else None,
        old_location=location_text(event) if venue_changed else None,
    )
    if venue_changed:
        venue = db.session.get(Venue, venue_id)
        if venue is None:
            raise EventChangeError("unknown_venue")
        event.venue = venue
    moved_items = list(event.programme) if shift else []
    for item in moved_items:
        item.starts_at += shift
        item.ends_at = item.ends_at and item.ends_at + shift
    event.starts_at, event.ends_at = new_starts_at, new_ends_at
    event.sequence += 1
    event.updated_at = now
    db.session.flush()
    record(
        "event.changed",
        event,
        town_id=event.venue.town_id,
        changes={
            "time": time_changed,
            "venue_id": event.venue_id if venue_changed else None,
            "programme_moved": [item.id for item in moved_items],
            "programme_shift_minutes": int(shift.total_seconds() // 60),
        },
    )
    signals.event_changed.send(event, change=change)
    return event


def cancel_event(event_id: int, now: datetime | None = None) -> Event:
    """Call an event off; it stays public as cancelled, and registrations tells its registrants. A draft is not
    called off: it was never public, and a cancelled event is (``EventChangeError``)."""
    now = now or utcnow()
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        return event
    if event.status == EventStatus.DRAFT:
        raise EventChangeError("draft")
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.sequence += 1
    event.updated_at = now
    db.session.flush()
    record("event.cancelled", event, town_id=event.venue.town_id, changes={"was_published": was_published})
    signals.event_cancelled.send(event, was_published=was_published)
    return event


def delete_draft(event_id: int) -> None:
    """Delete a draft made by mistake, with its programme. Only a draft: it was never public, so nobody registered,
    booked a stand or was invited (``EventChangeError`` for any other event, which is called off instead, and for a
    draft that holds registrations after all: walk-ins taken before the desk refused drafts)."""
    event = lock_event(event_id)
    if event.status != EventStatus.DRAFT:
        raise EventChangeError("not_a_draft")
    if any(holds for _receiver, holds in signals.draft_deleting.send(event)):
        raise EventChangeError("has_registrations")  # walk-ins taken at a draft before they were refused
    record("event.deleted", event, town_id=event.venue.town_id, changes={"title": event.title})
    db.session.delete(event)
    db.session.flush()
