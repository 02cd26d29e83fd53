"""What organizers make and edit around events: events, their programme, series and venues; publishing and copying.

Moving an event in time or place and calling it off are ``operations.change_event`` and ``cancel_event``: those
tell the registrants. Everything here flushes and writes its audit entry; the request commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from ..audit.operations import record
from ..dates import BERLIN, utcnow
from ..extensions import db
from ..places.models import Venue
from . import signals
from .models import Event, EventSeries, EventStatus, ProgrammeItem, fits_hours, window_faults
from .operations import EventChangeError, lock_event, lock_events


@dataclass
class EventDetails:
    """What an organizer may change about an event without telling anyone: texts, series, capacity, window."""

    title: str
    summary: str
    description: str
    series_id: int | None
    capacity: int
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None


def _record(verb: str, event: Event, **changes: object) -> None:
    record(verb, event, town_id=event.venue.town_id, changes=changes)


def create_event(details: EventDetails, *, venue: Venue, starts_at: datetime, ends_at: datetime) -> Event:
    """A new draft event; nobody sees it until it is published."""
    if ends_at <= starts_at:
        raise EventChangeError("ends_before_start")
    if window_faults(details.registration_opens_at, details.registration_closes_at, starts_at):
        raise EventChangeError("registration_window")
    event = Event(venue=venue, starts_at=starts_at, ends_at=ends_at, status=EventStatus.DRAFT)
    for field in fields(EventDetails):
        setattr(event, field.name, getattr(details, field.name))
    db.session.add(event)
    db.session.flush()
    _record("event.created", event, capacity=event.capacity)
    return event


def update_details(event_id: int, details: EventDetails) -> list[str]:
    """Change texts, series, capacity and registration window; return the names of the fields that changed.

    A lower capacity never takes a held seat away: the seats stay, and nobody new gets one until enough are free;
    a higher one moves the waiting list up (registrations answers ``signals.capacity_changed``).
    """
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventChangeError("cancelled")
    if window_faults(details.registration_opens_at, details.registration_closes_at, event.starts_at):
        raise EventChangeError("registration_window")
    old_capacity = event.capacity
    changed = []
    for field in fields(EventDetails):
        if getattr(event, field.name) != getattr(details, field.name):
            setattr(event, field.name, getattr(details, field.name))
            changed.append(field.name)
    if not changed:
        return []
    event.updated_at = utcnow()
    db.session.flush()
    _record("event.updated", event, fields=changed, capacity=event.capacity)
    if event.capacity != old_capacity:
        signals.capacity_changed.send(event, old=old_capacity)
    return changed


def publish_events(event_ids: list[int]) -> list[Event]:
    """Publish drafts: they appear on the site and in the feeds; news subscribers are invited once (returnees)."""
    published = []
    for event in lock_events(event_ids):
        if event.status != EventStatus.DRAFT:
            continue
        event.status = EventStatus.PUBLISHED
        event.updated_at = utcnow()
        published.append(event)
    db.session.flush()
    for event in published:
        _record("event.published", event)
    if published:
        signals.events_published.send(published)
    return published


def _moved_title(text: str, years: int, original_year: int) -> str:
    """A title or series name with its year moved along ("Rückkehrertage 2025" → "Rückkehrertage 2026")."""
    return re.sub(rf"\b{original_year}\b", str(original_year + years), text)


def _years_later(moment: datetime, shift: relativedelta) -> datetime:
    """The same Berlin wall-clock time whole years later (10 Uhr stays 10 Uhr where summer time begins or ends on
    another weekday), in UTC."""
    return (moment.astimezone(BERLIN) + shift).astimezone(UTC)


def _moved_window(original: Event, shift: relativedelta, starts_at: datetime) -> tuple[datetime | None, ...]:
    """The registration window moved by whole years with its event; where that breaks a window that worked (the
    29th of February becomes the 28th), it keeps its distance to the moved start instead."""
    opens_at, closes_at = original.registration_opens_at, original.registration_closes_at
    moved = tuple(_years_later(moment, shift) if moment else None for moment in (opens_at, closes_at))
    if window_faults(moved[0], moved[1], starts_at) and not window_faults(opens_at, closes_at, original.starts_at):
        distance = starts_at - original.starts_at
        moved = tuple(moment + distance if moment else None for moment in (opens_at, closes_at))
    return moved


class CopyExistsError(Exception):
    """The event that the copy would be is there already (same venue and beginning, not cancelled): ``event``."""

    def __init__(self, event: Event) -> None:
        super().__init__(event.id)
        self.event = event


def duplicate_for_next_year(event_id: int, now: datetime | None = None) -> Event:
    """Copy a past (or any) event to the same day of the first year in which that day is still ahead, as a
    draft: texts, venue, capacity and registration window move by whole years (at the same Berlin time), the series
    with it; the end and every programme item keep their distance to the copy's start.
    Refused with ``CopyExistsError`` when an event at that venue and beginning exists already (copied before)."""
    now = now or utcnow()
    originals = lock_events([event_id])  # two copies asked at once (a double click) make one
    if not originals:
        raise EventChangeError("unknown_event")
    original = originals[0]
    years = 1
    while _years_later(original.starts_at, relativedelta(years=years)) <= now:
        years += 1
    shift = relativedelta(years=years)
    starts_at = _years_later(original.starts_at, shift)
    existing = db.session.scalar(
        select(Event)
        .where(
            Event.venue_id == original.venue_id,
            Event.starts_at == starts_at,
            Event.status != EventStatus.CANCELLED,
        )
        .limit(1)
    )
    if existing is not None:
        raise CopyExistsError(existing)
    year = original.starts_at.year
    series = original.series
    if series is not None:
        title = _moved_title(series.title, years, year)
        series = db.session.scalar(select(EventSeries).where(EventSeries.title == title)) or EventSeries(
            title=title, description=series.description
        )
    opens_at, closes_at = _moved_window(original, shift, starts_at)
    distance = starts_at - original.starts_at  # what the programme and the end keep: their distance to the start
    copy = Event(
        venue=original.venue,
        series=series,
        title=_moved_title(original.title, years, year),
        summary=original.summary,
        description=original.description,
        starts_at=starts_at,
        ends_at=original.ends_at + distance,
        capacity=original.capacity,
        registration_opens_at=opens_at,
        registration_closes_at=closes_at,
        status=EventStatus.DRAFT,
        programme=[
            ProgrammeItem(
                starts_at=item.starts_at + distance,
                ends_at=item.ends_at + distance if item.ends_at else None,
                title=item.title,
                description=item.description,
            )
            for item in original.programme
        ],
    )
    db.session.add(copy)
    db.session.flush()
    _record("event.duplicated", copy, source_event_id=original.id)
    return copy


def add_programme_item(event_id: int, starts_at: datetime, ends_at: datetime | None, title: str) -> ProgrammeItem:
    """A new item of the programme (calendars follow it), within the event's hours: read under the event's lock, so
    a move meanwhile either came first (and the item is checked against the new hours) or moves the item too."""
    event = lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventChangeError("cancelled")
    if ends_at is not None and ends_at <= starts_at:
        raise EventChangeError("ends_before_start")
    if not fits_hours(starts_at, ends_at, event.starts_at, event.ends_at):
        raise EventChangeError("outside_event")
    item = ProgrammeItem(event=event, starts_at=starts_at, ends_at=ends_at, title=title)
    db.session.add(item)
    db.session.flush()
    _record("event.programme_changed", event, added_item_id=item.id)
    return item


def remove_programme_item(item: ProgrammeItem) -> None:
    """Take an item off the programme (under the event's lock: a cancel meanwhile keeps it as it was told)."""
    event = lock_event(item.event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventChangeError("cancelled")
    event.programme.remove(item)
    event.updated_at = utcnow()  # the count of items changes the calendars' version as well
    db.session.flush()
    _record("event.programme_changed", event, removed_item_id=item.id)


def towns_of_series(series: EventSeries) -> list[int]:
    """The towns a series holds events in, of any state (drafts, past and called-off days show its title too)."""
    held_in = select(Venue.town_id).join(Event, Event.venue_id == Venue.id).where(Event.series_id == series.id)
    return list(db.session.scalars(held_in.distinct().order_by(Venue.town_id)))


def save_series(series: EventSeries | None, title: str, description: str) -> EventSeries:
    """Create a series, or rename and describe one. A change goes to the trail of each town the series holds events
    in (their pages show it; one entry of no town would reach admins alone), or of none while it holds none."""
    if series is None:
        series = EventSeries(title=title, description=description)
        db.session.add(series)
        db.session.flush()
        record("event_series.created", series)
        return series
    changed = [
        name for name, value in (("title", title), ("description", description)) if getattr(series, name) != value
    ]
    if not changed:
        return series
    series.title, series.description = title, description
    db.session.flush()
    towns: list[int | None] = [*towns_of_series(series)]
    for town_id in towns or [None]:
        record("event_series.updated", series, town_id=town_id, changes={"fields": changed})
    return series


@dataclass
class VenueData:
    """A venue as organizers enter it."""

    town_id: int
    name: str
    street: str
    postal_code: str
    locality: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def save_venue(venue: Venue | None, data: VenueData) -> Venue:
    """Create a venue, or correct one (calendars that show it follow)."""
    verb = "venue.updated"
    if venue is None:
        venue = Venue(town_id=data.town_id, name=data.name, street="", postal_code="", locality="")
        db.session.add(venue)
        verb = "venue.created"
    for field in fields(VenueData):
        setattr(venue, field.name, getattr(data, field.name))
    db.session.flush()
    record(verb, venue, town_id=venue.town_id)
    return venue
