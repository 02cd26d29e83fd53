"""Every change of a returnee's profile and consents: what they typed, consents, links, codes, export and erasure.

Operations flush and write their audit entry; the unit of work around them commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm.attributes import set_committed_value

from ..addresses import normalise_email
from ..audit.operations import blank_profile, record
from ..database import inserting_unless_taken
from ..dates import utcnow
from ..extensions import db
from ..mail.models import OutboxMessage
from ..occupations.working_times import WorkingTime
from ..places.models import Town
from . import notifications, signals
from .consents import CONSENT_VERSION
from .models import OPTIONAL_PURPOSES, Consent, ConsentMethod, ConsentProof, ConsentPurpose, ReturneeProfile

MAX_CODE_FAILURES = 5


class InvalidCodeError(Exception):
    """A wrong or expired one-time code; ``dead`` when it was the fifth wrong try, which ends the code."""

    def __init__(self, dead: bool = False) -> None:
        super().__init__(dead)
        self.dead = dead


@dataclass
class ProfileData:
    """What a returnee typed about themselves."""

    first_name: str
    last_name: str
    postal_code: str
    city: str
    country: str
    salutation: str | None = None
    phone: str | None = None
    hometown_slug: str | None = None
    hometown_other: str | None = None
    wished_town_slugs: list[str] = field(default_factory=list)
    occupation_group_code: str | None = None
    skill_level: int | None = None
    working_times: list[WorkingTime] = field(default_factory=list)
    earliest_return: str | None = None
    interests: list[str] = field(default_factory=list)
    partner_occupation_group_code: str | None = None
    partner_skill_level: int | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The values as JSON, to keep a submission until its owner confirms it."""
        return asdict(self)


# Built once: every registration runs them (building one cost about as much as running it).
_BY_EMAIL = select(ReturneeProfile).where(ReturneeProfile.email == bindparam("email"))
_TOWNS_BY_SLUG = select(Town).where(Town.slug.in_(bindparam("slugs", expanding=True))).order_by(Town.sort_order)


def find_profile(email: str) -> ReturneeProfile | None:
    """The profile of an address, if there is one."""
    return db.session.scalars(_BY_EMAIL, {"email": normalise_email(email)}).one_or_none()


def _towns(data: ProfileData) -> tuple[Town | None, list[Town]]:
    """The hometown and the wished towns of what was typed, read in one query (towns' order, as the profile's)."""
    slugs = sorted({slug for slug in (data.hometown_slug, *data.wished_town_slugs) if slug})
    towns = list(db.session.scalars(_TOWNS_BY_SLUG, {"slugs": slugs})) if slugs else []
    wished = set(data.wished_town_slugs)
    hometown = next((town for town in towns if town.slug == data.hometown_slug), None)
    return hometown, [town for town in towns if town.slug in wished]


def _column_values(data: ProfileData) -> dict[str, Any]:
    """What was typed as the profile's own columns (the towns aside)."""
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    del values["hometown_slug"], values["wished_town_slugs"]
    return values


def _profile_values(data: ProfileData) -> dict[str, Any]:
    """Column values for a profile from what was typed."""
    hometown, wished = _towns(data)
    return {**_column_values(data), "hometown": hometown, "wished_towns": wished}


def apply_profile_data(profile: ReturneeProfile, data: ProfileData) -> list[str]:
    """Overwrite a profile with what its owner typed; return the names of the fields that changed."""
    changed = []
    for name, value in _profile_values(data).items():
        if getattr(profile, name) != value:
            changed.append(name)
            setattr(profile, name, value)
    return changed


def profile_for(email: str | None, language: str, data: ProfileData) -> tuple[ReturneeProfile, bool]:
    """The profile of an address, made from ``data`` if the address has none yet; and whether it was made now.

    The row is inserted with ``ON CONFLICT DO NOTHING`` on the unique address, and comes back from the insert when
    it was made (one statement for a new address): of two registrations of one new address at once (at different
    events, so under different event locks), one makes the profile and the other waits for it and finds it,
    instead of failing. A walk-in without an address always gets a new profile.
    """
    if not email:
        profile = ReturneeProfile(email=None, language=language)
        apply_profile_data(profile, data)
        db.session.add(profile)
        created = True
    else:
        email = normalise_email(email)
        hometown, wished = _towns(data)
        values = {
            "email": email,
            "language": language,
            **_column_values(data),
            "hometown_id": getattr(hometown, "id", None),
        }
        made = db.session.scalars(inserting_unless_taken(ReturneeProfile, ("email",)), values).one_or_none()
        created = made is not None
        profile = (
            made
            or db.session.scalars(
                select(ReturneeProfile).where(ReturneeProfile.email == email).execution_options(populate_existing=True)
            ).one()
        )
        if made is not None:  # written whole by the insert; its wished towns are known to be none yet
            set_committed_value(made, "wished_towns", [])
            made.wished_towns = wished
    if created:
        if profile.id is None:  # a walk-in's profile (one made by the insert has its id, and its towns follow)
            db.session.flush()
        record("returnee_profile.created", profile, profile_id=profile.id)
    return profile, created


def update_profile(profile: ReturneeProfile, data: ProfileData, language: str) -> None:
    """Save what the owner changed on the self-service page (or confirmed with a registration)."""
    changed = apply_profile_data(profile, data)
    if profile.language != language:
        profile.language = language
        changed.append("language")
    if changed:
        record("returnee_profile.updated", profile, profile_id=profile.id, changes={"fields": sorted(changed)})
    if "first_name" in changed or "last_name" in changed:
        signals.profile_renamed.send(profile)


def _add_consent(profile: ReturneeProfile, purpose: ConsentPurpose, **values: Any) -> Consent:
    consent = Consent(purpose=purpose, text_version=CONSENT_VERSION, **values)
    profile.consents.append(consent)
    db.session.flush()
    record(
        "consent.given",
        consent,
        profile_id=profile.id,
        changes={"purpose": purpose.value, "method": (consent.method or ConsentMethod.ONLINE).value},
    )
    return consent


def give_consent(profile: ReturneeProfile, purpose: ConsentPurpose, now: datetime | None = None) -> None:
    """Give an optional consent from the self-service page (the link proves the address)."""
    now = now or utcnow()
    if profile.active_consent(purpose) is None:
        _add_consent(profile, purpose, given_at=now, confirmed_at=now)


def record_confirmed_consents(
    profile: ReturneeProfile,
    *,
    registration_id: int,
    optional: list[ConsentPurpose],
    given_at: datetime,
    now: datetime,
) -> None:
    """Store the consents of a confirmed registration: taking part, and the optional ones that were ticked.

    An unticked box never withdraws an earlier consent.
    """
    _add_consent(
        profile, ConsentPurpose.PARTICIPATION, registration_id=registration_id, given_at=given_at, confirmed_at=now
    )
    for purpose in optional:
        if profile.active_consent(purpose) is None:
            _add_consent(profile, purpose, given_at=given_at, confirmed_at=now)


def record_consent_at_the_door(
    profile: ReturneeProfile, registration_id: int, method: ConsentMethod, now: datetime
) -> None:
    """A walk-in consents to take part on paper or by word of mouth; the organizer records how."""
    _add_consent(
        profile,
        ConsentPurpose.PARTICIPATION,
        registration_id=registration_id,
        method=method,
        given_at=now,
        confirmed_at=now,
    )


def withdraw_consent(profile: ReturneeProfile, purpose: ConsentPurpose, now: datetime | None = None) -> bool:
    """Withdraw an optional consent; return whether one was running."""
    consent = profile.active_consent(purpose)
    if consent is None:
        return False
    consent.withdrawn_at = now or utcnow()
    record("consent.withdrawn", consent, profile_id=profile.id, changes={"purpose": purpose.value})
    return True


def set_optional_consents(profile: ReturneeProfile, wanted: set[ConsentPurpose]) -> None:
    """Give the optional consents in ``wanted`` and withdraw the others."""
    for purpose in OPTIONAL_PURPOSES:
        if purpose in wanted:
            give_consent(profile, purpose)
        else:
            withdraw_consent(profile, purpose)


def resend_link(email: str) -> None:
    """Mail the self-service link if the address is known; do nothing visible otherwise."""
    profile = find_profile(email)
    if profile is not None:
        notifications.manage_link(profile)


def revoke_links(profile: ReturneeProfile) -> None:
    """Make every self-service link sent so far invalid, and mail a fresh one."""
    profile.link_generation += 1
    db.session.flush()
    record("returnee_profile.links_revoked", profile, profile_id=profile.id)
    notifications.manage_link(profile)


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
    profile.action_code_failures = 0
    record("returnee_profile.code_requested", profile, profile_id=profile.id, changes={"action": action})
    notifications.action_code(profile, code, action)


def _end_code(profile: ReturneeProfile) -> None:
    profile.action_code_hash = None
    profile.action_code_purpose = None
    profile.action_code_expires_at = None
    profile.action_code_failures = 0


def use_action_code(profile: ReturneeProfile, action: str, code: str, now: datetime | None = None) -> None:
    """Check and spend a code; raise InvalidCodeError if it is wrong, expired or for another action.

    A wrong try is counted (the caller's unit of work commits it, though the page shows an error); the fifth ends
    the code, and its owner is told, since someone may be guessing at their link.
    """
    now = now or utcnow()
    live = (
        profile.action_code_hash is not None
        and profile.action_code_purpose == action
        and profile.action_code_expires_at is not None
        and now < profile.action_code_expires_at
    )
    if live and hmac.compare_digest(profile.action_code_hash or "", _code_digest(profile, code.strip())):
        _end_code(profile)
        record("returnee_profile.code_used", profile, profile_id=profile.id, changes={"action": action})
        return
    if not live:
        raise InvalidCodeError
    profile.action_code_failures += 1
    record("returnee_profile.code_failed", profile, profile_id=profile.id, changes={"action": action})
    if profile.action_code_failures < MAX_CODE_FAILURES:
        raise InvalidCodeError
    _end_code(profile)
    record("returnee_profile.code_ended", profile, profile_id=profile.id, changes={"action": action})
    notifications.code_guessed(profile, action)
    raise InvalidCodeError(dead=True)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_profile(profile: ReturneeProfile) -> dict[str, Any]:
    """Everything stored about a returnee, as JSON-ready data (Art. 15 and 20 GDPR), with the sections of the
    packages that keep more (their registrations)."""
    data: dict[str, Any] = {
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
            "working_times": [time.value for time in profile.working_times],
            "earliest_return": profile.earliest_return,
            "interests": profile.interests,
            "partner_occupation_group": profile.partner_occupation_group_code,
            "partner_skill_level": profile.partner_skill_level,
            "reason": profile.reason,
            "created_at": _iso(profile.created_at),
            "confirmed_at": _iso(profile.confirmed_at),
        },
    }
    for _receiver, sections in signals.profile_export.send(profile):
        data.update(sections or {})
    data["consents"] = [
        {
            "purpose": consent.purpose.value,
            "text_version": consent.text_version,
            "given_at": _iso(consent.given_at),
            "confirmed_at": _iso(consent.confirmed_at),
            "withdrawn_at": _iso(consent.withdrawn_at),
        }
        for consent in profile.consents
    ]
    record("returnee_profile.exported", profile, profile_id=profile.id)
    return data


def email_hash(email: str) -> str:
    """A keyed hash of an address, the only trace of it kept after erasure."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def erase_profile(profile_id: int, *, reason: str = "request", now: datetime | None = None) -> None:
    """Delete a returnee's data everywhere, freeing their seats; keep only a minimal proof of each consent.

    :param reason: ``request`` (the owner asked) or ``retention`` (the retention period ran out).
    """
    now = now or utcnow()
    # The profile's row lock first: a registration written for the profile and not yet committed (it is written
    # before its event's lock) holds a share of it, so the erasure waits for it and then sees its row and its mail.
    profile = db.session.get(ReturneeProfile, profile_id, with_for_update=True, populate_existing=True)
    if profile is None:
        return
    signals.profile_erasure_starting.send(profile, now=now)  # figures keep their counts while all is intact
    keep_until = now + timedelta(days=365 * current_app.config["CONSENT_PROOF_YEARS"])
    digest = email_hash(profile.email or f"walk-in:{profile.id}")
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
    signals.profile_erasing.send(profile, now=now)  # registrations frees the seats (taking the events' locks)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.profile_id == profile_id))
    db.session.delete(profile)  # consents go with it; registrations by their foreign key
    db.session.flush()
    record("returnee_profile.erased", object_type="returnee_profile", changes={"reason": reason})
    blank_profile(profile_id, now)
