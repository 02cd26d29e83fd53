"""Counting the figures of events: live from the registrations, or from the counts kept when an event was frozen.

An event is frozen (its counts written to ``EventFigure``) once it has ended, by the periodic job, and in any case
before anyone registered for it is erased: so erasing people leaves the figures of past events intact. Counting
reads each registration once, in batches, whatever their number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..dates import BERLIN, utcnow
from ..events.models import Event
from ..extensions import db
from ..occupations.models import OccupationGroup
from ..places.models import Town
from ..registrations.models import Registration
from ..returnees.models import ReturneeProfile
from .models import EventFigure, FigureSnapshot

Counts = dict[str, Counter[str]]


@dataclass(frozen=True)
class Dimension:
    """One figure: its key, its title, whom it counts, and whether each counted registration has exactly one value
    (then the values add up to the total, and secondary suppression applies)."""

    key: str
    title: object
    counts: object
    partition: bool = True


ALL_REGISTRATIONS = _l("alle Anmeldungen")
CONFIRMED_ADDRESS = _l("Anmeldungen mit bestätigter Adresse")
CONFIRMED_BEGUN = _l("bestätigte Anmeldungen von Veranstaltungen, die schon begonnen haben")
DIMENSIONS = [
    Dimension("week", _l("Anmeldungen im Zeitverlauf (nach Kalenderwoche)"), ALL_REGISTRATIONS),
    Dimension("status", _l("Bestätigungen und Warteliste (Stand der Anmeldungen)"), ALL_REGISTRATIONS),
    Dimension("turn_up", _l("Erschienen"), CONFIRMED_BEGUN),  # from check-in at the door
    Dimension("residence", _l("Wo die Rückkehrwilligen heute leben"), CONFIRMED_ADDRESS),
    Dimension("hometown", _l("Früherer Heimatort"), CONFIRMED_ADDRESS),
    Dimension("occupation_area", _l("Berufsbereich (KldB 2010)"), CONFIRMED_ADDRESS),
    Dimension("skill_level", _l("Anforderungsniveau"), CONFIRMED_ADDRESS),
    Dimension("interest", _l("Interessen (Mehrfachnennung)"), CONFIRMED_ADDRESS, partition=False),
    Dimension("advice", _l("Wunsch nach Beratungsgespräch"), CONFIRMED_ADDRESS),
]
BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}


def _week(moment: datetime) -> str:
    year, week, _day = moment.astimezone(BERLIN).isocalendar()
    return f"{year}-W{week:02}"


def _residence(country: str, postal_code: str) -> str:
    if country == "DE":
        return f"DE-{postal_code[:1]}" if postal_code[:1].isdigit() else "DE"
    return country


def live_counts(event_ids: Iterable[int], now: datetime | None = None) -> Counts:
    """The counts of these events' registrations as they are now, summed over the events; turn-up only for events
    that have begun (before, nobody can have come yet)."""
    now = now or utcnow()
    counts: Counts = {dimension.key: Counter() for dimension in DIMENSIONS}
    ids = sorted(set(event_ids))
    if not ids:
        return counts
    columns = [
        Registration.status,
        Registration.created_at,
        Registration.confirmed_at,
        ReturneeProfile.country,
        ReturneeProfile.postal_code,
        Town.slug,
        ReturneeProfile.hometown_other,
        OccupationGroup.area_code,
        ReturneeProfile.skill_level,
        ReturneeProfile.interests,
        Registration.checked_in_at,
        Event.starts_at,
    ]
    statement = (
        select(*columns)
        .join(ReturneeProfile, ReturneeProfile.id == Registration.profile_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(Town, Town.id == ReturneeProfile.hometown_id)
        .outerjoin(OccupationGroup, OccupationGroup.code == ReturneeProfile.occupation_group_code)
        .where(Registration.event_id.in_(ids))
        .execution_options(yield_per=1000)
    )
    for row in db.session.execute(statement):
        status = str(row.status)
        counts["week"][_week(row.created_at)] += 1
        counts["status"][status] += 1
        if status == "confirmed" and row.starts_at <= now:
            counts["turn_up"]["present" if row.checked_in_at else "absent"] += 1
        if row.confirmed_at is None:
            continue
        counts["residence"][_residence(row.country, row.postal_code)] += 1
        counts["hometown"][row.slug or ("other" if row.hometown_other else "none")] += 1
        counts["occupation_area"][row.area_code or "none"] += 1
        counts["skill_level"][str(row.skill_level) if row.skill_level else "none"] += 1
        interests = row.interests or []
        for interest in interests:
            counts["interest"][interest] += 1
        counts["advice"]["yes" if "advice" in interests else "no"] += 1
    return counts


def figures_of(event_ids: Iterable[int]) -> Counts:
    """The counts of these events, summed: kept counts for frozen events, live ones for the others."""
    ids = sorted(set(event_ids))
    frozen = set(db.session.scalars(select(FigureSnapshot.event_id).where(FigureSnapshot.event_id.in_(ids))))
    counts = live_counts(event_id for event_id in ids if event_id not in frozen)
    if frozen:
        kept = db.session.execute(
            select(EventFigure.dimension, EventFigure.value, EventFigure.count).where(
                EventFigure.event_id.in_(sorted(frozen))
            )
        )
        for dimension, value, count in kept:
            if dimension in counts:
                counts[dimension][value] += count
    return counts


def freeze(event_ids: Iterable[int], now: datetime | None = None) -> int:
    """Keep the counts of these events (those not kept yet); return how many were frozen."""
    ids = sorted(set(event_ids))
    done = set(db.session.scalars(select(FigureSnapshot.event_id).where(FigureSnapshot.event_id.in_(ids))))
    frozen = 0
    for event_id in ids:
        if event_id in done:
            continue
        for dimension, counter in live_counts([event_id], now).items():
            db.session.add_all(
                EventFigure(event_id=event_id, dimension=dimension, value=value[:40], count=count)
                for value, count in counter.items()
            )
        db.session.add(FigureSnapshot(event_id=event_id, taken_at=now or utcnow()))
        frozen += 1
    db.session.flush()
    return frozen


def freeze_ended_events(now: datetime | None = None) -> int:
    """The periodic job: keep the counts of every event that has ended; return how many were frozen."""
    now = now or utcnow()
    kept = select(FigureSnapshot.event_id)
    ended = db.session.scalars(select(Event.id).where(Event.ends_at < now, Event.id.not_in(kept)))
    return freeze(list(ended), now)
