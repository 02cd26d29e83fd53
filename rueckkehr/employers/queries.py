"""Read-only queries: the jobs board and its search, public employer pages, exhibitors of an event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..dates import berlin_today, utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..occupations.models import OccupationGroup
from ..occupations.working_times import WorkingTime, offers
from ..places.models import Town, Venue
from .models import (
    Employer,
    EmployerStatus,
    StandBooking,
    StandStatus,
    Vacancy,
    VacancyStatus,
    VacancyTerm,
)
from .search import query_tokens

PAGE_SIZE = 20
WITH_PLACE = joinedload(Event.venue).joinedload(Venue.town)  # what an event card shows besides the event


@dataclass
class BoardFilter:
    """The jobs board's filters, as they come from the URL."""

    query: str = ""
    town: Town | None = None
    area_code: str | None = None
    group_code: str | None = None
    level: int | None = None
    working_time: WorkingTime | None = None
    sort: str = "newest"
    page: int = 1


@dataclass
class BoardPage:
    """One page of results and the total count."""

    vacancies: list[Vacancy]
    total: int
    page: int
    pages: int
    tokens: list[str] = field(default_factory=list)


def on_board(now: datetime | None = None) -> list:
    """The conditions that put a vacancy on the public board."""
    return [
        Vacancy.status == VacancyStatus.PUBLISHED,
        Vacancy.valid_until >= berlin_today(now),
        Employer.status == EmployerStatus.APPROVED,
    ]


def _filtered(filters: BoardFilter, now: datetime | None) -> Select:
    """Published vacancies matching the filters (without search or order)."""
    statement = select(Vacancy).join(Vacancy.employer).where(*on_board(now))
    if filters.town is not None:
        statement = statement.where(Vacancy.town_id == filters.town.id)
    if filters.group_code:
        statement = statement.where(Vacancy.occupation_group_code == filters.group_code)
    elif filters.area_code:
        groups = select(OccupationGroup.code).where(OccupationGroup.area_code == filters.area_code)
        statement = statement.where(Vacancy.occupation_group_code.in_(groups))
    if filters.level:
        statement = statement.where(Vacancy.skill_level == filters.level)
    if filters.working_time:
        statement = statement.where(offers(Vacancy.working_times, filters.working_time))
    return statement


def search_board(filters: BoardFilter, now: datetime | None = None) -> BoardPage:
    """One page of the jobs board: filtered, searched through the term index, sorted, counted."""
    statement = _filtered(filters, now)
    tokens = query_tokens(filters.query) if filters.query else []
    score = None
    if filters.query and not tokens:
        return BoardPage(vacancies=[], total=0, page=1, pages=1, tokens=[])
    if tokens:
        matches = (
            select(VacancyTerm.vacancy_id, func.sum(VacancyTerm.weight).label("score"))
            .where(VacancyTerm.token.in_(tokens))
            .group_by(VacancyTerm.vacancy_id)
            .having(func.count(VacancyTerm.token) == len(tokens))
            .subquery()
        )
        statement = statement.join(matches, matches.c.vacancy_id == Vacancy.id)
        score = matches.c.score
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    if filters.sort == "relevance" and score is not None:
        statement = statement.order_by(score.desc(), Vacancy.published_at.desc(), Vacancy.id.desc())
    else:
        statement = statement.order_by(Vacancy.published_at.desc(), Vacancy.id.desc())
    statement = (
        statement.options(selectinload(Vacancy.employer), selectinload(Vacancy.town))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return BoardPage(vacancies=list(db.session.scalars(statement)), total=total, page=page, pages=pages, tokens=tokens)


def get_public_vacancy(vacancy_id: int, now: datetime | None = None) -> Vacancy | None:
    """A vacancy that is on the board, or None."""
    return db.session.scalar(select(Vacancy).join(Vacancy.employer).where(Vacancy.id == vacancy_id, *on_board(now)))


def public_employers() -> list[Employer]:
    """Approved employers, by name."""
    return list(
        db.session.scalars(
            select(Employer)
            .where(Employer.status == EmployerStatus.APPROVED)
            .options(selectinload(Employer.town))
            .order_by(func.lower(Employer.name))
        )
    )


def board_counts(employer_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """How many vacancies each employer has on the board."""
    if not employer_ids:
        return {}
    rows = db.session.execute(
        select(Vacancy.employer_id, func.count())
        .join(Vacancy.employer)
        .where(Vacancy.employer_id.in_(employer_ids), *on_board(now))
        .group_by(Vacancy.employer_id)
    )
    return {employer_id: count for employer_id, count in rows}


def get_public_employer(employer_id: int) -> Employer | None:
    """An approved employer, or None."""
    return db.session.scalar(
        select(Employer).where(Employer.id == employer_id, Employer.status == EmployerStatus.APPROVED)
    )


def employer_board_vacancies(employer: Employer, now: datetime | None = None) -> list[Vacancy]:
    """An employer's vacancies that are on the board, newest first, with what their cards show."""
    return list(
        db.session.scalars(
            select(Vacancy)
            .join(Vacancy.employer)
            .where(Vacancy.employer_id == employer.id, *on_board(now))
            .options(selectinload(Vacancy.town))
            .order_by(Vacancy.published_at.desc(), Vacancy.id.desc())
        )
    )


def employer_stand_events(employer: Employer, now: datetime | None = None) -> list[Event]:
    """Coming published events where the employer has a confirmed stand."""
    return list(
        db.session.scalars(
            select(Event)
            .join(StandBooking, StandBooking.event_id == Event.id)
            .where(
                StandBooking.employer_id == employer.id,
                StandBooking.status == StandStatus.CONFIRMED,
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at >= (now or utcnow()),
            )
            .options(WITH_PLACE)
            .order_by(Event.starts_at)
        )
    )


def confirmed_exhibitors(event_id: int) -> list[Employer]:
    """Approved employers with a confirmed stand at the event, by name (for the event page)."""
    return list(
        db.session.scalars(
            select(Employer)
            .join(StandBooking, StandBooking.employer_id == Employer.id)
            .where(
                StandBooking.event_id == event_id,
                StandBooking.status == StandStatus.CONFIRMED,
                Employer.status == EmployerStatus.APPROVED,
            )
            .order_by(func.lower(Employer.name))
        )
    )


def bookable_events(now: datetime | None = None) -> list[Event]:
    """Coming published events an employer may ask for a stand at, with their venue and town."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > (now or utcnow()))
            .options(WITH_PLACE)
            .order_by(Event.starts_at)
        )
    )


def company_overview(employer_id: int) -> Employer | None:
    """A company with everything its own pages list: vacancies, stands with their events, users."""
    return db.session.scalar(
        select(Employer)
        .where(Employer.id == employer_id)
        .options(
            selectinload(Employer.vacancies),
            selectinload(Employer.stands).joinedload(StandBooking.event).options(WITH_PLACE),
            selectinload(Employer.users),
        )
    )


def owned_vacancy(employer: Employer, vacancy_id: int) -> Vacancy | None:
    """The employer's own vacancy with this id, or None (another company's vacancy is never found)."""
    return db.session.scalar(select(Vacancy).where(Vacancy.id == vacancy_id, Vacancy.employer_id == employer.id))


def owned_stand(employer: Employer, stand_id: int) -> StandBooking | None:
    """The employer's own stand booking with this id, or None."""
    return db.session.scalar(
        select(StandBooking).where(StandBooking.id == stand_id, StandBooking.employer_id == employer.id)
    )


def pending_review() -> dict[str, list]:
    """What waits for an organizer: unapproved employers, submitted vacancies, requested stands."""
    return {
        "employers": list(
            db.session.scalars(select(Employer).where(Employer.status == EmployerStatus.PENDING).order_by(Employer.id))
        ),
        "changes": list(
            db.session.scalars(
                select(Employer)
                .where(Employer.status == EmployerStatus.APPROVED, Employer.changes_submitted_at.is_not(None))
                .order_by(Employer.changes_submitted_at)
            )
        ),
        "vacancies": list(
            db.session.scalars(
                select(Vacancy).where(Vacancy.status == VacancyStatus.SUBMITTED).order_by(Vacancy.submitted_at)
            )
        ),
        "stands": list(
            db.session.scalars(
                select(StandBooking).where(StandBooking.status == StandStatus.REQUESTED).order_by(StandBooking.id)
            )
        ),
    }
