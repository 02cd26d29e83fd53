"""Event series, events and their programme items."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model
from ..places.models import Venue


class EventStatus(enum.StrEnum):
    """Where an event stands: drafts are hidden, cancelled events stay visible as cancelled."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EventSeries(Model):
    """A group of events held together, e.g. "Rückkehrertage 2026"."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    events: Mapped[list[Event]] = relationship(back_populates="series", order_by="Event.starts_at")


class Event(Model):
    """One event at one venue; times are stored in UTC and shown in Europe/Berlin."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(default=100)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[EventStatus] = mapped_column(
        string_enum(EventStatus),
        default=EventStatus.DRAFT,
        index=True,
    )
    sequence: Mapped[int] = mapped_column(default=0, doc="iCalendar SEQUENCE of the event in files and feeds")
    erased_invite_step: Mapped[int | None] = mapped_column(
        doc="The highest own step (SEQUENCE above the event's) of a registration erased since: its CANCEL outlives "
        "it, and every new registration's invitation starts above it"
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[EventSeries | None] = relationship(back_populates="events")
    venue: Mapped[Venue] = relationship()
    programme: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="event",
        order_by="(ProgrammeItem.starts_at, ProgrammeItem.id)",
        cascade="all, delete-orphan",
    )

    @property
    def is_cancelled(self) -> bool:
        """Whether the event was called off."""
        return self.status == EventStatus.CANCELLED

    @property
    def content_changed_at(self) -> datetime:
        """The last change of anything a calendar shows of the event: itself, its venue, its programme."""
        return max([self.updated_at, self.venue.updated_at, *(item.updated_at for item in self.programme)])

    @property
    def content_version(self) -> tuple[int, int, datetime, int]:
        """What identifies the calendar content of the event (a removed programme item changes the count)."""
        return (self.id, self.sequence, self.content_changed_at, len(self.programme))

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class ProgrammeItem(Model):
    """A timed item of an event's programme."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, doc="Calendars show the programme: their versions follow it"
    )

    event: Mapped[Event] = relationship(back_populates="programme")

    def fits(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether the item lies within these hours of its event (see ``fits_hours``)."""
        return fits_hours(self.starts_at, self.ends_at, starts_at, ends_at)


def fits_hours(item_starts_at: datetime, item_ends_at: datetime | None, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a programme item lies within its event's hours: it begins at the start or later and before the end,
    and ends (if it has an end) no later than the event."""
    if not starts_at <= item_starts_at < ends_at:
        return False
    return item_ends_at is None or item_ends_at <= ends_at


class RegistrationState(enum.StrEnum):
    """Whether an event takes registrations right now, and if not, why."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    PAST = "past"


def registration_state(event: Event, now: datetime) -> RegistrationState:
    """Where an event's registration window stands at ``now``."""
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.ends_at <= now:
        return RegistrationState.PAST
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    closes_at = event.registration_closes_at or event.starts_at
    if now >= closes_at:
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


class WindowFault(enum.StrEnum):
    """Why a registration window cannot work."""

    OPENS_AFTER_START = "opens_after_start"
    CLOSES_AFTER_START = "closes_after_start"
    CLOSES_BEFORE_OPENS = "closes_before_opens"


def window_faults(opens_at: datetime | None, closes_at: datetime | None, starts_at: datetime) -> set[WindowFault]:
    """What keeps a registration window from working: it must open before the event starts and before it closes,
    and close no later than the event starts (at the start itself is what a window without a deadline does)."""
    faults = set()
    if opens_at is not None and opens_at >= starts_at:
        faults.add(WindowFault.OPENS_AFTER_START)
    if closes_at is not None and closes_at > starts_at:
        faults.add(WindowFault.CLOSES_AFTER_START)
    if opens_at is not None and closes_at is not None and opens_at >= closes_at and not faults:
        faults.add(WindowFault.CLOSES_BEFORE_OPENS)
    return faults
