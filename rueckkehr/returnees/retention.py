"""How long consents live: the yearly confirmation of running consents, and the end of consent proofs.

A profile with a running optional consent lives while that consent lasts and is asked once a year to confirm it;
unanswered, the consents end. Only a minimal proof of each consent outlives an erasure, for
``CONSENT_PROOF_YEARS``. (Profiles that only took part are erased by registrations' retention.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, exists, func, select

from ..audit.operations import record
from ..database import rows_changed
from ..dates import utcnow
from ..extensions import db
from . import notifications
from .models import OPTIONAL_PURPOSES, Consent, ConsentProof, ReturneeProfile


def running_optional_consent() -> ColumnElement[bool]:
    """Whether a profile (in the enclosing query) has an optional consent that was not withdrawn."""
    return exists().where(
        Consent.profile_id == ReturneeProfile.id,
        Consent.purpose.in_(OPTIONAL_PURPOSES),
        Consent.withdrawn_at.is_(None),
    )


def purge_consent_proofs(now: datetime | None = None) -> int:
    """Delete proofs of consent whose keeping time has run out; return how many."""
    purged = rows_changed(delete(ConsentProof).where(ConsentProof.keep_until < (now or utcnow())))
    if purged:
        record("consent_proof.purged", object_type="consent_proof", changes={"count": purged})
    return purged


def request_reconfirmations(now: datetime | None = None) -> int:
    """Ask, once a year, everyone with a running optional consent to confirm it; withdraw it if they do not.

    Returns how many were asked; consents left unanswered past the grace period are withdrawn.
    """
    now = now or utcnow()
    config = current_app.config
    due = now - timedelta(days=config["CONSENT_RECONFIRM_DAYS"])
    grace = now - timedelta(days=config["CONSENT_RECONFIRM_GRACE_DAYS"])
    last_confirmed = func.coalesce(Consent.last_reconfirmed_at, Consent.confirmed_at, Consent.given_at)
    running = and_(Consent.purpose.in_(OPTIONAL_PURPOSES), Consent.withdrawn_at.is_(None))
    for consent in db.session.scalars(select(Consent).where(running, Consent.reconfirm_requested_at < grace)):
        consent.withdrawn_at = now
        record("consent.lapsed", consent, profile_id=consent.profile_id, changes={"purpose": consent.purpose.value})
    due_profiles = select(Consent.profile_id).where(
        running, Consent.reconfirm_requested_at.is_(None), last_confirmed < due
    )
    profiles = list(db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.id.in_(due_profiles))))
    for profile in profiles:
        for consent in profile.consents:
            if consent.purpose in OPTIONAL_PURPOSES and consent.withdrawn_at is None:
                consent.reconfirm_requested_at = now
        record("returnee_profile.reconfirmation_requested", profile, profile_id=profile.id)
        notifications.reconfirm_consents(profile)
    return len(profiles)


def reconfirm(profile: ReturneeProfile, now: datetime | None = None) -> None:
    """The owner confirmed that their running consents go on."""
    now = now or utcnow()
    for consent in profile.consents:
        if consent.purpose in OPTIONAL_PURPOSES and consent.withdrawn_at is None:
            consent.last_reconfirmed_at = now
            consent.reconfirm_requested_at = None
    record("returnee_profile.consents_reconfirmed", profile, profile_id=profile.id)


def pending_reconfirmation(profile: ReturneeProfile) -> bool:
    """Whether the profile was asked to confirm its consents and has not answered yet."""
    return any(
        consent.reconfirm_requested_at is not None and consent.withdrawn_at is None for consent in profile.consents
    )


def consent_proofs_kept(now: datetime) -> tuple[int, int]:
    """How many proofs of consent are kept, and how many of them the next run deletes."""
    total = int(db.session.scalar(select(func.count()).select_from(ConsentProof)) or 0)
    due = int(db.session.scalar(select(func.count()).where(ConsentProof.keep_until < now)) or 0)
    return total, due
