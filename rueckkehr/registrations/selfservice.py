"""What a returnee does through the self-service link: edit, consents, codes, export, erasure, revoking links."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from ..database import utcnow
from ..extensions import db
from ..mail.models import OutboxMessage
from . import notifications
from .consents import CONSENT_VERSION
from .models import Consent, ConsentProof, ConsentPurpose, Registration, ReturneeProfile
from .operations import ProfileData, apply_profile_data, find_profile, release_seats_of


class InvalidCodeError(Exception):
    """A wrong or expired one-time code."""


def update_profile(profile: ReturneeProfile, data: ProfileData, language: str) -> None:
    """Save what the owner changed on the self-service page."""
    apply_profile_data(profile, data)
    profile.language = language
    db.session.commit()


def give_consent(profile: ReturneeProfile, purpose: ConsentPurpose, now: datetime | None = None) -> None:
    """Give an optional consent from the self-service page (the link proves the address)."""
    now = now or utcnow()
    if profile.active_consent(purpose) is None:
        profile.consents.append(Consent(purpose=purpose, text_version=CONSENT_VERSION, given_at=now, confirmed_at=now))
    db.session.commit()


def withdraw_consent(profile: ReturneeProfile, purpose: ConsentPurpose, now: datetime | None = None) -> bool:
    """Withdraw an optional consent; return whether one was running."""
    consent = profile.active_consent(purpose)
    if consent is None:
        return False
    consent.withdrawn_at = now or utcnow()
    db.session.commit()
    return True


def resend_link(email: str) -> None:
    """Mail the self-service link if the address is known; do nothing visible otherwise."""
    profile = find_profile(email)
    if profile is not None:
        notifications.manage_link(profile)
        db.session.commit()


def revoke_links(profile: ReturneeProfile) -> None:
    """Make every self-service link sent so far invalid, and mail a fresh one."""
    profile.link_generation += 1
    db.session.flush()
    notifications.manage_link(profile)
    db.session.commit()


def _code_digest(profile: ReturneeProfile, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{profile.id}:{code}".encode(), hashlib.sha256).hexdigest()


def request_action_code(profile: ReturneeProfile, action: str, now: datetime | None = None) -> None:
    """Mail a fresh six-digit code for ``export`` or ``erase``; earlier codes stop working."""
    now = now or utcnow()
    code = f"{secrets.randbelow(1_000_000):06d}"
    profile.action_code_hash = _code_digest(profile, code)
    profile.action_code_purpose = action
    profile.action_code_expires_at = now + timedelta(minutes=current_app.config["ACTION_CODE_MINUTES"])
    notifications.action_code(profile, code, action)
    db.session.commit()


def use_action_code(profile: ReturneeProfile, action: str, code: str, now: datetime | None = None) -> None:
    """Check and spend a code; raise InvalidCodeError if it is wrong, expired or for another action."""
    now = now or utcnow()
    valid = (
        profile.action_code_hash is not None
        and profile.action_code_purpose == action
        and profile.action_code_expires_at is not None
        and now < profile.action_code_expires_at
        and hmac.compare_digest(profile.action_code_hash, _code_digest(profile, code.strip()))
    )
    if not valid:
        raise InvalidCodeError
    profile.action_code_hash = None
    profile.action_code_purpose = None
    profile.action_code_expires_at = None
    db.session.commit()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_profile(profile: ReturneeProfile) -> dict[str, Any]:
    """Everything stored about a returnee, as JSON-ready data (Art. 15 and 20 GDPR)."""
    return {
        "profile": {
            "email": profile.email,
            "language": profile.language,
            "salutation": profile.salutation,
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "phone": profile.phone,
            "postal_code": profile.postal_code,
            "city": profile.city,
            "country": profile.country,
            "hometown": profile.hometown.name if profile.hometown else profile.hometown_other,
            "wished_towns": [town.name for town in profile.wished_towns],
            "occupation_group": profile.occupation_group_code,
            "skill_level": profile.skill_level,
            "working_times": profile.working_times,
            "earliest_return": profile.earliest_return,
            "interests": profile.interests,
            "partner_occupation_group": profile.partner_occupation_group_code,
            "partner_skill_level": profile.partner_skill_level,
            "reason": profile.reason,
            "created_at": _iso(profile.created_at),
            "confirmed_at": _iso(profile.confirmed_at),
        },
        "registrations": [
            {
                "event": registration.event.title,
                "event_starts_at": _iso(registration.event.starts_at),
                "status": registration.status.value,
                "companions": registration.companions,
                "registered_at": _iso(registration.created_at),
                "confirmed_at": _iso(registration.confirmed_at),
                "cancelled_at": _iso(registration.cancelled_at),
            }
            for registration in profile.registrations
        ],
        "consents": [
            {
                "purpose": consent.purpose.value,
                "text_version": consent.text_version,
                "given_at": _iso(consent.given_at),
                "confirmed_at": _iso(consent.confirmed_at),
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in profile.consents
        ],
    }


def email_hash(email: str) -> str:
    """A keyed hash of an address, the only trace of it kept after erasure."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def erase_profile(profile_id: int, now: datetime | None = None) -> None:
    """Delete a returnee's data everywhere, freeing their seats; keep only a minimal proof of consent."""
    now = now or utcnow()
    release_seats_of(profile_id, now)  # takes the events' locks; everything below happens in that one transaction
    profile = db.session.get(ReturneeProfile, profile_id)
    keep_until = now + timedelta(days=365 * current_app.config["CONSENT_PROOF_YEARS"])
    digest = email_hash(profile.email)
    for consent in profile.consents:
        db.session.add(
            ConsentProof(
                email_hash=digest,
                purpose=consent.purpose.value,
                text_version=consent.text_version,
                given_at=consent.given_at,
                confirmed_at=consent.confirmed_at,
                withdrawn_at=consent.withdrawn_at or now,
                erased_at=now,
                keep_until=keep_until,
            )
        )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.profile_id == profile_id))
    db.session.delete(profile)  # registrations and consents go with it (ORM cascade)
    db.session.commit()


def registrations_of(profile: ReturneeProfile) -> list[Registration]:
    """A profile's registrations, newest event first."""
    return list(
        db.session.scalars(
            select(Registration).where(Registration.profile_id == profile.id).order_by(Registration.created_at.desc())
        )
    )
