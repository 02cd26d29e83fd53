"""Read-only queries: what puts a vacancy on the board, public employer pages, exhibitors of an event (the board's
search is in ``board_queries``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..dates import berlin_today, utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..places.models import Venue
from .models import (
    Employer,
    EmployerStatus,
    StandBooking,
    StandStatus,
    Vacancy,
    VacancyStatus,
)

WITH_PLACE = joinedload(Event.venue).joinedload(Venue.town)  # what an event card shows besides the event


def on_board(now: datetime | None = None, *, today: Any = None) -> list:
    """The conditions that put a vacancy on the public board.

    :param today: the day to compare ``valid_until`` with, instead of today's (a bound parameter in a statement that
        is built once and run with each day's date).
    """
    return [
        Vacancy.status == VacancyStatus.PUBLISHED,
        Vacancy.valid_until >= (berlin_today(now) if today is None else today),
        Employer.status == EmployerStatus.APPROVED,
    ]


def get_public_vacancy(vacancy_id: int, now: datetime | None = None) -> Vacancy | None:
    """A vacancy that is on the board, or None."""
    return db.session.scalar(select(Vacancy).join(Vacancy.employer).where(Vacancy.id == vacancy_id, *on_board(now)))


def was_published(vacancy_id: int) -> bool:
    """Whether a vacancy was on the board once (filled, withdrawn, expired or its company's approval ended since):
    its page then says that it is gone; of a draft, or an id nobody gave out, nothing is said."""
    published = select(Vacancy.id).where(Vacancy.id == vacancy_id, Vacancy.published_at.is_not(None))
    return db.session.scalar(published) is not None


def public_employers() -> list[Employer]:
    """Approved employers, by name."""
    return list(db.session.scalars(public_employers_query()))


def public_employers_query() -> Select[Employer]:
    """The statement of ``public_employers``, for callers that page through it."""
    return (
        select(Employer)
        .where(Employer.status == EmployerStatus.APPROVED)
        .options(selectinload(Employer.town))
        .order_by(func.lower(Employer.name), Employer.id)
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
