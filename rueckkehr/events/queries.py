"""Read-only queries for events, used by the public pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..dates import berlin_today, month_bounds, months_from, utcnow
from ..extensions import db
from ..places.models import Town, Venue
from .models import Event, EventStatus, ProgrammeItem

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@dataclass(frozen=True)
class EventFilter:
    """The filters of the public event list."""

    town: Town | None = None
    month: date | None = None
    past: bool = False


def parse_month(value: str) -> date:
    """Parse ``YYYY-MM`` into the first day of that month; raise ValueError otherwise."""
    parsed = datetime.strptime(value, "%Y-%m")
    if not 2000 <= parsed.year <= 2100:
        raise ValueError(value)
    return parsed.date()


def public_events_query() -> Select[Event]:
    """Events the public may see, with venue and town loaded."""
    return (
        select(Event).where(Event.status.in_(PUBLIC_STATUSES)).options(joinedload(Event.venue).joinedload(Venue.town))
    )


def list_events(filters: EventFilter, now: datetime | None = None) -> list[Event]:
    """Upcoming (or past) public events matching the filters, soonest first (latest first for the past)."""
    return list(db.session.scalars(listed_events_query(filters, now)).unique())


def listed_events_query(filters: EventFilter, now: datetime | None = None) -> Select[Event]:
    """The statement of the event list (``list_events``), for callers that page through it."""
    now = now or utcnow()
    query = public_events_query()
    if filters.past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if filters.town is not None:
        query = query.join(Event.venue).where(Venue.town_id == filters.town.id)
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    return query


# Built once: every event page and every registration runs one of them (building one cost about as much as running it).
_PUBLIC_EVENT = public_events_query().where(Event.id == bindparam("event_id"))
_PUBLIC_EVENT_WITH_PROGRAMME = _PUBLIC_EVENT.options(selectinload(Event.programme))


def get_public_event(event_id: int, *, programme: bool = True) -> Event | None:
    """A public event with its venue and town (and its programme, unless the page shows none), or None."""
    query = _PUBLIC_EVENT_WITH_PROGRAMME if programme else _PUBLIC_EVENT
    return db.session.scalars(query, {"event_id": event_id}).unique().one_or_none()


def next_returnee_days(now: datetime | None = None, limit: int = 6) -> list[Event]:
    """The next published events of the first upcoming series, for the home page."""
    now = now or utcnow()
    upcoming = db.session.scalars(
        public_events_query()
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= now)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list(upcoming.unique())


def all_towns() -> list[Town]:
    """Every RWK town in display order."""
    return list(db.session.scalars(select(Town).order_by(Town.sort_order, Town.name)))


def town_by_slug(slug: str) -> Town | None:
    """The town with this slug, or None (also for text no slug can be, which PostgreSQL would refuse)."""
    if not slug or len(slug) > 64 or "\x00" in slug:
        return None
    return db.session.scalars(select(Town).where(Town.slug == slug)).one_or_none()


def month_choices(now: datetime | None = None, count: int = 12) -> list[date]:
    """The first days of the current and the following months, for the month filter."""
    return months_from(berlin_today(now), count)


@dataclass(frozen=True)
class FeedVersion:
    """What identifies a feed's content without building it: an ETag value and the latest change."""

    etag: str
    last_modified: datetime | None


def _in_feed(town: Town | None, now: datetime) -> list[ColumnElement[bool]]:
    """Published events from ``PAST_EVENTS_IN_FEED_DAYS`` back on, and events cancelled in the last
    ``CANCELLED_EVENTS_IN_FEED_DAYS`` (they stay as cancelled rather than vanish)."""
    config = current_app.config
    cancelled_since = now - timedelta(days=config["CANCELLED_EVENTS_IN_FEED_DAYS"])
    conditions = [
        Event.ends_at >= now - timedelta(days=config["PAST_EVENTS_IN_FEED_DAYS"]),
        or_(
            Event.status == EventStatus.PUBLISHED,
            and_(
                Event.status == EventStatus.CANCELLED,
                func.coalesce(Event.cancelled_at, Event.updated_at) >= cancelled_since,
            ),
        ),
    ]
    if town is not None:
        conditions.append(Event.venue_id.in_(select(Venue.id).where(Venue.town_id == town.id)))
    return conditions


def feed_events(town: Town | None = None, now: datetime | None = None) -> list[Event]:
    """The events of the calendar feed (of one town, or all), with venue and programme loaded, soonest first."""
    query = (
        public_events_query()
        .where(*_in_feed(town, now or utcnow()))
        .options(selectinload(Event.programme))
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query).unique())


def feed_version(town: Town | None = None, now: datetime | None = None) -> FeedVersion:
    """The feed's version from one aggregate statement over everything the feed shows.

    An edit of an event, its venue or a programme item sets that row's ``updated_at`` to now (so it becomes the
    newest), cancelling raises ``sequence``, and an event or programme item coming or going changes a count and a
    sum of ids: each of them changes the version.
    """
    in_feed = _in_feed(town, now or utcnow())
    in_feed_programme = ProgrammeItem.event_id.in_(select(Event.id).where(*in_feed))

    def of_programme(aggregate: ColumnElement[Any]) -> ScalarSelect[Any]:
        return select(aggregate).where(in_feed_programme).scalar_subquery()

    version = (
        select(
            func.count(Event.id),
            func.coalesce(func.sum(Event.sequence), 0),
            func.coalesce(func.sum(Event.id), 0),
            func.max(Event.updated_at),
            func.max(Venue.updated_at),
            of_programme(func.count(ProgrammeItem.id)),
            of_programme(func.coalesce(func.sum(ProgrammeItem.id), 0)),
            of_programme(func.max(ProgrammeItem.updated_at)),
        )
        .join(Venue, Venue.id == Event.venue_id)
        .where(*in_feed)
    )
    count, sequences, ids, *stamps_and_items = db.session.execute(version).one()
    newest_event, newest_venue, items, item_ids, newest_item = stamps_and_items
    stamps = [stamp for stamp in (newest_event, newest_venue, newest_item) if stamp is not None]
    newest = max(stamps) if stamps else None
    key = f"{count}:{newest.isoformat() if newest else ''}:{sequences}:{ids}:{items}:{item_ids}"
    return FeedVersion(etag=hashlib.sha256(key.encode()).hexdigest()[:32], last_modified=newest)
