"""``/api/v1/jobs``: the vacancies on the jobs board, found with the board's own filters, search and order."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from ..employers.board import field_options, parse_filters
from ..employers.board_cards import coming_stands
from ..employers.board_queries import search_board
from ..employers.models import Vacancy
from ..employers.queries import get_public_vacancy
from ..employers.rendering import render_markdown
from ..employers.vacancy_forms import CONTRACTS, SALARY_PERIODS
from ..events.models import Event
from ..extensions import db
from ..forms import SKILL_LEVELS
from ..occupations.models import OccupationGroup
from ..places.models import Town
from ..urls import external_url
from .base import API_PREFIX, ApiBlueprint
from .schemas import JobArgs, JobDetailSchema, JobSchema

bp = ApiBlueprint("api_jobs", __name__, url_prefix=f"{API_PREFIX}/jobs", description="Vacancies on the jobs board")


def coded(code: object, labels: dict[str, Any]) -> dict[str, str]:
    """A vocabulary value with its label in the client's language."""
    return {"code": str(code), "label": str(labels[str(code)])}


def stand_document(event: Event | None) -> dict[str, Any] | None:
    """A coming event at which the employer has a stand."""
    if event is None:
        return None
    url = external_url("api_events.detail", event_id=event.id)
    return {"id": event.id, "title": event.title, "starts_at": event.starts_at, "url": url}


def job_document(vacancy: Vacancy, group: OccupationGroup) -> dict[str, Any]:
    """A vacancy as the board's list shows it (``group``: its Berufshauptgruppe, already loaded)."""
    salary = None
    if vacancy.salary_min or vacancy.salary_max:
        period = vacancy.salary_period or "month"
        salary = {
            "min": vacancy.salary_min,
            "max": vacancy.salary_max,
            "currency": "EUR",
            "period": coded(period, dict(SALARY_PERIODS)),
        }
    employer = vacancy.employer
    return {
        "id": vacancy.id,
        "title": vacancy.title,
        "employer": {
            "id": employer.id,
            "name": employer.name,
            "url": external_url("api_employers.detail", employer_id=employer.id),
        },
        "occupation": {"code": group.code, "label": group.label},
        "skill_level": coded(vacancy.skill_level, dict(SKILL_LEVELS)),
        "working_times": [{"code": time.value, "label": time.label} for time in vacancy.working_times],
        "contract": coded(vacancy.contract, dict(CONTRACTS)),
        "town": {"slug": vacancy.town.slug, "name": vacancy.town.name} if vacancy.town else None,
        "place": vacancy.place,
        "starts_on": vacancy.starts_on,
        "salary": salary,
        "valid_until": vacancy.valid_until,
        "published_at": vacancy.published_at,
        "url": external_url("jobs_board.detail", vacancy_id=vacancy.id),
    }


@bp.route("")
@bp.etag
@bp.arguments(JobArgs, location="query", as_kwargs=True)
@bp.response(200, JobSchema(many=True))
@bp.paginate()
def index(pagination_parameters: PaginationParameters, **args: Any) -> list[dict[str, Any]]:
    """Vacancies on the board with the board's filters: search words (German, with compounds and synonyms), town,
    occupational field, skill level and working time; best match first with search words, else newest first."""
    towns = list(db.session.scalars(select(Town).order_by(Town.sort_order)))
    if town := args.get("town"):  # a known town: JobArgs reads the slug as the town
        args["town"] = town.slug
    filters, _errors = parse_filters({key: str(value) for key, value in args.items()}, towns, field_options())
    filters.page = pagination_parameters.page
    result = search_board(filters, page_size=pagination_parameters.page_size, past_the_end="none")
    pagination_parameters.item_count = result.total
    codes = {vacancy.occupation_group_code for vacancy in result.vacancies}
    groups = {
        group.code: group
        for group in db.session.scalars(select(OccupationGroup).where(OccupationGroup.code.in_(codes)))
    }
    return [job_document(vacancy, groups[vacancy.occupation_group_code]) for vacancy in result.vacancies]


@bp.route("/<int:vacancy_id>")
@bp.etag
@bp.response(200, JobDetailSchema)
@bp.alt_response(404, description="No vacancy on the board has this id")
def detail(vacancy_id: int) -> dict[str, Any]:
    """One vacancy on the board, with its description, how to apply and the next event where the employer has a
    stand."""
    vacancy = get_public_vacancy(vacancy_id) or abort(404)
    document = job_document(vacancy, vacancy.occupation_group)
    document["description"] = vacancy.description
    document["description_html"] = str(render_markdown(vacancy.description))
    document["apply_url"] = vacancy.apply_url
    document["apply_email"] = vacancy.apply_email
    document["next_stand"] = stand_document(coming_stands([vacancy.employer_id]).get(vacancy.employer_id))
    return document
