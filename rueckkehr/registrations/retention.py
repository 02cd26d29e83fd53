"""How long returnee data lives: purges after an event's retention, and the yearly confirmation of consents.

A profile whose only purpose was taking part lives until the retention period after its last event; a profile
with a running optional consent lives while that consent lasts, and is asked once a year to confirm it. Only a
minimal proof of each consent outlives an erasure, for ``CONSENT_PROOF_YEARS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, func, or_, select

from ..database import begin_write_transaction, utcnow
from ..events.models import Event
from ..extensions import db
from . import notifications
from .models import ACTIVE, OPTIONAL_PURPOSES, Consent, ConsentProof, Registration, ReturneeProfile
from .selfservice import erase_profile


def _running_optional_consent() -> object:
    return exists().where(
        Consent.profile_id == ReturneeProfile.id,
        Consent.purpose.in_(OPTIONAL_PURPOSES),
        Consent.withdrawn_at.is_(None),
    )


def purge_expired_profiles(now: datetime | None = None) -> int:
    """Erase profiles without a running consent whose events all ended longer ago than the retention period, and
    profiles never confirmed whose registrations have all lapsed."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS_AFTER_EVENT"])
    still_needed = exists().where(
        Registration.profile_id == ReturneeProfile.id,
        Registration.event_id == Event.id,
        Event.ends_at > cutoff,
    )
    active_registration = exists().where(Registration.profile_id == ReturneeProfile.id, Registration.status.in_(ACTIVE))
    never_confirmed_and_lapsed = and_(ReturneeProfile.confirmed_at.is_(None), ~active_registration)
    ids = list(
        db.session.scalars(
            select(ReturneeProfile.id).where(
                or_(and_(~_running_optional_consent(), ~still_needed), never_confirmed_and_lapsed)
            )
        )
    )
    db.session.commit()
    for profile_id in ids:
        erase_profile(profile_id, now)
    return len(ids)


def purge_consent_proofs(now: datetime | None = None) -> int:
    """Delete proofs of consent whose keeping time has run out."""
    begin_write_transaction()
    result = db.session.execute(delete(ConsentProof).where(ConsentProof.keep_until < (now or utcnow())))
    db.session.commit()
    return result.rowcount or 0


def request_reconfirmations(now: datetime | None = None) -> int:
    """Ask, once a year, everyone with a running optional consent to confirm it; withdraw it if they do not.

    Returns how many were asked; consents left unanswered past the grace period are withdrawn.
    """
    now = now or utcnow()
    config = current_app.config
    due = now - timedelta(days=config["CONSENT_RECONFIRM_DAYS"])
    grace = now - timedelta(days=config["CONSENT_RECONFIRM_GRACE_DAYS"])
    begin_write_transaction()
    last_confirmed = func.coalesce(Consent.last_reconfirmed_at, Consent.confirmed_at, Consent.given_at)
    running = and_(Consent.purpose.in_(OPTIONAL_PURPOSES), Consent.withdrawn_at.is_(None))
    unanswered = select(Consent).where(running, Consent.reconfirm_requested_at < grace)
    for consent in db.session.scalars(unanswered):
        consent.withdrawn_at = now
    due_profiles = select(Consent.profile_id).where(
        running, Consent.reconfirm_requested_at.is_(None), last_confirmed < due
    )
    profiles = list(db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.id.in_(due_profiles))))
    for profile in profiles:
        for consent in profile.consents:
            if consent.purpose in OPTIONAL_PURPOSES and consent.withdrawn_at is None:
                consent.reconfirm_requested_at = now
        notifications.reconfirm_consents(profile)
    db.session.commit()
    return len(profiles)


def reconfirm(profile: ReturneeProfile, now: datetime | None = None) -> None:
    """The owner confirmed that their running consents go on."""
    now = now or utcnow()
    for consent in profile.consents:
        if consent.purpose in OPTIONAL_PURPOSES and consent.withdrawn_at is None:
            consent.last_reconfirmed_at = now
            consent.reconfirm_requested_at = None
    db.session.commit()


def pending_reconfirmation(profile: ReturneeProfile) -> bool:
    """Whether the profile was asked to confirm its consents and has not answered yet."""
    return any(
        consent.reconfirm_requested_at is not None and consent.withdrawn_at is None for consent in profile.consents
    )
