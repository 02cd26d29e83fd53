"""Read-only queries for events, used by the public pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ..database import utcnow
from ..extensions import db
from ..places.models import Town, Venue
from .models import Event, EventStatus

BERLIN = ZoneInfo("Europe/Berlin")
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


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The start and end of a month in Berlin time, as UTC datetimes."""
    start = datetime(month.year, month.month, 1, tzinfo=BERLIN)
    following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=BERLIN)
    return start.astimezone(UTC), following.astimezone(UTC)


def public_events_query() -> Select[tuple[Event]]:
    """Events the public may see, with venue and town loaded."""
    return (
        select(Event).where(Event.status.in_(PUBLIC_STATUSES)).options(joinedload(Event.venue).joinedload(Venue.town))
    )


def list_events(filters: EventFilter, now: datetime | None = None) -> list[Event]:
    """Upcoming (or past) public events matching the filters, soonest first (latest first for the past)."""
    now = now or utcnow()
    query = public_events_query()
    if filters.past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if filters.town is not None:
        query = query.join(Event.venue).where(Venue.town_id == filters.town.id)
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    return list(db.session.scalars(query).unique())


def get_public_event(event_id: int) -> Event | None:
    """A public event with its programme, or None."""
    query = public_events_query().where(Event.id == event_id).options(selectinload(Event.programme))
    return db.session.scalars(query).unique().one_or_none()


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
    """The town with this slug, or None."""
    return db.session.scalars(select(Town).where(Town.slug == slug)).one_or_none()


def month_choices(now: datetime | None = None, count: int = 12) -> list[date]:
    """The first days of the current and the following months, for the month filter."""
    today = (now or utcnow()).astimezone(BERLIN).date()
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
