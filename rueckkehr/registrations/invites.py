"""The calendar invitation of a registration: an iTIP REQUEST (or CANCEL) with the event's one UID.

The public file (``/events/<id>.ics``) and every invitation to the event share the event's UID, so a returnee who
adds both keeps one entry: the client merges them, and a later CANCEL removes it. The invitation's SEQUENCE is the
event's (which every change of the event raises) plus the registration's own steps, so it never falls behind the
public file's; a new registration after a cancelled one starts above it (``sequence_after``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, select, update

from ..events.calendar import Attendee, InviteMethod, event_uid, invitation
from ..events.models import Event
from ..extensions import db
from ..mail.outbox import AlternativePart, Attachment
from ..returnees.models import ReturneeProfile
from ..urls import mail_url
from .links import registration_url
from .models import Registration


def invite_sequence(registration: Registration) -> int:
    """The SEQUENCE of a registration's invitation: never below the public file's, always rising."""
    return registration.event.sequence + registration.sequence


def sequence_after(last: int | None, event: Event) -> int:
    """Where a new registration's own steps start, given the highest of the same person's earlier registrations at
    the event (None: there were none): above it, and above any erased registration's (``erased_invite_step``), as
    the last invitation of the UID to the address may have been a CANCEL, which a lower or equal SEQUENCE would not
    overrule. Every new registration, online or at the door, starts here."""
    earlier = [step for step in (last, event.erased_invite_step) if step is not None]
    return max(earlier) + 1 if earlier else 0


def keep_erased_steps(profile: ReturneeProfile, now: datetime) -> None:
    """Keep on each coming event the highest step of the profile's registrations (their last invitations, a CANCEL
    among them, outlive the erasure: new ones start above). Read under the events' locks, after the cancels above,
    so a step raised meanwhile counts; written without touching ``updated_at``, which the public file and feed show
    (nothing there changes)."""
    steps = db.session.execute(
        select(Registration.event_id, func.max(Registration.sequence))
        .join(Registration.event)
        .where(Registration.profile_id == profile.id, Event.ends_at > now)
        .group_by(Registration.event_id)
    ).all()
    for event_id, step in steps:
        kept = func.coalesce(Event.erased_invite_step, -1)
        db.session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(erased_invite_step=case((kept > step, kept), else_=step), updated_at=Event.updated_at),
            execution_options={"synchronize_session": "fetch"},
        )


def next_sequence(profile: ReturneeProfile | None, event: Event) -> int:
    """``sequence_after`` the person's earlier registrations at the event (none for a person new to the platform),
    read from the database."""
    earlier = None
    if profile is not None:
        earlier = db.session.scalar(
            select(func.max(Registration.sequence)).where(
                Registration.profile_id == profile.id, Registration.event_id == event.id
            )
        )
    return sequence_after(earlier, event)


def registration_invitation(
    registration: Registration,
    *,
    method: InviteMethod = InviteMethod.REQUEST,
    note: str | None = None,
    with_link: bool = True,
) -> bytes:
    """The invitation of one registration, in the registrant's language, with the link that shows or cancels it.

    :param with_link: False for the CANCEL of an erasure (the link dies with the data): the event's page instead.
    """
    profile = registration.profile
    with force_locale(profile.language):
        if with_link:
            label, link = _("Ihre Anmeldung ansehen oder stornieren:"), registration_url(registration)
        else:
            label = _("Alle Angaben und Anmeldung:")
            link = mail_url("events.detail", profile.language, event_id=registration.event_id)
    return invitation(
        registration.event,
        Attendee(email=profile.email or "", name=profile.full_name),  # never called for a walk-in without one
        uid=event_uid(registration.event),
        sequence=invite_sequence(registration),
        language=profile.language,
        link_label=label,
        link=link,
        method=method,
        note=note,
    )


def invite_parts(
    registration: Registration,
    *,
    method: InviteMethod = InviteMethod.REQUEST,
    note: str | None = None,
    with_link: bool = True,
) -> tuple[list[AlternativePart], list[Attachment]]:
    """The calendar invitation of a registration: a ``text/calendar; method=…`` part and an ``invite.ics`` file.

    :param method: REQUEST adds or updates the entry, CANCEL removes it (same UID, higher SEQUENCE).
    :param note: what changed, put first in the entry's description.
    """
    ics = registration_invitation(registration, method=method, note=note, with_link=with_link)
    return (
        [AlternativePart(content_type="text/calendar", data=ics.decode("utf-8"), params={"method": method.value})],
        [Attachment(filename="invite.ics", content_type="text/calendar", data=ics, params={"charset": "UTF-8"})],
    )
