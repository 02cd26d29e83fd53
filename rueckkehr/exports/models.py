"""Named column choices a town's team shares, and exports made in the background with their expiring link."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model


class ExportPreset(Model):
    """A choice of columns under a name ("Einlass", "Liste für Arbeitgeber"), for every organizer of a town."""

    __tablename__ = "export_presets"
    __table_args__ = (UniqueConstraint("town_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int | None] = mapped_column(
        ForeignKey("towns.id", ondelete="CASCADE"), index=True, doc="None: the admins' own presets"
    )
    name: Mapped[str] = mapped_column(String(80))
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(String(20), default="event")
    created_by_user_id: Mapped[int | None] = mapped_column(doc="No foreign key: a removed user's presets stay")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ExportStatus(enum.StrEnum):
    """A background export waits, runs, is ready or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def new_token() -> str:
    """The unguessable part of a download link."""
    return secrets.token_urlsafe(24)


class ExportJob(Model):
    """An export made in the background: what was asked, how far it got, and the file until its link expires."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    town_id: Mapped[int | None] = mapped_column(doc="The town of the event, for the audit trail")
    scope: Mapped[str] = mapped_column(String(10), doc="event or series")
    scope_id: Mapped[int]
    event_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, doc="The registration list's URL filters")
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    file_format: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(20))
    status: Mapped[ExportStatus] = mapped_column(string_enum(ExportStatus), default=ExportStatus.QUEUED)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    @property
    def percent(self) -> int:
        """How far it got, in per cent."""
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
