"""Every mail of a registration, in the returnee's language, queued in the outbox through ``returnees.send``.

Each is signed by the contact person of the event's town, who also receives the replies. The calendar invite
(iTIP REQUEST) joins the confirmation, promotion, update and reminder mails; a cancellation carries an iTIP CANCEL
with the same UID.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import force_locale

from ..events.calendar import InviteMethod
from ..mail.models import OutboxMessage
from ..returnees.links import manage_url
from ..returnees.notifications import send
from ..urls import mail_url
from .invites import invite_parts
from .links import confirm_url, registration_url
from .models import Registration
from .tickets import short_code, ticket_attachment


def _to_registrant(kind: str, registration: Registration, template: str, **context: Any) -> OutboxMessage | None:
    """Send a mail about a registration: the registration and its event in the template, the event's town's
    contact as the one to reply to."""
    event = registration.event
    return send(
        kind, registration.profile, template, town=event.venue.town, registration=registration, event=event, **context
    )


def _with_invite(
    kind: str,
    registration: Registration,
    template: str,
    *,
    method: InviteMethod = InviteMethod.REQUEST,
    note: str | None = None,
    with_ticket: bool = False,
    **context: Any,
) -> None:
    """Send a mail with the registration's calendar invitation, its own link and the self-service link.

    :param with_ticket: the mail gives a seat: its ticket goes along (``ticket.png`` and the short code).
    """
    if registration.profile.email is None:  # a walk-in who gave no address
        return
    alternatives, attachments = invite_parts(registration, method=method, note=note)
    if with_ticket:
        attachments.append(ticket_attachment(registration.ticket_secret))
        context["ticket_code"] = short_code(registration.ticket_secret)
    if method == InviteMethod.CANCEL:
        context["calendar_cancel"] = True
    _to_registrant(
        kind,
        registration,
        template,
        alternatives=alternatives,
        attachments=attachments,
        manage_url=manage_url(registration.profile),
        registration_url=registration_url(registration),
        **context,
    )


def confirm_request(registration: Registration, language: str) -> OutboxMessage | None:
    """Ask the address owner to confirm (seat held or waiting list); its outbox row."""
    return _to_registrant(
        "registration.confirm_request",
        registration,
        "registration_confirm_request",
        answer=True,
        language=language,
        confirm_url=confirm_url(registration),
    )


def already_registered(registration: Registration) -> None:
    """Tell the owner of an address that a new submission changed nothing, with their links."""
    profile = registration.profile
    _to_registrant(
        "registration.already_registered",
        registration,
        "registration_already_registered",
        answer=True,
        confirm_url=confirm_url(registration) if registration.confirmed_at is None else None,
        manage_url=manage_url(profile) if profile.confirmed_at is not None else None,
    )


def confirmed(registration: Registration) -> None:
    """The seat is confirmed: the self-service link, the invite and the ticket for the door."""
    _with_invite("registration.confirmed", registration, "registration_confirmed", with_ticket=True)


def waiting_confirmed(registration: Registration, rank: int) -> None:
    """The address is confirmed and the party waits at ``rank``."""
    _to_registrant(
        "registration.waiting_confirmed",
        registration,
        "registration_waiting_confirmed",
        rank=rank,
        manage_url=manage_url(registration.profile),
    )


def promoted(registration: Registration) -> None:
    """A seat came free: the party moved up from the waiting list."""
    _with_invite("registration.promoted", registration, "registration_promoted", with_ticket=True)


def cancelled(registration: Registration, *, was_waiting: bool, with_invite: bool = False) -> None:
    """Confirm a cancellation or the departure from the waiting list.

    :param with_invite: the registrant holds a calendar entry; a CANCEL with its UID removes it.
    """
    if with_invite:
        _with_invite(
            "registration.cancelled",
            registration,
            "registration_cancelled",
            method=InviteMethod.CANCEL,
            was_waiting=was_waiting,
        )
    else:
        _to_registrant("registration.cancelled", registration, "registration_cancelled", was_waiting=was_waiting)


def erased(registration: Registration) -> None:
    """The returnee had all their data erased: the CANCEL takes the day out of their calendar before it goes.

    The mail carries no link of theirs (links die with the data) and outlives the erasure of their other mails.
    """
    alternatives, attachments = invite_parts(registration, method=InviteMethod.CANCEL, with_link=False)
    _to_registrant(
        "registration.erased",
        registration,
        "registration_erased",
        answer=True,
        alternatives=alternatives,
        attachments=attachments,
        outlives_erasure=True,
    )


def event_changed(registration: Registration, note_for: Callable[[], str]) -> None:
    """Tell a confirmed registrant that the event moved, with the updated invite (same UID, next SEQUENCE).

    :param note_for: makes the note of what changed; called in the registrant's language.
    """
    with force_locale(registration.profile.language):
        note = note_for()
    _with_invite(
        "registration.event_changed",
        registration,
        "registration_event_changed",
        note=note,
        note_lines=note.splitlines(),
    )


def event_cancelled(registration: Registration, *, with_invite: bool) -> None:
    """Tell an active registrant that the organizers called the event off; a CANCEL removes the calendar entry."""
    events_url = mail_url("events.index", registration.profile.language)
    if with_invite:
        _with_invite(
            "registration.event_cancelled",
            registration,
            "registration_event_cancelled",
            method=InviteMethod.CANCEL,
            events_url=events_url,
        )
    else:
        _to_registrant(
            "registration.event_cancelled", registration, "registration_event_cancelled", events_url=events_url
        )


def reminder(registration: Registration) -> None:
    """Remind a confirmed registrant shortly before the event: the invite again, directions, the self-service link."""
    _with_invite("registration.reminder", registration, "registration_reminder", with_ticket=True)


def waiting_cutoff(registration: Registration) -> None:
    """Tell a waiting party that nobody moves up any more; seats at the door may be free."""
    _to_registrant("registration.waiting_cutoff", registration, "registration_waiting_cutoff")
