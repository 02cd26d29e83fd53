"""The organizers' approvals queue: new companies, submitted vacancies, changed public profiles, stand requests.

Approving is ``operations.approve_employer``, ``vacancies.publish_vacancy``, ``operations.confirm_stand`` and
``operations.approve_profile_changes`` (the same operations ``flask employers`` calls); declining takes a reason,
which is mailed to the company (``operations.decline_profile_changes`` for edits that wait for a second look).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import joinedload, selectinload

from ..audit.operations import record
from ..events.models import Event
from ..extensions import db
from ..places.models import Venue
from . import notifications
from .models import Employer, EmployerStatus, StandBooking, StandStatus, Vacancy, VacancyStatus
from .operations import OperationError


@dataclass
class Queue:
    """What waits for the organizers of some towns."""

    employers: list[Employer] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    profiles: list[Employer] = field(default_factory=list)
    stands: list[StandBooking] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many items wait in all."""
        return len(self.employers) + len(self.vacancies) + len(self.profiles) + len(self.stands)


def _in(column: Any, town_ids: set[int] | None) -> ColumnElement[bool]:
    return true() if town_ids is None else column.in_(sorted(town_ids))


def vacancy_town() -> Any:
    """A vacancy's town: its own, else its company's (the SQL of ``town_of_vacancy``)."""
    return func.coalesce(Vacancy.town_id, Employer.town_id)


def town_of_vacancy(vacancy: Vacancy) -> int:
    """The town whose organizers approve a vacancy."""
    return vacancy.town_id if vacancy.town_id is not None else vacancy.employer.town_id


def approval_queue(town_ids: set[int] | None) -> Queue:
    """Everything waiting in these towns (None: every town), oldest first, in four statements."""
    with_users = selectinload(Employer.users)
    return Queue(
        employers=list(
            db.session.scalars(
                select(Employer)
                .where(Employer.status == EmployerStatus.PENDING, _in(Employer.town_id, town_ids))
                .options(with_users, joinedload(Employer.town))
                .order_by(Employer.id)
            )
        ),
        vacancies=list(
            db.session.scalars(
                select(Vacancy)
                .join(Vacancy.employer)
                .where(Vacancy.status == VacancyStatus.SUBMITTED, _in(vacancy_town(), town_ids))
                .options(joinedload(Vacancy.employer))
                .order_by(Vacancy.submitted_at, Vacancy.id)
            )
        ),
        profiles=list(
            db.session.scalars(
                select(Employer)
                .where(Employer.changes_submitted_at.is_not(None), _in(Employer.town_id, town_ids))
                .order_by(Employer.changes_submitted_at, Employer.id)
            )
        ),
        stands=list(
            db.session.scalars(
                select(StandBooking)
                .join(StandBooking.event)
                .join(Event.venue)
                .where(StandBooking.status == StandStatus.REQUESTED, _in(Venue.town_id, town_ids))
                .options(joinedload(StandBooking.employer), joinedload(StandBooking.event).joinedload(Event.venue))
                .order_by(StandBooking.id)
            )
        ),
    )


def _tell(employer: Employer, what: str, name: str, reason: str) -> None:
    for user in employer.users:
        if user.email_verified_at is not None:
            notifications.declined(user, employer, what, name, reason)


def decline_employer(employer: Employer, reason: str) -> Employer:
    """Refuse a new company; it stays hidden, and its people learn why."""
    if employer.status != EmployerStatus.PENDING:
        raise OperationError(f"employer {employer.id} is {employer.status}, not pending")
    employer.status = EmployerStatus.DECLINED
    record("employer.declined", employer, town_id=employer.town_id)
    _tell(employer, "employer", employer.name, reason)
    return employer


def decline_vacancy(vacancy: Vacancy, reason: str) -> Vacancy:
    """Send a submitted vacancy back to its draft state, with the reason; the company may change and resubmit."""
    if vacancy.status != VacancyStatus.SUBMITTED:
        raise OperationError(f"vacancy {vacancy.id} is {vacancy.status}, not submitted")
    vacancy.status = VacancyStatus.DRAFT
    vacancy.submitted_at = None
    record("vacancy.declined", vacancy, town_id=town_of_vacancy(vacancy), changes={"status": vacancy.status.value})
    _tell(vacancy.employer, "vacancy", vacancy.title, reason)
    return vacancy


def decline_stand(stand: StandBooking, reason: str) -> StandBooking:
    """Refuse a requested stand, with the reason."""
    if stand.status != StandStatus.REQUESTED:
        raise OperationError(f"stand booking {stand.id} is {stand.status}, not requested")
    stand.status = StandStatus.CANCELLED
    record("stand.declined", stand, town_id=stand.event.venue.town_id, changes={"event_id": stand.event_id})
    _tell(stand.employer, "stand", stand.event.title, reason)
    return stand
