"""Counting seats and places in line: every count is read from the registrations that hold them, never stored.

Counts that decide anything are read under the event's lock (``events.operations.lock_event``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Integer, bindparam, case, func, select
from sqlalchemy.orm import aliased

from ..database import constant
from ..events.models import Event
from ..extensions import db
from ..returnees.models import ReturneeProfile
from .models import ACTIVE, SEAT_HOLDING, Registration, RegistrationStatus


def seats_held(event_id: int) -> int:
    """Seats held by unconfirmed and confirmed registrations, companions included."""
    return seats_held_at([event_id]).get(event_id, 0)


_HELD_AT = (  # built once: every event page and every registration runs it
    select(Registration.event_id, func.coalesce(func.sum(1 + Registration.companions), 0))
    .where(Registration.event_id.in_(bindparam("event_ids", expanding=True)), Registration.status.in_(SEAT_HOLDING))
    .group_by(Registration.event_id)
)


def seats_held_at(event_ids: Sequence[int]) -> dict[int, int]:
    """Seats held at each of these events, in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(_HELD_AT, {"event_ids": list(event_ids)})
    return {event_id: int(held) for event_id, held in rows}


def seats_left(event: Event) -> int:
    """Free seats at an event."""
    return max(event.capacity - seats_held(event.id), 0)


def seats_left_at(events: Sequence[Event]) -> dict[int, int]:
    """Free seats at each of these events, in one query."""
    held = seats_held_at([event.id for event in events])
    return {event.id: max(event.capacity - held.get(event.id, 0), 0) for event in events}


@dataclass(frozen=True)
class Line:
    """Everything a new registration needs to know of an event's registrations, read in one query under the lock."""

    seats_held: int
    waiting: int
    last_position: int
    last_sequence: int | None  # of the registering person's earlier registrations at the event, if any
    active_id: int | None  # the registering person's active registration at the event, if any

    def seats_left(self, capacity: int) -> int:
        """Free seats at an event of this capacity."""
        return max(capacity - self.seats_held, 0)


# Built once: every registration runs it under the event's lock.
_OWN = Registration.profile_id == bindparam("profile_id")
_LINE = select(
    func.coalesce(func.sum(case((Registration.status.in_(SEAT_HOLDING), 1 + Registration.companions))), 0),
    func.count(case((Registration.status == RegistrationStatus.WAITING, 1))),
    func.coalesce(func.max(Registration.waitlist_position), 0),
    func.max(case((_OWN, Registration.sequence))),
    func.max(case((_OWN & Registration.status.in_(ACTIVE), Registration.id))),
).where(Registration.event_id == bindparam("event_id"), Registration.id != bindparam("new_id"))


def line_at(event_id: int, profile_id: int, new_id: int = 0) -> Line:
    """Seats held, parties waiting, the last waiting-list position, and the registering person's own registrations
    at the event (the highest SEQUENCE, the active one): what ``seats_left``, ``waiting_count``,
    ``next_waitlist_position`` and ``invites.next_sequence`` each read, in a single pass over the event's rows.

    :param new_id: a registration being made, written already in this transaction, that does not count yet.
    """
    row = db.session.execute(_LINE, {"event_id": event_id, "profile_id": profile_id, "new_id": new_id}).one()
    return Line(int(row[0]), int(row[1]), int(row[2]), row[3], row[4])


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


_AHEAD = aliased(Registration, name="ahead")  # built once: an alias costs more to build than the query takes


def waiting_rank_column() -> ColumnElement[int]:
    """A column of the place in line of each waiting registration (NULL for the others), as ``waiting_rank``
    counts it: the database counts who waits ahead, reading the line's index rather than the whole line."""
    ahead = _AHEAD
    count_ahead = (
        select(func.count(ahead.id))
        .where(
            ahead.event_id == Registration.event_id,
            ahead.status == constant(RegistrationStatus.WAITING, Registration.status.type),
            ahead.waitlist_position < Registration.waitlist_position,
        )
        .scalar_subquery()
    )
    waiting = Registration.status == constant(RegistrationStatus.WAITING, Registration.status.type)
    rank: ColumnElement[int] = case((waiting, count_ahead + constant(1, Integer)))
    return rank


def waiting_ranks(registrations: Sequence[Registration]) -> dict[int, int]:
    """The place in line of each waiting registration among these, in one query."""
    waiting = [r.id for r in registrations if r.status == RegistrationStatus.WAITING]
    if not waiting:
        return {}
    rows = db.session.execute(select(Registration.id, waiting_rank_column()).where(Registration.id.in_(waiting)))
    return {registration_id: int(rank) for registration_id, rank in rows}


def waiting_count(event_id: int) -> int:
    """How many parties wait at an event."""
    query = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITING
    )
    return int(db.session.scalar(query) or 0)


def next_waitlist_position(event_id: int) -> int:
    """The position a party joining the line now gets (positions only grow; ranks are counted)."""
    last = db.session.scalar(select(func.max(Registration.waitlist_position)).where(Registration.event_id == event_id))
    return (last or 0) + 1


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


@dataclass(frozen=True)
class SeatCounts:
    """What an organizer sees of an event: seats held, and registrations by state (parties, not seats)."""

    seats_held: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    waiting: int = 0
    confirmed_without_address: int = 0
    active_without_address: int = 0

    @property
    def active(self) -> int:
        """Registrations that hear of it if the event is called off, when they gave an address."""
        return self.confirmed + self.unconfirmed + self.waiting

    @property
    def active_reachable(self) -> int:
        """Active registrations with an address: a call-off's mail reaches them."""
        return self.active - self.active_without_address

    @property
    def confirmed_reachable(self) -> int:
        """Confirmed registrations with an address: a move's updated invitation reaches them."""
        return self.confirmed - self.confirmed_without_address


def seat_counts_at(event_ids: Sequence[int]) -> dict[int, SeatCounts]:
    """The counts of each of these events, in one query."""
    if not event_ids:
        return {}
    # Only a walk-in can have given no address (``ReturneeProfile.email``): only a walk-in's person is looked up, so
    # the counts do not read the people of every registration (a join of 5,000 took twice the counting).
    no_address = (
        select(ReturneeProfile.id)
        .where(ReturneeProfile.id == Registration.profile_id, ReturneeProfile.email.is_(None))
        .exists()
    )
    without_address = func.sum(case((Registration.walk_in, case((no_address, 1), else_=0)), else_=0))
    rows = db.session.execute(
        select(
            Registration.event_id,
            Registration.status,
            func.count(),
            func.sum(1 + Registration.companions),
            without_address,
        )
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(ACTIVE))
        .group_by(Registration.event_id, Registration.status)
    )
    values: dict[int, dict[str, int]] = {}
    for event_id, status, parties, seats, unreachable in rows:
        counts = values.setdefault(event_id, {"seats_held": 0, "active_without_address": 0})
        counts[status.value] = int(parties)
        counts["active_without_address"] += int(unreachable or 0)
        if status == RegistrationStatus.CONFIRMED:
            counts["confirmed_without_address"] = int(unreachable or 0)
        if status in SEAT_HOLDING:
            counts["seats_held"] += int(seats or 0)
    return {event_id: SeatCounts(**values.get(event_id, {})) for event_id in event_ids}
