"""Writing the audit trail: ``record`` adds one entry to the caller's transaction; retention blanks personal parts.

Who acted comes from the unit of work around the operation (``actors.current_actor``), never from its arguments.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, or_, update

from ..actors import ActorKind, current_actor
from ..database import rows_changed
from ..dates import utcnow
from ..extensions import db
from .models import AuditEntry


def _object_type(obj: object) -> str:
    """``ReturneeProfile`` → ``returnee_profile`` (``__class__``, not ``type()``: through a proxy such as
    ``current_user`` it names the object, not the proxy)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", obj.__class__.__name__).lower()


def record(
    verb: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    town_id: int | None = None,
    profile_id: int | None = None,
    changes: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction; it is committed with the change it records, or not at all.

    :param verb: what happened, as ``<object>.<past tense>``, e.g. ``registration.confirmed``.
    :param obj: the object it happened to (its type and id are taken from it, after a flush gave it an id).
    :param changes: what is not personal: states, ids, counts, names of changed fields. Never free text.
    :param personal: what is personal (e.g. an invited address); retention blanks it.
    """
    actor = current_actor()
    if obj is not None:
        if getattr(obj, "id", None) is None:
            db.session.flush()
        object_type = object_type or _object_type(obj)
        object_id = obj.id
    if profile_id is None and actor.kind == ActorKind.RETURNEE:
        profile_id = actor.profile_id
    entry = AuditEntry(
        actor_kind=actor.kind,
        actor_user_id=actor.user_id,
        actor_label=actor.label[:120],
        verb=verb,
        object_type=object_type or "none",
        object_id=object_id,
        town_id=town_id,
        profile_id=profile_id,
        changes=changes or {},
        personal=personal,
        created_at=utcnow(),
    )
    db.session.add(entry)
    return entry


# Objects that belong to one returnee: after an erasure their ids say nothing any more (and SQLite may hand
# them out again), so they are blanked with the returnee.
PROFILE_OBJECTS = ("returnee_profile", "registration", "consent")


def _blank(*conditions: Any, now: datetime, **values: Any) -> int:
    return rows_changed(
        update(AuditEntry)
        .where(*conditions)
        .values(profile_id=None, personal=None, blanked_at=now, **values)
        .execution_options(synchronize_session=False)
    )


def blank_profile(profile_id: int, now: datetime | None = None) -> int:
    """Blank the personal parts of every entry about an erased returnee; the entries stay. Returns how many."""
    own_object = case((AuditEntry.object_type.in_(PROFILE_OBJECTS), None), else_=AuditEntry.object_id)
    return _blank(AuditEntry.profile_id == profile_id, now=now or utcnow(), object_id=own_object)


def blank_old_personal_parts(now: datetime | None = None) -> int:
    """Blank personal parts older than ``AUDIT_PERSONAL_DAYS``; the periodic job. Returns how many entries."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["AUDIT_PERSONAL_DAYS"])
    personal = or_(AuditEntry.profile_id.is_not(None), AuditEntry.personal.is_not(None))
    return _blank(AuditEntry.created_at < cutoff, AuditEntry.blanked_at.is_(None), personal, now=now)


def personal_parts_due(now: datetime, profile_ids: list[int]) -> int:
    """How many entries the next retention run blanks: older than ``AUDIT_PERSONAL_DAYS``, or about these profiles."""
    from sqlalchemy import func, select

    cutoff = now - timedelta(days=current_app.config["AUDIT_PERSONAL_DAYS"])
    personal = or_(AuditEntry.profile_id.is_not(None), AuditEntry.personal.is_not(None))
    due = or_(AuditEntry.created_at < cutoff, AuditEntry.profile_id.in_(profile_ids))
    return int(db.session.scalar(select(func.count()).where(AuditEntry.blanked_at.is_(None), personal, due)) or 0)
