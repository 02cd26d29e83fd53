"""Every state change at the door: scans applied in the order the phone made them, each once whatever the uploads.

A batch takes the event's lock, so two phones uploading at once never let the same party in twice. The queries do
not grow with the batch: one for the nonces seen before, one for the registrations the tickets name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from ..actors import current_actor
from ..dates import utcnow
from ..events.operations import lock_event
from ..extensions import db
from ..i18n import alphabetical
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.operations import record_change
from ..registrations.tickets import CODE_LENGTH, normalized_ticket, short_code
from .models import CheckInScan, ScanAction, ScanOutcome

MAX_BATCH = 500
MAX_OFFLINE = timedelta(hours=24)  # a scan older than this (or from a phone whose clock runs ahead) counts as now


@dataclass(frozen=True)
class Scan:
    """One scan as the phone sent it: its nonce, what was scanned or typed, what to do and when."""

    nonce: str
    ticket: str
    action: ScanAction
    scanned_at: datetime | None = None


@dataclass(frozen=True)
class ScanResult:
    """What a scan did, for the phone to show; ``repeated`` when the nonce had been applied before."""

    nonce: str
    outcome: ScanOutcome
    registration_id: int | None = None
    checked_in_at: datetime | None = None
    repeated: bool = False


@dataclass(frozen=True)
class Counts:
    """People (each with their companions) at the door: in, expected from the registrations, added as walk-ins."""

    present: int
    expected: int
    walk_ins: int


def _registrations_named(
    event_id: int, tickets: set[str]
) -> tuple[dict[str, Registration], dict[str, list[Registration]]]:
    """The event's registrations the tickets name: by whole secret, and by short code (a list, in case two share
    one)."""
    secrets = {ticket for ticket in tickets if len(ticket) > CODE_LENGTH}
    codes = {ticket for ticket in tickets if len(ticket) == CODE_LENGTH}
    if not tickets:
        return {}, {}
    conditions = []
    if secrets:
        conditions.append(Registration.ticket_secret.in_(secrets))
    if codes:
        conditions.append(func.substr(Registration.ticket_secret, 1, CODE_LENGTH).in_(codes))
    found = db.session.scalars(
        select(Registration).where(Registration.event_id == event_id, or_(*conditions)).order_by(Registration.id)
    )
    by_secret: dict[str, Registration] = {}
    by_code: dict[str, list[Registration]] = defaultdict(list)
    for registration in found:
        by_secret[registration.ticket_secret] = registration
        by_code[registration.ticket_secret[:CODE_LENGTH]].append(registration)
    return by_secret, by_code


def _by_id(registration_ids: set[int]) -> dict[int, Registration]:
    if not registration_ids:
        return {}
    query = select(Registration).where(Registration.id.in_(registration_ids))
    return {registration.id: registration for registration in db.session.scalars(query)}


def _repeated(row: CheckInScan, event_id: int, registrations: dict[int, Registration]) -> ScanResult:
    """The answer to a nonce applied before: its first outcome and the party's state now."""
    if row.event_id != event_id:  # a nonce of another event's phone: nothing happens here
        return ScanResult(row.nonce, ScanOutcome.UNKNOWN, repeated=True)
    registration = registrations.get(row.registration_id) if row.registration_id is not None else None
    return ScanResult(
        row.nonce,
        row.outcome,
        registration.id if registration is not None else None,
        registration.checked_in_at if registration is not None else None,
        repeated=True,
    )


def _when(scanned_at: datetime | None, now: datetime) -> datetime:
    """The phone's time of the scan, unless it is in the future or implausibly old."""
    if scanned_at is None or scanned_at > now or scanned_at < now - MAX_OFFLINE:
        return now
    return scanned_at


def apply_scans(event_id: int, scans: list[Scan], now: datetime | None = None) -> list[ScanResult]:
    """Apply a phone's queued scans in order; a nonce seen before changes nothing and answers as it did then."""
    now = now or utcnow()
    lock_event(event_id)
    seen = {
        row.nonce: row
        for row in db.session.scalars(select(CheckInScan).where(CheckInScan.nonce.in_({scan.nonce for scan in scans})))
    }
    earlier = _by_id({row.registration_id for row in seen.values() if row.registration_id is not None})
    normalized = {scan.nonce: normalized_ticket(scan.ticket) for scan in scans}
    by_secret, by_code = _registrations_named(event_id, {ticket for ticket in normalized.values() if ticket})
    user_id = current_actor().user_id
    results: list[ScanResult] = []
    for scan in scans:
        if scan.nonce in seen:
            results.append(_repeated(seen[scan.nonce], event_id, earlier))
            continue
        ticket = normalized[scan.nonce]
        registration: Registration | None = None
        if ticket is None:
            outcome = ScanOutcome.UNKNOWN
        elif len(ticket) == CODE_LENGTH and len(by_code.get(ticket, [])) > 1:
            outcome = ScanOutcome.AMBIGUOUS
        else:
            registration = by_secret.get(ticket) if len(ticket) > CODE_LENGTH else next(iter(by_code[ticket]), None)
            outcome = _apply(registration, scan.action, _when(scan.scanned_at, now))
        row = CheckInScan(
            nonce=scan.nonce,
            event_id=event_id,
            registration_id=registration.id if registration is not None else None,
            user_id=user_id,
            action=scan.action,
            outcome=outcome,
            scanned_at=_when(scan.scanned_at, now),
            received_at=now,
        )
        db.session.add(row)
        seen[scan.nonce] = row
        if registration is not None:
            earlier[registration.id] = registration
        results.append(
            ScanResult(
                scan.nonce,
                outcome,
                registration.id if registration is not None else None,
                registration.checked_in_at if registration is not None else None,
            )
        )
    db.session.flush()
    return results


def _apply(registration: Registration | None, action: ScanAction, when: datetime) -> ScanOutcome:
    """Let a confirmed party in (once), or take it back; write the audit entry of what changed."""
    if registration is None:
        return ScanOutcome.UNKNOWN
    if registration.status != RegistrationStatus.CONFIRMED:
        return ScanOutcome.NOT_SEATED
    if action == ScanAction.CHECK_IN:
        if registration.checked_in_at is not None:
            return ScanOutcome.ALREADY
        registration.checked_in_at = when
        db.session.flush()
        record_change("registration.checked_in", registration, party_size=registration.party_size)
        return ScanOutcome.CHECKED_IN
    if registration.checked_in_at is None:
        return ScanOutcome.NOT_CHECKED_IN
    registration.checked_in_at = None
    db.session.flush()
    record_change("registration.check_in_undone", registration, party_size=registration.party_size)
    return ScanOutcome.UNDONE


def counts(event_id: int) -> Counts:
    """The door's figures of an event, in one query."""
    seated = (Registration.event_id == event_id) & (Registration.status == RegistrationStatus.CONFIRMED)
    party = 1 + Registration.companions
    present, expected, walk_ins = db.session.execute(
        select(
            func.coalesce(func.sum(case((Registration.checked_in_at.is_not(None), party), else_=0)), 0),
            func.coalesce(func.sum(case((Registration.walk_in.is_(False), party), else_=0)), 0),
            func.coalesce(func.sum(case((Registration.walk_in.is_(True), party), else_=0)), 0),
        ).where(seated)
    ).one()
    return Counts(present=int(present), expected=int(expected), walk_ins=int(walk_ins))


@dataclass(frozen=True)
class DoorEntry:
    """One party on the phone's list: its ticket, name and size, and since when it is in."""

    secret: str
    code: str
    name: str
    party_size: int
    checked_in_at: datetime | None
    walk_in: bool


def door_list(event_id: int) -> list[DoorEntry]:
    """Every confirmed party of an event, by last name, in one query: what the phone holds to work offline."""
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
        .options(joinedload(Registration.profile))
        .order_by(Registration.id)
    )
    entries = [
        DoorEntry(
            secret=registration.ticket_secret,
            code=short_code(registration.ticket_secret),
            name=f"{registration.profile.last_name}, {registration.profile.first_name}".strip(", "),
            party_size=registration.party_size,
            checked_in_at=registration.checked_in_at,
            walk_in=registration.walk_in,
        )
        for registration in registrations
    ]
    return sorted(entries, key=lambda entry: alphabetical(entry.name))  # Özdemir among the O
