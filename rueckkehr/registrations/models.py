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
from ..events.models import Event
from ..extensions import Model
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


class Registration(Model):
    """A profile's registration for one event, holding seats for the returnee and companions."""

    __tablename__ = "registrations"
    __table_args__ = (
        # The organizers' list pages an event's registrations by date without sorting them all, and a waiting
        # party's place in line is counted from the line's order.
        Index("ix_registrations_event_id_created_at", "event_id", "created_at"),
        Index("ix_registrations_event_id_status_waitlist_position", "event_id", "status", "waitlist_position"),
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

    profile: Mapped[ReturneeProfile] = relationship()
    event: Mapped[Event] = relationship()

    @property
    def party_size(self) -> int:
        """Seats this registration needs: the returnee and their companions."""
        return 1 + self.companions

    @property
    def is_active(self) -> bool:
        """Unconfirmed, confirmed or waiting."""
        return self.status in ACTIVE
