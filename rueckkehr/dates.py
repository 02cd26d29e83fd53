"""Time in one place: the current time in UTC, the region's time zone, today in the region, and month stepping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")  # the time zone every date is shown in


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def berlin_today(now: datetime | None = None) -> date:
    """Today's date in the region."""
    return (now or utcnow()).astimezone(BERLIN).date()


def next_month(month: date) -> date:
    """The first day of the month after ``month``."""
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def months_from(start: date, count: int) -> list[date]:
    """The first days of ``count`` months, beginning with the month of ``start``."""
    months = [date(start.year, start.month, 1)]
    while len(months) < count:
        months.append(next_month(months[-1]))
    return months[:count]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The start and end of a month in Berlin time, as UTC datetimes."""
    start = datetime(month.year, month.month, 1, tzinfo=BERLIN)
    following = next_month(month)
    end = datetime(following.year, following.month, 1, tzinfo=BERLIN)
    return start.astimezone(UTC), end.astimezone(UTC)
