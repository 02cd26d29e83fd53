"""The cards of a jobs board page: what the board shows of each vacancy, with the next coming event where its
employer has a confirmed stand, loaded in one statement per page; and the coming stands of a list of employers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    select,
)

from ..dates import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..occupations.working_times import WorkingTime
from ..places.models import Town, Venue
from .board_queries import BoardFilter, BoardPage, _expanding, _in_order, find_page
from .models import Employer, StandBooking, StandStatus, Vacancy
from .queries import WITH_PLACE


def board_cards(filters: BoardFilter, now: datetime | None = None) -> BoardPage:
    """One page of the jobs board (``find_page``) as the cards that the board shows."""
    found = find_page(filters, now)
    found.cards = _cards(found.ids, now)
    return found


@dataclass(frozen=True)
class VacancyCard:
    """What the board shows of a vacancy, and the next coming event where its employer has a confirmed stand."""

    id: int
    title: str
    employer_id: int
    employer_name: str
    place: str
    working_times: list[WorkingTime]
    skill_level: int
    stand_event_id: int | None
    stand_starts_at: datetime | None
    stand_town: str | None


def _coming_stand() -> list[ColumnElement[bool]]:
    """A confirmed stand at a published event that has not ended by ``now``."""
    return [
        StandBooking.status == StandStatus.CONFIRMED,
        Event.status == EventStatus.PUBLISHED,
        Event.ends_at >= bindparam("now", type_=Event.ends_at.type),
    ]


@lru_cache(maxsize=1)
def _cards_statement() -> Select:
    """The columns that a card shows, its employer's name, its town, and its employer's next coming stand (numbered
    from the soonest, as ``coming_stands`` chooses it), for the vacancies ``ids``."""
    ids = _expanding("ids")
    soonest_first = func.row_number().over(partition_by=StandBooking.employer_id, order_by=(Event.starts_at, Event.id))
    stands = (
        select(
            StandBooking.employer_id,
            Event.id.label("event_id"),
            Event.starts_at,
            Town.name.label("town_name"),
            soonest_first.label("number"),
        )
        .join(Event, StandBooking.event_id == Event.id)
        .join(Venue, Event.venue_id == Venue.id)
        .join(Town, Venue.town_id == Town.id)
        .where(StandBooking.employer_id.in_(select(Vacancy.employer_id).where(Vacancy.id.in_(ids))), *_coming_stand())
        .subquery()
    )
    return (
        select(
            Vacancy.id,
            Vacancy.title,
            Vacancy.employer_id,
            Employer.name,
            Town.name,
            Vacancy.place_postal_code,
            Vacancy.place_name,
            Vacancy.working_times,
            Vacancy.skill_level,
            stands.c.event_id,
            stands.c.starts_at,
            stands.c.town_name,
        )
        .join(Employer, Vacancy.employer_id == Employer.id)
        .outerjoin(Town, Vacancy.town_id == Town.id)
        .outerjoin(stands, and_(stands.c.employer_id == Vacancy.employer_id, stands.c.number == 1))
        .where(Vacancy.id.in_(ids))
    )


def _cards(ids: list[int], now: datetime | None) -> list[VacancyCard]:
    """The cards of a page, in the page's order (one statement)."""
    if not ids:
        return []
    rows = db.session.execute(_cards_statement(), {"ids": ids, "now": now or utcnow()})
    cards = {
        row[0]: VacancyCard(
            id=row[0],
            title=row[1],
            employer_id=row[2],
            employer_name=row[3],
            place=row[4] if row[4] is not None else f"{row[5]} {row[6]}".strip(),  # as ``Vacancy.place``
            working_times=row[7],
            skill_level=row[8],
            stand_event_id=row[9],
            stand_starts_at=row[10],
            stand_town=row[11],
        )
        for row in rows
    }
    return _in_order(cards, ids)


@lru_cache(maxsize=1)
def _stands_statement() -> Select:
    return (
        select(StandBooking.employer_id, Event)
        .join(Event, StandBooking.event_id == Event.id)
        .where(StandBooking.employer_id.in_(_expanding("employer_ids")), *_coming_stand())
        .options(WITH_PLACE)
        .order_by(Event.starts_at, Event.id)
    )


def coming_stands(employer_ids: list[int], now: datetime | None = None) -> dict[int, Event]:
    """The next coming published event at which each employer has a confirmed stand (one statement)."""
    if not employer_ids:
        return {}
    rows = db.session.execute(_stands_statement(), {"employer_ids": sorted(set(employer_ids)), "now": now or utcnow()})
    first: dict[int, Event] = {}
    for employer_id, event in rows:
        first.setdefault(employer_id, event)
    return first
