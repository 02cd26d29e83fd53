"""How registrations answers the packages below it: events that move or are called off, profiles being erased,
and the pages (event list, event page, self-service overview) it adds its part to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..dates import utcnow
from ..events import signals as event_signals
from ..events.calendar import change_note
from ..events.models import Event, EventStatus
from ..events.operations import EventChange
from ..extensions import db
from ..i18n import format_event_time
from ..returnees import signals as returnee_signals
from ..returnees.models import ReturneeProfile
from ..returnees.readable import when
from . import notifications
from .models import ACTIVE, Registration, RegistrationStatus, sort_names
from .operations import promote, release_seats_of
from .seats import confirmation_deadline, seat_counts_at, seats_left, seats_left_at, waiting_ranks
from .tickets import short_code, ticket_svg


def _registrations(event_id: int, statuses: tuple[RegistrationStatus, ...]) -> list[Registration]:
    query = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status.in_(statuses))
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


@event_signals.event_changed.connect
def event_moved(event: Event, *, change: EventChange) -> None:
    """Pending confirmations keep their deadline before the new start; confirmed registrants get an update."""
    for pending in _registrations(event.id, (RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)):
        if pending.confirmed_at is None:  # still never later than two hours before the (new) start
            pending.expires_at = confirmation_deadline(event, pending.created_at)
    if event.status != EventStatus.PUBLISHED:
        return
    for registration in _registrations(event.id, (RegistrationStatus.CONFIRMED,)):  # the event's SEQUENCE rose
        notifications.event_changed(
            registration,
            lambda: change_note(
                event,
                old_starts_at=change.old_starts_at,
                old_ends_at=change.old_ends_at,
                old_location=change.old_location,
            ),
        )


@event_signals.event_cancelled.connect
def event_called_off(event: Event, *, was_published: bool) -> None:
    """Every active registrant of a published event is told; those holding an invitation get a CANCEL for it.

    The registrations keep their state (the event's status says it all).
    """
    if not was_published:
        return
    for registration in _registrations(event.id, ACTIVE):  # the event's SEQUENCE rose with the cancellation
        notifications.event_cancelled(registration, with_invite=registration.status == RegistrationStatus.CONFIRMED)


@event_signals.event_page.connect
def seats_on_event_page(event: Event) -> dict[str, Any]:
    """The seats left, for the event page's call to register."""
    return {"seats_left": seats_left(event)}


@event_signals.event_list.connect
def seats_in_event_list(events: list[Event]) -> dict[str, Any]:
    """The seats left at every listed event, in one query."""
    return {"seats_left": seats_left_at(events)}


@event_signals.event_manage.connect
def counts_for_organizers(events: list[Event]) -> dict[str, Any]:
    """Seats held and registrations by state of every event an organizer page lists, in one query."""
    return {"counts": seat_counts_at([event.id for event in events])}


@event_signals.draft_deleting.connect
def keeps_draft(event: Event) -> bool:
    """A draft holding registrations (walk-ins taken before the desk refused drafts) stays."""
    return db.session.scalar(select(Registration.id).where(Registration.event_id == event.id).limit(1)) is not None


@event_signals.capacity_changed.connect
def capacity_raised(event: Event, *, old: int) -> None:
    """More seats: the waiting list moves up at once (the event's lock is held); fewer keep every held seat."""
    if event.capacity > old:
        promote(event, utcnow())


@returnee_signals.profile_erasing.connect
def free_seats_of_erased(profile: ReturneeProfile, *, now: datetime) -> None:
    """An erased returnee's seats and waiting places go to others."""
    release_seats_of(profile, now)


@returnee_signals.profile_renamed.connect
def resort_renamed(profile: ReturneeProfile) -> None:
    """A renamed returnee's registrations sort under their new name in the organizers' lists."""
    last, first = sort_names(first=profile.first_name, last=profile.last_name)
    db.session.execute(
        update(Registration)
        .where(Registration.profile_id == profile.id)
        .values(sort_last_name=last, sort_first_name=first)
        .execution_options(synchronize_session="fetch")
    )


def registrations_of(profile: ReturneeProfile) -> list[Registration]:
    """A profile's registrations, newest first, with their events."""
    query = (
        select(Registration)
        .where(Registration.profile_id == profile.id)
        .options(selectinload(Registration.event).joinedload(Event.venue))
        .order_by(Registration.created_at.desc(), Registration.id.desc())
    )
    return list(db.session.scalars(query))


@returnee_signals.profile_export.connect
def registrations_in_export(profile: ReturneeProfile) -> dict[str, Any]:
    """The registrations part of a returnee's data export."""
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "event_starts_at": registration.event.starts_at.isoformat(),
                "status": registration.status.value,
                "companions": registration.companions,
                "registered_at": registration.created_at.isoformat(),
                "confirmed_at": registration.confirmed_at.isoformat() if registration.confirmed_at else None,
                "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
            }
            for registration in reversed(registrations_of(profile))
        ]
    }


STATUS_LABELS = {
    RegistrationStatus.UNCONFIRMED: _l("Noch nicht bestätigt"),
    RegistrationStatus.CONFIRMED: _l("Angemeldet"),
    RegistrationStatus.WAITING: _l("Warteliste"),
    RegistrationStatus.CANCELLED: _l("Storniert"),
    RegistrationStatus.EXPIRED: _l("Verfallen (nicht bestätigt)"),
}


@returnee_signals.readable_export.connect
def registrations_in_readable_export(profile: ReturneeProfile) -> returnee_signals.ReadableSection:
    """The registrations part of the readable export: each event with its state and times, in local time."""
    rows = []
    for registration in reversed(registrations_of(profile)):
        event = registration.event
        facts = [str(STATUS_LABELS[registration.status])]
        if registration.companions:
            facts.append(ngettext("%(num)d Begleitperson", "%(num)d Begleitpersonen", registration.companions))
        facts.append(_("angemeldet %(when)s", when=when(registration.created_at)))
        if registration.confirmed_at:
            facts.append(_("bestätigt %(when)s", when=when(registration.confirmed_at)))
        if registration.cancelled_at:
            facts.append(_("storniert %(when)s", when=when(registration.cancelled_at)))
        rows.append((f"{event.title}, {format_event_time(event.starts_at, event.ends_at)}", "; ".join(facts)))
    return returnee_signals.ReadableSection(
        order=10, title=_("Ihre Anmeldungen"), rows=rows or [(_("Anmeldungen"), "–")]
    )


@returnee_signals.selfservice_sections.connect
def registrations_on_overview(profile: ReturneeProfile, *, token: str) -> returnee_signals.Section:
    """The returnee's registrations, with their state, the ticket of each coming seat and a way to cancel, first on
    the overview."""
    registrations = registrations_of(profile)
    now = utcnow()
    tickets = {
        registration.id: (ticket_svg(registration.ticket_secret), short_code(registration.ticket_secret))
        for registration in registrations
        if registration.status == RegistrationStatus.CONFIRMED
        and registration.event.ends_at > now
        and registration.event.status != EventStatus.CANCELLED
    }
    return returnee_signals.Section(
        order=10,
        template="registrations/_selfservice_section.html",
        context={"registrations": registrations, "ranks": waiting_ranks(registrations), "now": now, "tickets": tickets},
    )
