"""The calendar invitation of a registration: an iTIP REQUEST (or CANCEL) with the registration's own UID."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.calendar import Attendee, InviteMethod, invitation
from ..mail.outbox import AlternativePart, Attachment
from ..urls import site_host
from .links import registration_url
from .models import Registration


def registration_uid(registration: Registration) -> str:
    """The UID of a registration's invitation: stable for the registration, new for a new registration."""
    return f"{registration.uid}@{site_host()}"


def registration_invitation(
    registration: Registration, *, method: InviteMethod = InviteMethod.REQUEST, note: str | None = None
) -> bytes:
    """The invitation of one registration, in the registrant's language, with the link that shows or cancels it."""
    profile = registration.profile
    with force_locale(profile.language):
        label = _("Ihre Anmeldung ansehen oder stornieren:")
    return invitation(
        registration.event,
        Attendee(email=profile.email or "", name=profile.full_name),  # never called for a walk-in without one
        uid=registration_uid(registration),
        sequence=registration.sequence,
        language=profile.language,
        link_label=label,
        link=registration_url(registration),
        method=method,
        note=note,
    )


def invite_parts(
    registration: Registration, *, method: InviteMethod = InviteMethod.REQUEST, note: str | None = None
) -> tuple[list[AlternativePart], list[Attachment]]:
    """The calendar invitation of a registration: a ``text/calendar; method=…`` part and an ``invite.ics`` file.

    :param method: REQUEST adds or updates the entry, CANCEL removes it (same UID, higher SEQUENCE).
    :param note: what changed, put first in the entry's description.
    """
    ics = registration_invitation(registration, method=method, note=note)
    return (
        [AlternativePart(content_type="text/calendar", data=ics.decode("utf-8"), params={"method": method.value})],
        [Attachment(filename="invite.ics", content_type="text/calendar", data=ics, params={"charset": "UTF-8"})],
    )
