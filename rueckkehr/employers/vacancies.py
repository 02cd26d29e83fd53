"""Every state change of a vacancy: draft → submitted → published → expired, filled or withdrawn; and its index.

Operations flush and write their audit entry; the unit of work around them commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update

from ..audit.operations import record
from ..database import insert_all_ignoring_conflicts
from ..dates import berlin_today, utcnow
from ..extensions import db
from ..occupations.working_times import WorkingTime, in_order
from . import notifications
from .models import Contract, Employer, SalaryPeriod, SearchWord, Vacancy, VacancyStatus, VacancyTerm
from .operations import OperationError
from .search import reversed_token, weighted_terms

DEFAULT_VALIDITY = timedelta(weeks=8)


@dataclass
class VacancyData:
    """The fields of a vacancy as the employer enters them."""

    title: str
    occupation_group_code: str
    skill_level: int
    town_id: int | None
    place_name: str
    place_postal_code: str
    working_times: list[WorkingTime]
    contract: Contract
    starts_on: date | None
    salary_min: int | None
    salary_max: int | None
    salary_period: SalaryPeriod | None
    description: str
    apply_url: str
    apply_email: str
    valid_until: date


VACANCY_FIELDS = (
    "title",
    "occupation_group_code",
    "skill_level",
    "town_id",
    "place_name",
    "place_postal_code",
    "contract",
    "starts_on",
    "salary_min",
    "salary_max",
    "salary_period",
    "description",
    "apply_url",
    "apply_email",
    "valid_until",
)


def default_valid_until(now: datetime | None = None) -> date:
    """Eight weeks from today."""
    return berlin_today(now) + DEFAULT_VALIDITY


def _record(verb: str, vacancy: Vacancy, **changes: object) -> None:
    town_id = vacancy.town_id if vacancy.town_id is not None else vacancy.employer.town_id
    record(verb, vacancy, town_id=town_id, changes={"status": vacancy.status.value, **changes})


def _apply_vacancy_data(vacancy: Vacancy, data: VacancyData) -> None:
    """Copy the form's values onto a vacancy."""
    for name in VACANCY_FIELDS:
        setattr(vacancy, name, getattr(data, name))
    if data.town_id is not None:
        vacancy.place_name = ""
        vacancy.place_postal_code = ""
    vacancy.working_times = in_order(data.working_times)


def index_vacancy(vacancy: Vacancy) -> None:
    """Replace the vacancy's search terms with those of its current title and description."""
    db.session.flush()
    db.session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id == vacancy.id))
    terms = weighted_terms(vacancy.title, vacancy.description)
    if terms:
        db.session.execute(
            insert(VacancyTerm),
            [{"token": token, "vacancy_id": vacancy.id, "weight": weight} for token, weight in terms.items()],
        )
        words = [{"token": token, "reversed_token": reversed_token(token)} for token in terms]
        insert_all_ignoring_conflicts(SearchWord, words, ["token"])
    db.session.expire(vacancy, ["terms"])


def create_vacancy(employer: Employer, data: VacancyData) -> Vacancy:
    """A new draft vacancy."""
    vacancy = Vacancy(employer=employer, status=VacancyStatus.DRAFT)
    _apply_vacancy_data(vacancy, data)
    db.session.add(vacancy)
    index_vacancy(vacancy)
    _record("vacancy.created", vacancy)
    return vacancy


def update_vacancy(vacancy: Vacancy, data: VacancyData) -> Vacancy:
    """Change a draft or submitted vacancy."""
    if not vacancy.is_editable:
        raise OperationError("only drafts and submitted vacancies can be changed")
    _apply_vacancy_data(vacancy, data)
    index_vacancy(vacancy)
    _record("vacancy.updated", vacancy)
    return vacancy


def submit_vacancy(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """Hand a draft to the organizers for approval."""
    if vacancy.status != VacancyStatus.DRAFT:
        raise OperationError("only drafts can be submitted")
    vacancy.status = VacancyStatus.SUBMITTED
    vacancy.submitted_at = now or utcnow()
    _record("vacancy.submitted", vacancy)
    return vacancy


def publish_vacancy(vacancy_id: int, now: datetime | None = None) -> Vacancy:
    """Approve a submitted vacancy of an approved employer: it goes on the board."""
    now = now or utcnow()
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise OperationError(f"no vacancy with id {vacancy_id}")
    if vacancy.status != VacancyStatus.SUBMITTED:
        raise OperationError(f"vacancy {vacancy_id} is {vacancy.status}, not submitted")
    if not vacancy.employer.is_approved:
        raise OperationError("the employer is not approved yet")
    if vacancy.valid_until < berlin_today(now):
        raise OperationError("the vacancy's valid-until date has passed")
    vacancy.status = VacancyStatus.PUBLISHED
    vacancy.published_at = now
    _record("vacancy.published", vacancy)
    for user in vacancy.employer.users:
        if user.email_verified_at is not None:
            notifications.vacancy_published(user, vacancy)
    return vacancy


def _close(vacancy: Vacancy, status: VacancyStatus, now: datetime | None) -> Vacancy:
    """Take a vacancy off its way to the board."""
    if not vacancy.is_open:
        raise OperationError(f"the vacancy is {vacancy.status} already")
    vacancy.status = status
    vacancy.closed_at = now or utcnow()
    _record(f"vacancy.{status.value}", vacancy)
    return vacancy


def withdraw_vacancy(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """The employer takes a submitted or published vacancy back (a draft nobody saw is deleted instead)."""
    if vacancy.status == VacancyStatus.DRAFT:
        raise OperationError("a draft is deleted, not withdrawn")
    return _close(vacancy, VacancyStatus.WITHDRAWN, now)


def delete_draft(vacancy: Vacancy) -> None:
    """Delete a draft: nobody but the company has seen it, so nothing of it needs to stay."""
    if vacancy.status != VacancyStatus.DRAFT:
        raise OperationError("only drafts can be deleted")
    _record("vacancy.deleted", vacancy)
    db.session.delete(vacancy)
    db.session.flush()


def mark_filled(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """The position is taken."""
    return _close(vacancy, VacancyStatus.FILLED, now)


def expire_vacancies(now: datetime | None = None) -> int:
    """Mark published vacancies whose valid-until day has passed as expired; return how many."""
    now = now or utcnow()
    due = db.session.execute(
        select(Vacancy.id, func.coalesce(Vacancy.town_id, Employer.town_id))
        .join(Vacancy.employer)
        .where(Vacancy.status == VacancyStatus.PUBLISHED, Vacancy.valid_until < berlin_today(now))
    ).all()
    if not due:
        return 0
    db.session.execute(
        update(Vacancy)
        .where(Vacancy.id.in_([vacancy_id for vacancy_id, _town in due]))
        .values(status=VacancyStatus.EXPIRED, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    for vacancy_id, town_id in due:
        record("vacancy.expired", object_type="vacancy", object_id=vacancy_id, town_id=town_id)
    return len(due)
