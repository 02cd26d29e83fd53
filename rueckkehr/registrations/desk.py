"""What organizers do to single registrations: add a walk-in at the door, move someone up from the waiting list.

Cancelling is ``operations.cancel``, the same as the returnee's own. Each takes the event's lock first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..dates import utcnow
from ..events.models import EventStatus
from ..events.operations import lock_event
from ..extensions import db
from ..returnees.models import ConsentMethod
from ..returnees.operations import ProfileData, find_profile, profile_for, record_consent_at_the_door
from . import notifications
from .invites import next_sequence
from .models import Registration, RegistrationStatus
from .operations import RegistrationGoneError, _active_registration, record_change
from .seats import seats_left


class NotOpenForWalkInsError(Exception):
    """The event is called off or not published: nobody walks in to it."""


class EventOverError(NotOpenForWalkInsError):
    """The event has ended: nobody is seated at its door any more."""


class AlreadyRegisteredError(Exception):
    """The address has an active registration for this event already."""


class NoSeatsError(Exception):
    """Moving up needs as many free seats as the party has people."""


class NotWaitingError(Exception):
    """The registration is not (or no longer) on the waiting list: moved up meanwhile, or cancelled."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.id)
        self.registration = registration


@dataclass
class WalkIn:
    """Who came to the door without registering, and how they consented."""

    first_name: str
    last_name: str
    email: str | None
    postal_code: str
    city: str
    country: str
    companions: int
    consent_method: ConsentMethod


@dataclass
class SeatedWalkIn:
    """The walk-in's registration, and whether it joined a person the platform knew by the address already (whose
    saved details stay as they are: what was typed at the door is not taken over)."""

    registration: Registration
    known: bool


def is_over(ends_at: datetime, now: datetime | None = None) -> bool:
    """Whether an event that ends at ``ends_at`` has ended: nobody is seated at its door any more. Before it, and
    while it runs, walk-ins are taken (paper sign-ups ahead of the day, people at the door)."""
    return ends_at <= (now or utcnow())


def takes_walk_ins(status: EventStatus, ends_at: datetime, now: datetime | None = None) -> bool:
    """Whether an event of this status, ending at ``ends_at``, seats people at its door now: published, not called
    off, and not over (``add_walk_in`` refuses the rest)."""
    return status == EventStatus.PUBLISHED and not is_over(ends_at, now)


def add_walk_in(event_id: int, walk_in: WalkIn, now: datetime | None = None) -> SeatedWalkIn:
    """Seat someone at the door: confirmed and checked in at once, even beyond the capacity (they are there), until
    the event has ended (``EventOverError``; a draft or a called-off event raises ``NotOpenForWalkInsError``). With
    an address they get the confirmation with their self-service link; their consent is recorded as given at the
    door. An address known already adds the registration to that person, whose own details are kept: staff typing
    at the door never overwrite what the returnee saved (the view tells them so)."""
    now = now or utcnow()
    event = lock_event(event_id)
    if event.status != EventStatus.PUBLISHED:
        raise NotOpenForWalkInsError
    if is_over(event.ends_at, now):
        raise EventOverError
    profile = find_profile(walk_in.email) if walk_in.email else None
    if profile is not None and _active_registration(profile, event) is not None:
        raise AlreadyRegisteredError
    over_capacity = seats_left(event) < 1 + walk_in.companions
    known = profile is not None
    if profile is None:
        data = ProfileData(
            first_name=walk_in.first_name,
            last_name=walk_in.last_name,
            postal_code=walk_in.postal_code,
            city=walk_in.city,
            country=walk_in.country,
        )
        profile, _ = profile_for(walk_in.email, "de", data)
    registration = Registration(
        profile=profile,
        event=event,
        status=RegistrationStatus.CONFIRMED,
        companions=walk_in.companions,
        confirm_nonce="",
        created_at=now,
        confirmed_at=now,
        checked_in_at=now,  # added at the door: here already
        walk_in=True,
        sequence=next_sequence(profile if known else None, event),  # above an earlier CANCEL of the UID
    )
    db.session.add(registration)
    db.session.flush()
    record_consent_at_the_door(profile, registration.id, walk_in.consent_method, now)
    record_change("registration.created", registration, walk_in=True, over_capacity=over_capacity)
    notifications.confirmed(registration)
    return SeatedWalkIn(registration, known)


def move_up(registration_id: int, now: datetime | None = None) -> Registration:
    """Give a confirmed waiting party a seat out of turn, if the free seats fit it; it is told by mail. A registration
    no longer waiting raises ``NotWaitingError`` (and nothing changes)."""
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationGoneError
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.WAITING:  # moved up by itself meanwhile, or cancelled
        raise NotWaitingError(registration)
    if registration.confirmed_at is None:
        raise NoSeatsError
    if seats_left(event) < registration.party_size:
        raise NoSeatsError
    registration.status = RegistrationStatus.CONFIRMED
    registration.promoted_at = now
    registration.waitlist_position = None
    db.session.flush()
    record_change("registration.promoted", registration, by_organizer=True)
    notifications.promoted(registration)
    return registration
