"""Signed links of a registration: confirm (48 h, single use) and the calendar's link (shows and cancels it only).

They follow the scheme of ``returnees.links``: one salt per purpose, so a link of one kind never works as another.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..dates import utcnow
from ..returnees.links import InvalidLinkError, by_id, link_data, signer, timed_signer
from ..urls import mail_url
from .models import Registration, RegistrationStatus

# Confirmation: single use (the nonce), 48 hours by default. Once used, the link still shows that the registration is
# confirmed, and leads to the self-service page unless the profile's links were revoked since it was sent.


@dataclass(frozen=True)
class ConfirmLink:
    """What a confirmation link names: its registration, and whether it may lead to the self-service page."""

    registration: Registration
    opens_selfservice: bool


def confirm_token(registration: Registration) -> str:
    """The token of a registration's confirmation link."""
    return str(
        timed_signer("confirm").dumps(
            {"r": registration.id, "n": registration.confirm_nonce, "g": registration.profile.link_generation}
        )
    )


def confirm_url(registration: Registration) -> str:
    """The absolute confirmation link, in the language the registration was made in."""
    language = registration.submission.get("language") or registration.profile.language
    return mail_url("registrations.confirm", language, token=confirm_token(registration))


def registration_from_confirm_token(token: str) -> ConfirmLink:
    """The registration a confirmation token names, unconfirmed or confirmed by it already (still active), or
    InvalidLinkError."""
    data = link_data("confirm", token, max_age=int(current_app.config["CONFIRMATION_HOURS"] * 3600))
    registration = by_id(Registration, data.get("r"))
    if registration is None:
        raise InvalidLinkError
    if registration.confirmed_at is not None:  # used: confirming cleared the nonce, the signature names it still
        if not registration.is_active:
            raise InvalidLinkError
        generation = data.get("g")  # links sent before the generation was in them open nothing
        return ConfirmLink(registration, generation is not None and generation == registration.profile.link_generation)
    if (
        registration.confirm_nonce != data.get("n")
        or registration.status not in (RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)
        or (registration.expires_at is not None and registration.expires_at <= utcnow())
    ):
        raise InvalidLinkError
    return ConfirmLink(registration, opens_selfservice=False)


# Calendar: shows and cancels this one registration only (calendars get shared).


def registration_token(registration: Registration) -> str:
    """The token of the link in a calendar entry."""
    return str(
        signer("registration").dumps(
            {"r": registration.id, "u": registration.uid, "g": registration.profile.link_generation}
        )
    )


def registration_url(registration: Registration) -> str:
    """The absolute link that can only show and cancel one registration, in the registrant's language."""
    return mail_url(
        "registration_links.calendar_link", registration.profile.language, token=registration_token(registration)
    )


def registration_from_token(token: str) -> Registration:
    """The registration a calendar link names."""
    data = link_data("registration", token)
    registration = by_id(Registration, data.get("r"))
    if (
        registration is None
        or registration.uid != data.get("u")
        or registration.profile.link_generation != data.get("g")
    ):
        raise InvalidLinkError
    return registration
