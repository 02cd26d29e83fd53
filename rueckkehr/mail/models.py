"""The outbox: one row per mail, holding the whole MIME message until it is sent."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model


class OutboxStatus(enum.StrEnum):
    """Queued mails wait for their next attempt; sending marks a mail in flight; failed gave up."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """A rendered mail and its delivery state."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80), doc="What the mail is about, e.g. registration.confirm_request")
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary, doc="The complete MIME message as sent")
    profile_id: Mapped[int | None] = mapped_column(index=True, doc="The returnee it concerns, for erasure")
    town_id: Mapped[int | None] = mapped_column(index=True, doc="The town it is about, for its organizers")
    forget_when_sent: Mapped[bool] = mapped_column(
        default=False,
        server_default=false(),
        doc="Deleted once sent or failed for good (a mail that outlives "
        "the erasure of its recipient's data, such as the calendar cancellation of an erasure)",
    )
    status: Mapped[OutboxStatus] = mapped_column(string_enum(OutboxStatus), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
