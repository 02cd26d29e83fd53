"""Signed links, one purpose each: confirm (48 h), manage (until revoked), unsubscribe (never expires), calendar.

Profile links carry the profile's random ``link_key`` as well as its id, so a link never opens a later profile
that happens to get the same id (SQLite reuses the highest id after a deletion).

Each purpose has its own salt, so a link of one kind never works as another.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from ..database import utcnow
from ..extensions import db
from ..urls import external_url
from .models import ConsentPurpose, Registration, RegistrationStatus, ReturneeProfile


class InvalidLinkError(Exception):
    """A link that was changed, is stale, or was revoked."""


def _timed(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"rueckkehr.{purpose}")


def _plain(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"rueckkehr.{purpose}")


# Confirmation: single use (the nonce), 48 hours by default.


def confirm_token(registration: Registration) -> str:
    """The token of a registration's confirmation link."""
    return _timed("confirm").dumps({"r": registration.id, "n": registration.confirm_nonce})


def confirm_url(registration: Registration) -> str:
    """The absolute confirmation link."""
    return external_url("registrations.confirm", token=confirm_token(registration))


def registration_from_confirm_token(token: str) -> Registration:
    """The unconfirmed registration a confirmation token names, or InvalidLinkError."""
    max_age = int(current_app.config["CONFIRMATION_HOURS"] * 3600)
    try:
        data = _timed("confirm").loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired) as error:
        raise InvalidLinkError from error
    registration = db.session.get(Registration, data.get("r"))
    if (
        registration is None
        or registration.confirm_nonce != data.get("n")
        or registration.confirmed_at is not None
        or registration.status not in (RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)
        or (registration.expires_at is not None and registration.expires_at <= utcnow())
    ):
        raise InvalidLinkError
    return registration


# Self-service: no expiry; raising the profile's link generation revokes every link sent so far.


def manage_token(profile: ReturneeProfile) -> str:
    """The token of a profile's self-service link."""
    return _plain("manage").dumps({"p": profile.id, "k": profile.link_key, "g": profile.link_generation})


def manage_url(profile: ReturneeProfile) -> str:
    """The absolute self-service link."""
    return external_url("selfservice.overview", token=manage_token(profile))


def profile_from_manage_token(token: str) -> ReturneeProfile:
    """The profile a self-service token names, or InvalidLinkError if it was changed or revoked."""
    try:
        data = _plain("manage").loads(token)
    except BadSignature as error:
        raise InvalidLinkError from error
    profile = db.session.get(ReturneeProfile, data.get("p"))
    if profile is None or profile.link_key != data.get("k") or profile.link_generation != data.get("g"):
        raise InvalidLinkError
    return profile


# Unsubscribe: never expires, untouched by revocation.


def unsubscribe_url(profile: ReturneeProfile, purpose: ConsentPurpose) -> str:
    """The absolute link that withdraws one consent."""
    token = _plain("unsubscribe").dumps({"p": profile.id, "k": profile.link_key, "c": purpose.value})
    return external_url("selfservice.unsubscribe", token=token)


def consent_from_unsubscribe_token(token: str) -> tuple[ReturneeProfile, ConsentPurpose]:
    """The profile and purpose an unsubscribe token names."""
    try:
        data = _plain("unsubscribe").loads(token)
        purpose = ConsentPurpose(data.get("c"))
    except (BadSignature, ValueError) as error:
        raise InvalidLinkError from error
    profile = db.session.get(ReturneeProfile, data.get("p"))
    if profile is None or profile.link_key != data.get("k"):
        raise InvalidLinkError
    return profile, purpose


# Calendar: shows and cancels this one registration only (calendars get shared).


def registration_token(registration: Registration) -> str:
    """The token of the link in a calendar entry."""
    return _plain("registration").dumps(
        {"r": registration.id, "u": registration.uid, "g": registration.profile.link_generation}
    )


def registration_url(registration: Registration) -> str:
    """The absolute link that can only show and cancel one registration."""
    return external_url("selfservice.registration", token=registration_token(registration))


def registration_from_token(token: str) -> Registration:
    """The registration a calendar link names."""
    try:
        data = _plain("registration").loads(token)
    except BadSignature as error:
        raise InvalidLinkError from error
    registration = db.session.get(Registration, data.get("r"))
    if (
        registration is None
        or registration.uid != data.get("u")
        or registration.profile.link_generation != data.get("g")
    ):
        raise InvalidLinkError
    return registration
