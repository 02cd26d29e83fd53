"""The ledger of scans that reached the server: one row per nonce, so a scan uploaded twice is applied once."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model


class ScanAction(enum.StrEnum):
    """Let someone in, or take that back."""

    CHECK_IN = "in"
    UNDO = "undo"


class ScanOutcome(enum.StrEnum):
    """What a scan did; a repeated upload answers with the first one's outcome."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    UNDONE = "undone"
    NOT_CHECKED_IN = "not_checked_in"
    NOT_SEATED = "not_seated"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


class CheckInScan(Model):
    """One scan (or typed code, or tap on a name) as a phone at the door sent it."""

    __tablename__ = "check_in_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True, doc="Made by the phone for this one scan")
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ScanAction] = mapped_column(string_enum(ScanAction))
    outcome: Mapped[ScanOutcome] = mapped_column(string_enum(ScanOutcome))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, doc="On the phone, perhaps while offline")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
