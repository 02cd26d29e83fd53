"""Signed links of a profile: the self-service link (until revoked) and the unsubscribe links (never expire).

Profile links carry the profile's random ``link_key`` as well as its id, so a link never opens a later profile
that happens to get the same id (SQLite reuses the highest id after a deletion). Each purpose has its own salt, so
a link of one kind never works as another; ``signer`` gives every package the same scheme.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from ..extensions import db
from ..urls import mail_url
from .models import ConsentPurpose, ReturneeProfile

M = TypeVar("M")


class InvalidLinkError(Exception):
    """A link that was changed, is stale, or was revoked."""


def signer(purpose: str) -> URLSafeSerializer:
    """The serializer of links for one purpose (no expiry)."""
    return _signer(current_app.config["SECRET_KEY"], purpose)


@lru_cache(maxsize=64)
def _signer(secret_key: str, purpose: str) -> URLSafeSerializer:
    """One serializer per key and purpose (a round of mails signs thousands of links)."""
    return URLSafeSerializer(secret_key, salt=f"rueckkehr.{purpose}")


def timed_signer(purpose: str) -> URLSafeTimedSerializer:
    """The serializer of links for one purpose that expire."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"rueckkehr.{purpose}")


def link_data(purpose: str, token: str, *, max_age: int | None = None) -> dict[str, Any]:
    """What a link of one purpose carries, or InvalidLinkError when it was changed, has expired (``max_age``
    seconds) or is not of the shape links have."""
    try:
        data = timed_signer(purpose).loads(token, max_age=max_age) if max_age else signer(purpose).loads(token)
    except BadSignature as error:  # SignatureExpired is one
        raise InvalidLinkError from error
    if not isinstance(data, dict):
        raise InvalidLinkError
    return data


def by_id(model: type[M], value: object) -> M | None:
    """The row a link names by its integer id, or None (a link with another kind of id names nothing)."""
    return db.session.get(model, value) if isinstance(value, int) and not isinstance(value, bool) else None


# Self-service: no expiry; raising the profile's link generation revokes every link sent so far.


def manage_token(profile: ReturneeProfile) -> str:
    """The token of a profile's self-service link."""
    return str(signer("manage").dumps({"p": profile.id, "k": profile.link_key, "g": profile.link_generation}))


def manage_url(profile: ReturneeProfile, token: str | None = None) -> str:
    """The absolute self-service link, opening in the returnee's language (links are for mails); ``token``: the
    profile's ``manage_token`` when the caller signed it already."""
    return mail_url("selfservice.overview", profile.language, token=token or manage_token(profile))


def profile_from_manage_token(token: str) -> ReturneeProfile:
    """The profile a self-service token names, or InvalidLinkError if it was changed or revoked."""
    data = link_data("manage", token)
    profile = by_id(ReturneeProfile, data.get("p"))
    if profile is None or profile.link_key != data.get("k") or profile.link_generation != data.get("g"):
        raise InvalidLinkError
    return profile


# Unsubscribe: never expires, untouched by revocation.


def unsubscribe_url(profile: ReturneeProfile, purpose: ConsentPurpose) -> str:
    """The absolute link that withdraws one consent."""
    token = signer("unsubscribe").dumps({"p": profile.id, "k": profile.link_key, "c": purpose.value})
    return mail_url("selfservice.unsubscribe", profile.language, token=token)


def consent_from_unsubscribe_token(token: str) -> tuple[ReturneeProfile, ConsentPurpose]:
    """The profile and purpose an unsubscribe token names."""
    data = link_data("unsubscribe", token)
    try:
        purpose = ConsentPurpose(str(data.get("c")))
    except ValueError as error:
        raise InvalidLinkError from error
    profile = by_id(ReturneeProfile, data.get("p"))
    if profile is None or profile.link_key != data.get("k"):
        raise InvalidLinkError
    return profile, purpose
