"""Registrations: a returnee's place at one event, holding seats for them and their companions, or waiting."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..events.models import Event, EventStatus
from ..extensions import Model
from ..i18n import alphabetical
from ..returnees.models import ReturneeProfile, new_nonce
from .tickets import new_ticket_secret


class RegistrationStatus(enum.StrEnum):
    """Unconfirmed and confirmed registrations hold seats; waiting ones stand in line."""

    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


SEAT_HOLDING = (RegistrationStatus.UNCONFIRMED, RegistrationStatus.CONFIRMED)
ACTIVE = (RegistrationStatus.UNCONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


# Compared character by character on both databases (PostgreSQL's collation "C", SQLite's default): the names are
# folded already (``sort_key``), and a language's collation would skip spaces and hyphens, unlike SQLite.
SORT_NAME = String(100).with_variant(String(100, collation="C"), "postgresql")


class Registration(Model):
    """A profile's registration for one event, holding seats for the returnee and companions."""

    __tablename__ = "registrations"
    __table_args__ = (
        # The organizers' list pages an event's registrations by date without sorting them all, and a waiting
        # party's place in line is counted from the line's order.
        Index("ix_registrations_event_id_created_at", "event_id", "created_at"),
        Index("ix_registrations_event_id_status_waitlist_position", "event_id", "status", "waitlist_position"),
        # ... and by name, reading the page's 50 from this index instead of joining and sorting all the people.
        Index("ix_registrations_event_id_sort_name", "event_id", "sort_last_name", "sort_first_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("returnee_profiles.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(string_enum(RegistrationStatus), index=True)
    companions: Mapped[int] = mapped_column(default=0)
    waitlist_position: Mapped[int | None]
    submission: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, doc="What was typed, until confirmed")
    confirm_nonce: Mapped[str] = mapped_column(String(40), default=new_nonce)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    sequence: Mapped[int] = mapped_column(default=0, doc="iCalendar SEQUENCE of the invite")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="When it lapses unless confirmed")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cutoff_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    walk_in: Mapped[bool] = mapped_column(default=False, server_default="0", doc="Added by an organizer at the door")
    ticket_secret: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_ticket_secret, doc="What the ticket's QR code holds; new on cancelling"
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="When the party was let in at the door")
    sort_last_name: Mapped[str] = mapped_column(SORT_NAME, doc="The person's last name as the list sorts it")
    sort_first_name: Mapped[str] = mapped_column(SORT_NAME, doc="The person's first name as the list sorts it")

    profile: Mapped[ReturneeProfile] = relationship()
    event: Mapped[Event] = relationship()

    def __init__(self, **values: Any) -> None:
        """A registration, its sort names taken from its ``profile`` (the receiver of ``profile_renamed`` keeps
        them current)."""
        super().__init__(**values)
        profile = values.get("profile")
        if profile is not None:
            self.sort_last_name, self.sort_first_name = sort_names(first=profile.first_name, last=profile.last_name)

    @property
    def party_size(self) -> int:
        """Seats this registration needs: the returnee and their companions."""
        return 1 + self.companions

    @property
    def is_active(self) -> bool:
        """Unconfirmed, confirmed or waiting."""
        return self.status in ACTIVE

    @property
    def changeable(self) -> bool:
        """Active, for an event that was not called off: what its person may still change or cancel (a called-off
        event told them already, and keeps its registrations as they were)."""
        return self.is_active and self.event.status != EventStatus.CANCELLED


def sort_key(name: str) -> str:
    """A name as the organizers' list sorts it (``alphabetical``), so that "Özdemir" comes among the O's in either
    database."""
    return alphabetical(name)[:100]


def sort_names(*, first: str, last: str) -> tuple[str, str]:
    """The last and the first name of a person, in that order, as a registration keeps them for sorting."""
    return sort_key(last), sort_key(first)
