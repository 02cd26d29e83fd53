"""Audit entries: who did what to which object, and when; append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..actors import ActorKind
from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model


class AuditEntry(Model):
    """One change of state.

    ``changes`` holds only what is not personal (states, ids, counts, names of changed fields); what is personal
    (the returnee the entry concerns, an invited address) sits in ``profile_id`` and ``personal``, which retention
    blanks while the entry stays.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_kind: Mapped[ActorKind] = mapped_column(string_enum(ActorKind))
    actor_user_id: Mapped[int | None] = mapped_column(index=True, doc="No foreign key: removed users keep entries")
    actor_label: Mapped[str] = mapped_column(String(120), default="", doc="A role, a command or a job; never a name")
    verb: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    town_id: Mapped[int | None] = mapped_column(index=True, doc="The town the object belongs to, for organizers")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    profile_id: Mapped[int | None] = mapped_column(index=True, doc="The returnee concerned; blanked with them")
    personal: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="Personal details; blanked by retention")
    blanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.verb} {self.object_type}:{self.object_id}>"


class AuditTrailIsAppendOnlyError(RuntimeError):
    """An audit entry was changed or deleted through the ORM (retention blanks them with its own statement)."""


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, flush_context: object, instances: object) -> None:
    """Refuse to flush a changed or deleted audit entry."""
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AuditTrailIsAppendOnlyError(f"{entry!r} cannot be deleted")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry):
            raise AuditTrailIsAppendOnlyError(f"{entry!r} cannot be changed")
