"""Signed links of a profile: the self-service link (until revoked) and the unsubscribe links (never expire).

Profile links carry the profile's random ``link_key`` as well as its id, so a link never opens a later profile
that happens to get the same id (SQLite reuses the highest id after a deletion). Each purpose has its own salt, so
a link of one kind never works as another; ``signer`` gives every package the same scheme.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from ..extensions import db
from ..urls import external_url
from .models import ConsentPurpose, ReturneeProfile


class InvalidLinkError(Exception):
    """A link that was changed, is stale, or was revoked."""


def signer(purpose: str) -> URLSafeSerializer:
    """The serializer of links for one purpose (no expiry)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"rueckkehr.{purpose}")


def timed_signer(purpose: str) -> URLSafeTimedSerializer:
    """The serializer of links for one purpose that expire."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"rueckkehr.{purpose}")


# Self-service: no expiry; raising the profile's link generation revokes every link sent so far.


def manage_token(profile: ReturneeProfile) -> str:
    """The token of a profile's self-service link."""
    return str(signer("manage").dumps({"p": profile.id, "k": profile.link_key, "g": profile.link_generation}))


def manage_url(profile: ReturneeProfile) -> str:
    """The absolute self-service link."""
    return external_url("selfservice.overview", token=manage_token(profile))


def profile_from_manage_token(token: str) -> ReturneeProfile:
    """The profile a self-service token names, or InvalidLinkError if it was changed or revoked."""
    try:
        data = signer("manage").loads(token)
    except BadSignature as error:
        raise InvalidLinkError from error
    profile = _profile(data)
    if profile is None or profile.link_key != data.get("k") or profile.link_generation != data.get("g"):
        raise InvalidLinkError
    return profile


def _profile(data: object) -> ReturneeProfile | None:
    """The profile a token's data names by id, or None (also for data of the wrong shape)."""
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return db.session.get(ReturneeProfile, data["p"])


# Unsubscribe: never expires, untouched by revocation.


def unsubscribe_url(profile: ReturneeProfile, purpose: ConsentPurpose) -> str:
    """The absolute link that withdraws one consent."""
    token = signer("unsubscribe").dumps({"p": profile.id, "k": profile.link_key, "c": purpose.value})
    return external_url("selfservice.unsubscribe", token=token)


def consent_from_unsubscribe_token(token: str) -> tuple[ReturneeProfile, ConsentPurpose]:
    """The profile and purpose an unsubscribe token names."""
    try:
        data = signer("unsubscribe").loads(token)
        purpose = ConsentPurpose(data.get("c"))
    except (BadSignature, ValueError, AttributeError) as error:
        raise InvalidLinkError from error
    profile = _profile(data)
    if profile is None or profile.link_key != data.get("k"):
        raise InvalidLinkError
    return profile, purpose
