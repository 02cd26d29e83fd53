"""Every state change of a registration: register, confirm, cancel, promote from the waiting list, lapse.

Each operation that moves seats takes the event's lock (``events.operations.lock_event``) before it counts them:
capacity stays exact when many people register at once, on SQLite and PostgreSQL alike. (A new registration is
written before, unseen until its commit, and counted from under the lock.) Mails are queued and audit entries
written in the same transaction; the unit of work around the operation commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from ..audit.operations import record
from ..database import reserve_id
from ..dates import utcnow
from ..events.models import Event, EventStatus, RegistrationState, registration_state
from ..events.operations import lock_event, lock_events
from ..extensions import db
from ..returnees.models import ConsentPurpose, ReturneeProfile, new_nonce
from ..returnees.operations import (
    ProfileData,
    find_profile,
    profile_for,
    record_confirmed_consents,
    update_profile,
)
from ..transactions import begin_writing, has_uncommitted_writes
from . import notifications, signals
from .invites import keep_erased_steps, sequence_after
from .models import ACTIVE, Registration, RegistrationStatus
from .seats import (
    confirmation_deadline,
    line_at,
    promotion_cutoff,
    seats_left,
    waiting_rank,
)
from .tickets import new_ticket_secret


class RegistrationGoneError(Exception):
    """The registration no longer exists (its data was erased)."""


class NoSeatsForCompanionsError(Exception):
    """More companions than the free seats allow; the registration keeps its size. ``seats_left`` says how many."""

    def __init__(self, seats_left: int) -> None:
        super().__init__(seats_left)
        self.seats_left = seats_left


class RegistrationClosedError(Exception):
    """The event takes no registrations now; ``state`` says why."""

    def __init__(self, state: RegistrationState) -> None:
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class RegistrationOutcome:
    """What the page tells the person who submitted: seated, or waiting at a position."""

    email: str
    waiting: bool
    position: int | None


def record_change(verb: str, registration: Registration, **changes: Any) -> None:
    """Write the audit entry of a change of a registration (its event and state are always part of it)."""
    record(
        verb,
        registration,
        town_id=registration.event.venue.town_id,
        profile_id=registration.profile_id,
        changes={"event_id": registration.event_id, "status": registration.status.value, **changes},
    )


def register(
    event_id: int,
    *,
    email: str,
    language: str,
    profile_data: ProfileData,
    companions: int,
    optional_consents: list[ConsentPurpose],
    now: datetime | None = None,
) -> RegistrationOutcome:
    """Hold seats (or a waiting place) for an unconfirmed registration and mail the confirmation link.

    A second submission for an active registration changes nothing and mails the owner instead; its outcome looks
    the same as a first submission's, so the page reveals nothing about the address.

    When registration opens, hundreds register at once and each waits for the event's lock; so whatever does not
    depend on the seat count is done and written before taking it: the profile is found or made, and the
    registration goes in with the outcome the seats promise now, with its confirmation request (none of it visible
    to anyone before the commit). Under the lock one query reads the seats and the line, the audit entry of the
    outcome goes in (the trail is never changed afterwards), and the commit follows; only a waiting party's place
    in line, a person's earlier invite, or an outcome that turned out otherwise is written there besides (and the
    mail composed again for the last). A registration that closed meanwhile, or a second one of the same person,
    rolls the whole unit back, so nothing of it stays: ``register`` must begin its unit of work.
    """
    now = now or utcnow()
    if has_uncommitted_writes():  # a registration that finds the event closed rolls back the whole unit
        raise RuntimeError("register() must begin its unit of work: earlier changes would be rolled back with it")
    begin_writing()
    event = db.session.get(Event, event_id)
    if event is None:
        raise RegistrationClosedError(RegistrationState.CANCELLED)
    state = registration_state(event, now)
    if state != RegistrationState.OPEN:
        raise RegistrationClosedError(state)
    party = 1 + companions
    profile = find_profile(email)
    # A second submission of someone registered already gets another mail (decided under the lock); the
    # confirmation request is not composed for it beforehand.
    registered = profile is not None and _active_registration(profile, event) is not None
    created = False
    if profile is None:
        profile, created = profile_for(email, language, profile_data)
    submission: dict[str, Any] = {
        "optional_consents": [purpose.value for purpose in optional_consents],
        "language": language,
    }
    if not created:
        submission["profile"] = profile_data.as_json()  # applied only when the owner of the address confirms
    with db.session.no_autoflush:  # a new profile's towns and audit entry go in with the registration, in one flush
        registration = _prepared(event, profile, companions, submission, now)
        seated = seats_left(event) >= party
        registration.status = RegistrationStatus.UNCONFIRMED if seated else RegistrationStatus.WAITING
        version = _version(event)
        town_id = event.venue.town_id
        mail = None if registered else notifications.confirm_request(registration, language)
    db.session.add(registration)
    db.session.flush()

    event = lock_event(event_id)
    state = registration_state(event, now)
    line = line_at(event.id, profile.id, registration.id)
    fits = line.seats_left(event.capacity) >= party
    if state != RegistrationState.OPEN or line.active_id is not None:
        db.session.rollback()  # neither the profile nor anything written for the registration stays
        if state != RegistrationState.OPEN:
            raise RegistrationClosedError(state)
        begin_writing()
        active = db.session.get(Registration, line.active_id)
        if active is not None and active.is_active:  # it may have ended (or been erased) since the rollback
            notifications.already_registered(active)
        return RegistrationOutcome(email, waiting=not fits, position=None if fits else line.waiting + 1)
    status = RegistrationStatus.UNCONFIRMED if fits else RegistrationStatus.WAITING
    # The seats went, or came free, meanwhile; or the registration seen before the lock ended meanwhile
    if registered or status != registration.status or _version(event) != version:
        registration.status = status
        registration.expires_at = confirmation_deadline(event, now)
        town_id = event.venue.town_id
        if mail is not None:
            db.session.delete(mail)
        notifications.confirm_request(registration, language)
    registration.sequence = sequence_after(line.last_sequence, event)
    if not fits:
        registration.waitlist_position = line.last_position + 1
    changes = {"event_id": event.id, "status": status.value, "companions": companions}  # as record_change writes it
    record("registration.created", registration, town_id=town_id, profile_id=profile.id, changes=changes)
    return RegistrationOutcome(profile.email or email, waiting=not fits, position=None if fits else line.waiting + 1)


def _prepared(
    event: Event, profile: ReturneeProfile, companions: int, submission: dict[str, Any], now: datetime
) -> Registration:
    """A new registration, not yet in the session, with its id and the values that do not depend on the seats
    (``register`` adds it and writes it before it takes the event's lock)."""
    return Registration(
        id=reserve_id(Registration),
        profile=profile,
        event=event,
        companions=companions,
        submission=submission,
        confirm_nonce=new_nonce(),
        sequence=0,
        created_at=now,
        expires_at=confirmation_deadline(event, now),
    )


def _version(event: Event) -> tuple[Any, ...]:
    """What a confirmation request shows of an event, as far as a change of it shows in the event's row."""
    return (event.sequence, event.updated_at, event.venue_id, event.starts_at, event.ends_at, event.status)


_ACTIVE_AT = select(Registration).where(  # built once: every registration of a known address runs it
    Registration.profile_id == bindparam("profile_id"),
    Registration.event_id == bindparam("event_id"),
    Registration.status.in_(ACTIVE),
)


def _active_registration(profile: ReturneeProfile, event: Event) -> Registration | None:
    return db.session.scalars(_ACTIVE_AT, {"profile_id": profile.id, "event_id": event.id}).first()


def _locked(registration_id: int) -> tuple[Registration, Event]:
    """A registration read again under its event's lock (it may have changed, or gone, while we waited for it)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:  # erased meanwhile
        raise RegistrationGoneError
    event = lock_event(registration.event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration is None:
        raise RegistrationGoneError
    return registration, event


def confirm(registration_id: int, now: datetime | None = None) -> Registration:
    """Double opt-in: the owner of the address pressed the button. Applies the submission, mails what follows."""
    now = now or utcnow()
    registration, event = _locked(registration_id)
    if registration.confirmed_at is not None or not registration.is_active or event.status != EventStatus.PUBLISHED:
        return registration
    if registration.expires_at is not None and registration.expires_at <= now:  # lapsed before the job ran
        lapse(registration)
        promote(event, now)
        return registration
    profile = registration.profile
    registration.confirmed_at = now
    registration.expires_at = None
    registration.confirm_nonce = ""
    submission = dict(registration.submission)
    language = submission.get("language", profile.language)
    if "profile" in submission:
        update_profile(profile, ProfileData(**submission["profile"]), language)
    else:
        profile.language = language
    profile.confirmed_at = profile.confirmed_at or now
    registration.submission = {}
    record_confirmed_consents(
        profile,
        registration_id=registration.id,
        optional=[ConsentPurpose(value) for value in submission.get("optional_consents", [])],
        given_at=registration.created_at,
        now=now,
    )
    if registration.status == RegistrationStatus.UNCONFIRMED:
        registration.status = RegistrationStatus.CONFIRMED
        db.session.flush()
        record_change("registration.confirmed", registration)
        notifications.confirmed(registration)
    else:
        db.session.flush()
        record_change("registration.confirmed", registration)
        if registration not in promote(event, now):
            notifications.waiting_confirmed(registration, waiting_rank(registration))
    signals.registration_confirmed.send(registration)
    return registration


def promote(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to confirmed waiting parties in order; a party that does not fit keeps its place.

    The caller holds the event's lock.
    """
    if event.status != EventStatus.PUBLISHED or now >= promotion_cutoff(event):
        return []
    free = seats_left(event)
    promoted = []
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITING,
            Registration.confirmed_at.is_not(None),
        )
        .order_by(Registration.waitlist_position)
    )
    for registration in waiting:
        if free <= 0:
            break
        if registration.party_size <= free:
            registration.status = RegistrationStatus.CONFIRMED
            registration.promoted_at = now
            registration.waitlist_position = None
            free -= registration.party_size
            promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        record_change("registration.promoted", registration)
        notifications.promoted(registration)
    return promoted


def cancel(registration_id: int, now: datetime | None = None) -> Registration:
    """Cancel a registration or leave the waiting list; freed seats go to the waiting list."""
    now = now or utcnow()
    registration, event = _locked(registration_id)
    if not registration.changeable:  # cancelled already, or the event called off (which told everyone)
        return registration
    was_waiting = registration.status == RegistrationStatus.WAITING
    holds_invite = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waitlist_position = None
    registration.ticket_secret = new_ticket_secret()  # the ticket in the old mails lets nobody in
    if holds_invite:
        registration.sequence += 1
    db.session.flush()
    record_change("registration.cancelled", registration, was_waiting=was_waiting)
    notifications.cancelled(registration, was_waiting=was_waiting, with_invite=holds_invite)
    if not was_waiting:
        promote(event, now)
    return registration


def lapse(registration: Registration) -> None:
    """An unconfirmed registration runs out: its seat or waiting place goes, and what was typed with it."""
    registration.status = RegistrationStatus.EXPIRED
    registration.waitlist_position = None
    registration.submission = {}
    db.session.flush()
    record_change("registration.lapsed", registration)


def change_companions(registration_id: int, companions: int, now: datetime | None = None) -> Registration:
    """Change how many companions come along: fewer free seats for the waiting list, more only as far as free seats
    allow (NoSeatsForCompanionsError otherwise, and the registration keeps its size). A waiting party may grow.

    More companions are taken only while the event takes registrations; fewer until it begins.
    """
    now = now or utcnow()
    registration, event = _locked(registration_id)
    if not registration.is_active or now >= event.starts_at or event.status != EventStatus.PUBLISHED:
        raise RegistrationClosedError(registration_state(event, now))
    added = companions - registration.companions
    if added == 0:
        return registration
    if added > 0 and registration.status != RegistrationStatus.WAITING:
        if registration_state(event, now) != RegistrationState.OPEN:
            raise RegistrationClosedError(registration_state(event, now))
        if seats_left(event) < added:
            raise NoSeatsForCompanionsError(seats_left(event))
    before = registration.companions
    registration.companions = companions
    db.session.flush()
    record_change("registration.companions_changed", registration, companions=companions, before=before)
    if added < 0:
        promote(event, now)
    return registration


def release_seats_of(profile: ReturneeProfile, now: datetime) -> None:
    """Free every seat and waiting place of a profile that is being erased; the waiting lists move as after a
    cancellation. Whoever holds an invitation to a coming event gets its CANCEL before the data goes: the only mail
    an erasure sends, and one that outlives it."""
    active = select(Registration).where(Registration.profile_id == profile.id, Registration.status.in_(ACTIVE))
    coming = (
        select(Registration).join(Registration.event).where(Registration.profile_id == profile.id, Event.ends_at > now)
    )
    event_ids = [registration.event_id for registration in db.session.scalars(active)]
    kept_steps = [registration.event_id for registration in db.session.scalars(coming)]
    events = lock_events([*event_ids, *kept_steps])
    for registration in db.session.scalars(active.execution_options(populate_existing=True)):
        holds_invite = (
            registration.status == RegistrationStatus.CONFIRMED
            and registration.event.status == EventStatus.PUBLISHED
            and registration.event.ends_at > now
        )
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.waitlist_position = None
        registration.ticket_secret = new_ticket_secret()
        if holds_invite:
            registration.sequence += 1
        db.session.flush()
        record_change("registration.cancelled", registration, reason="erasure")
        if holds_invite:
            notifications.erased(registration)
    keep_erased_steps(profile, now)
    for event in events:
        if event.id in event_ids:
            promote(event, now)
