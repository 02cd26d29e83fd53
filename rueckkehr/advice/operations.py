"""Taking on an advice talk and noting its outcome; the note never enters the audit trail's ``changes``."""

from __future__ import annotations

from sqlalchemy import delete, select

from ..audit.operations import record
from ..extensions import db
from ..returnees.models import ReturneeProfile
from .models import AdviceStatus, AdviceTalk


def take_on(profile_id: int, town_id: int, contact_user_id: int | None) -> AdviceTalk:
    """Make (or find) the talk of a returnee with a town and give it a contact person."""
    talk = db.session.scalar(
        select(AdviceTalk).where(AdviceTalk.profile_id == profile_id, AdviceTalk.town_id == town_id)
    )
    if talk is None:
        talk = AdviceTalk(profile_id=profile_id, town_id=town_id, status=AdviceStatus.OPEN)
        db.session.add(talk)
    talk.contact_user_id = contact_user_id
    if talk.status == AdviceStatus.OPEN and contact_user_id is not None:
        talk.status = AdviceStatus.ASSIGNED
    db.session.flush()
    record(
        "advice_talk.assigned",
        talk,
        town_id=town_id,
        profile_id=profile_id,
        changes={"status": talk.status.value, "contact_user_id": contact_user_id},
    )
    return talk


def note(talk: AdviceTalk, *, contact_user_id: int | None, status: AdviceStatus, outcome: str) -> AdviceTalk:
    """Change the contact person, the state and the note of a talk."""
    changed = sorted(
        name
        for name, value in (("contact_user_id", contact_user_id), ("status", status), ("outcome", outcome))
        if getattr(talk, name) != value
    )
    talk.contact_user_id, talk.status, talk.outcome = contact_user_id, status, outcome
    if changed:
        db.session.flush()
        record(
            "advice_talk.updated",
            talk,
            town_id=talk.town_id,
            profile_id=talk.profile_id,
            changes={"fields": changed, "status": status.value},
        )
    return talk


def erase_talks_of(profile: ReturneeProfile) -> None:
    """The returnee's data goes: their talks and the notes about them go with it."""
    db.session.execute(delete(AdviceTalk).where(AdviceTalk.profile_id == profile.id))
