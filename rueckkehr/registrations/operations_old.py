"""Every state change of a registration: register, confirm, cancel, promote, expire.

Each operation that moves seats first takes the event's lock (``lock_event``): capacity stays exact when many
people register at once, on SQLite and PostgreSQL alike. Mails are queued in the same transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from ..database import begin_write_transaction, utcnow
from ..events.models import Event, EventStatus, RegistrationState, registration_state
from ..extensions import db
from ..places.models import Town
from . import notifications
from .consents import CONSENT_VERSION
from .models import (
    ACTIVE,
    SEAT_HOLDING,
    Consent,
    ConsentPurpose,
    Registration,
    RegistrationStatus,
    ReturneeProfile,
)


class RegistrationGoneError(Exception):
    """The registration no longer exists (its data was erased)."""


class RegistrationClosedError(Exception):
    """The event takes no registrations now; ``state`` says why."""

    def __init__(self, state: RegistrationState) -> None:
        super().__init__(state)
        self.state = state


@dataclass
class ProfileData:
    """What a returnee typed about themselves."""

    first_name: str
    last_name: str
    postal_code: str
    city: str
    country: str
    salutation: str | None = None
    phone: str | None = None
    hometown_slug: str | None = None
    hometown_other: str | None = None
    wished_town_slugs: list[str] = field(default_factory=list)
    occupation_group_code: str | None = None
    skill_level: int | None = None
    working_times: list[str] = field(default_factory=list)
    earliest_return: str | None = None
    interests: list[str] = field(default_factory=list)
    partner_occupation_group_code: str | None = None
    partner_skill_level: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RegistrationOutcome:
    """What the page tells the person who submitted: seated, or waiting at a position."""

    email: str
    waiting: bool
    position: int | None


def lock_events(event_ids: list[int]) -> list[Event]:
    """Start a transaction that holds these events exclusively until commit (row locks in id order, so two callers
    never deadlock; on SQLite the write lock of the whole database)."""
    begin_write_transaction()
    query = select(Event).where(Event.id.in_(event_ids)).order_by(Event.id).execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    return list(db.session.scalars(query))


def lock_event(event_id: int) -> Event:
    """Start a transaction that holds the event exclusively until commit."""
    [event] = lock_events([event_id])
    return event


def seats_held(event_id: int) -> int:
    """Seats held by unconfirmed and confirmed registrations, companions included."""
    held = db.session.scalar(
        select(func.coalesce(func.sum(1 + Registration.companions), 0)).where(
            Registration.event_id == event_id, Registration.status.in_(SEAT_HOLDING)
        )
    )
    return int(held or 0)


def seats_left(event: Event) -> int:
    """Free seats at an event."""
    return max(event.capacity - seats_held(event.id), 0)


def waiting_rank(registration: Registration) -> int:
    """A waiting registration's place in line (1 is next)."""
    ahead = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITING,
            Registration.waitlist_position < registration.waitlist_position,
        )
    )
    return int(ahead or 0) + 1


def _waiting_count(event_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITING
            )
        )
        or 0
    )


def promotion_cutoff(event: Event) -> datetime:
    """After this moment nobody moves up any more; freed seats stay for people at the door."""
    return event.starts_at - timedelta(hours=current_app.config["PROMOTION_CUTOFF_HOURS"])


def confirmation_deadline(event: Event, registered_at: datetime) -> datetime:
    """When an unconfirmed registration lapses: 48 hours, never later than two hours before the start."""
    config = current_app.config
    return min(
        registered_at + timedelta(hours=config["CONFIRMATION_HOURS"]),
        event.starts_at - timedelta(hours=config["UNCONFIRMED_LATEST_BEFORE_EVENT_HOURS"]),
    )


def _profile_values(data: ProfileData) -> dict[str, Any]:
    """Column values for a profile from what was typed."""
    values = asdict(data)
    hometown_slug = values.pop("hometown_slug")
    wished = values.pop("wished_town_slugs")
    values["hometown"] = (
        db.session.scalars(select(Town).where(Town.slug == hometown_slug)).one_or_none() if hometown_slug else None
    )
    values["wished_towns"] = list(db.session.scalars(select(Town).where(Town.slug.in_(wished)))) if wished else []
    return values


def apply_profile_data(profile: ReturneeProfile, data: ProfileData) -> None:
    """Overwrite a profile with what its owner typed."""
    for name, value in _profile_values(data).items():
        setattr(profile, name, value)


def find_profile(email: str) -> ReturneeProfile | None:
    """The profile of an address, if there is one."""
    return db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.email == email.lower())).one_or_none()


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
    """Register an address for an event: a seat if the party fits, else the waiting list.

    A second submission for an active registration changes nothing and mails the owner instead; its outcome looks
    the same as a first submission's, so the page reveals nothing about the address.
    """
    now = now or utcnow()
    email = email.strip().lower()
    event = lock_event(event_id)
    state = registration_state(event, now)
    if state != RegistrationState.OPEN:
        db.session.rollback()
        raise RegistrationClosedError(state)
    party = 1 + companions
    fits = seats_left(event) >= party
    profile = find_profile(email)
    existing = None
    if profile is not None:
        existing = db.session.scalars(
            select(Registration).where(
                Registration.profile_id == profile.id,
                Registration.event_id == event.id,
                Registration.status.in_(ACTIVE),
            )
        ).first()
    if existing is not None:
        notifications.already_registered(existing)
        outcome = RegistrationOutcome(email, waiting=not fits, position=None if fits else _waiting_count(event.id) + 1)
        db.session.commit()
        return outcome

    submission: dict[str, Any] = {
        "optional_consents": [purpose.value for purpose in optional_consents],
        "language": language,
    }
    if profile is None:
        profile = ReturneeProfile(email=email, language=language)
        apply_profile_data(profile, profile_data)
        db.session.add(profile)
    else:
        submission["profile"] = asdict(profile_data)
    position = None
    if not fits:
        last = db.session.scalar(
            select(func.max(Registration.waitlist_position)).where(Registration.event_id == event.id)
        )
        position = (last or 0) + 1
    registration = Registration(
        profile=profile,
        event=event,
        status=RegistrationStatus.UNCONFIRMED if fits else RegistrationStatus.WAITING,
        waitlist_position=position,
        companions=companions,
        submission=submission,
        created_at=now,
        expires_at=confirmation_deadline(event, now),
    )
    db.session.add(registration)
    db.session.flush()
    notifications.confirm_request(registration, language)
    outcome = RegistrationOutcome(email, waiting=not fits, position=None if fits else waiting_rank(registration))
    db.session.commit()
    return outcome


def _record_consents(registration: Registration, optional: list[str], now: datetime) -> None:
    """Store the consents of a confirmed submission; an unticked box never withdraws an earlier consent."""
    profile = registration.profile
    profile.consents.append(
        Consent(
            purpose=ConsentPurpose.PARTICIPATION,
            registration_id=registration.id,
            text_version=CONSENT_VERSION,
            given_at=registration.created_at,
            confirmed_at=now,
        )
    )
    for value in optional:
        purpose = ConsentPurpose(value)
        if profile.active_consent(purpose) is None:
            profile.consents.append(
                Consent(
                    purpose=purpose, text_version=CONSENT_VERSION, given_at=registration.created_at, confirmed_at=now
                )
            )


def confirm(registration_id: int, now: datetime | None = None) -> Registration:
    """Double opt-in: the owner of the address pressed the button. Applies the submission, mails what follows."""
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    if registration is None:  # erased meanwhile
        raise RegistrationGoneError
    event = lock_event(registration.event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration is None:
        db.session.rollback()
        raise RegistrationGoneError
    if registration.confirmed_at is not None or not registration.is_active or event.status != EventStatus.PUBLISHED:
        db.session.rollback()
        return registration
    if registration.expires_at is not None and registration.expires_at <= now:  # lapsed before the job ran
        _lapse(registration)
        db.session.flush()
        _promote(event, now)
        db.session.commit()
        return registration
    profile = registration.profile
    registration.confirmed_at = now
    registration.expires_at = None
    registration.confirm_nonce = ""
    submission = dict(registration.submission)
    if "profile" in submission:
        apply_profile_data(profile, ProfileData(**submission["profile"]))
    profile.language = submission.get("language", profile.language)
    profile.confirmed_at = profile.confirmed_at or now
    registration.submission = {}
    _record_consents(registration, submission.get("optional_consents", []), now)
    if registration.status == RegistrationStatus.UNCONFIRMED:
        registration.status = RegistrationStatus.CONFIRMED
        db.session.flush()
        notifications.confirmed(registration)
    else:
        db.session.flush()
        promoted = _promote(event, now)
        if registration not in promoted:
            notifications.waiting_confirmed(registration, waiting_rank(registration))
    db.session.commit()
    return registration


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to confirmed waiting parties in order; a party that does not fit keeps its place."""
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
        notifications.promoted(registration)
    return promoted


def cancel(registration_id: int, now: datetime | None = None) -> Registration:
    """Cancel a registration or leave the waiting list; freed seats go to the waiting list."""
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    event = lock_event(registration.event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if not registration.is_active:
        db.session.rollback()
        return registration
    was_waiting = registration.status == RegistrationStatus.WAITING
    holds_invite = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waitlist_position = None
    if holds_invite:
        registration.sequence += 1
    db.session.flush()
    notifications.cancelled(registration, was_waiting=was_waiting, with_invite=holds_invite)
    if not was_waiting:
        _promote(event, now)
    db.session.commit()
    return registration


def _lapse(registration: Registration) -> None:
    """An unconfirmed registration runs out: its seat or waiting place goes, and what was typed with it."""
    registration.status = RegistrationStatus.EXPIRED
    registration.waitlist_position = None
    registration.submission = {}


def release_seats_of(profile_id: int, now: datetime) -> None:
    """Within the caller's transaction, free every seat and waiting place of a profile that is being erased.

    No mail goes to the profile (its data is about to go); the waiting lists move as after a cancellation.
    """
    event_ids = sorted(
        set(
            db.session.scalars(
                select(Registration.event_id).where(
                    Registration.profile_id == profile_id, Registration.status.in_(ACTIVE)
                )
            )
        )
    )
    events = lock_events(event_ids)
    for registration in db.session.scalars(
        select(Registration).where(Registration.profile_id == profile_id, Registration.status.in_(ACTIVE))
    ):
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.waitlist_position = None
    db.session.flush()
    for event in events:
        _promote(event, now)


def expire_unconfirmed(now: datetime | None = None) -> int:
    """Let unconfirmed registrations lapse; their seats return and the waiting list moves. Returns how many."""
    now = now or utcnow()
    due = db.session.execute(
        select(Registration.id, Registration.event_id).where(
            Registration.confirmed_at.is_(None),
            Registration.status.in_((RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)),
            Registration.expires_at <= now,
        )
    ).all()
    db.session.commit()
    expired = 0
    for event_id in sorted({event_id for _, event_id in due}):
        event = lock_event(event_id)
        lapsed = db.session.scalars(
            select(Registration).where(
                Registration.event_id == event_id,
                Registration.confirmed_at.is_(None),
                Registration.status.in_((RegistrationStatus.UNCONFIRMED, RegistrationStatus.WAITING)),
                Registration.expires_at <= now,
            )
        ).all()
        for registration in lapsed:
            _lapse(registration)
        expired += len(lapsed)
        db.session.flush()
        _promote(event, now)
        db.session.commit()
    return expired


def notify_waiting_after_cutoff(now: datetime | None = None) -> int:
    """Tell people still waiting once the cut-off has passed that nobody moves up any more."""
    now = now or utcnow()
    hours = current_app.config["PROMOTION_CUTOFF_HOURS"]
    waiting = db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == RegistrationStatus.WAITING,
            Registration.cutoff_notified_at.is_(None),
            Registration.confirmed_at.is_not(None),
            Event.starts_at <= now + timedelta(hours=hours),
            Event.starts_at > now,
            Event.status == EventStatus.PUBLISHED,
        )
    ).all()
    for registration in waiting:
        registration.cutoff_notified_at = now
        notifications.waiting_cutoff(registration)
    db.session.commit()
    return len(waiting)


def send_reminders(now: datetime | None = None) -> int:
    """Remind confirmed registrants ``REMINDER_DAYS_BEFORE`` days before their event, once each. Returns how many.

    Whoever got their seat inside that window has just had the invite and is not reminded again.
    """
    now = now or utcnow()
    window = timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    due = db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminder_sent_at.is_(None),
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + window,
        )
        .order_by(Registration.id)
    ).all()
    seated_early = [
        registration.id
        for registration in due
        if (seated_at := registration.promoted_at or registration.confirmed_at) is not None
        and seated_at < registration.event.starts_at - window
    ]
    db.session.commit()
    sent = 0
    for registration_id in seated_early:
        begin_write_transaction()
        claimed = db.session.execute(
            update(Registration)
            .where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        notifications.reminder(db.session.get(Registration, registration_id, populate_existing=True))
        db.session.commit()
        sent += 1
    return sent
