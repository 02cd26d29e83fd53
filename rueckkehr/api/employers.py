"""``/api/v1/employers``: approved employers with their public profile (edits waiting for review never show)."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort
from flask_smorest.pagination import PaginationParameters
from sqlalchemy.orm import selectinload

from ..employers.forms import SIZE_BANDS
from ..employers.models import Employer
from ..employers.queries import (
    board_counts,
    employer_board_vacancies,
    employer_stand_events,
    get_public_employer,
    public_employers_query,
)
from ..urls import external_url
from .base import API_PREFIX, ApiBlueprint, page_of
from .jobs import coded, stand_document
from .schemas import EmployerDetailSchema, EmployerSchema

bp = ApiBlueprint(
    "api_employers", __name__, url_prefix=f"{API_PREFIX}/employers", description="Employers of the region"
)


def employer_document(employer: Employer, open_jobs: int) -> dict[str, Any]:
    """An employer's public profile as the list shows it."""
    logo_url = None
    if employer.logo_filename:
        logo_url = external_url("employer_pages.logo", employer_id=employer.id, filename=employer.logo_filename)
    return {
        "id": employer.id,
        "name": employer.name,
        "town": {"slug": employer.town.slug, "name": employer.town.name},
        "street": employer.street,
        "postal_code": employer.postal_code,
        "locality": employer.locality,
        "sector": {"code": employer.sector.code, "label": employer.sector.label},
        "size": coded(employer.size_band, dict(SIZE_BANDS)),
        "website": employer.website,
        "logo_url": logo_url,
        "open_jobs": open_jobs,
        "url": external_url("employer_pages.detail", employer_id=employer.id),
    }


@bp.route("")
@bp.etag
@bp.response(200, EmployerSchema(many=True))
@bp.paginate()
def index(pagination_parameters: PaginationParameters) -> list[dict[str, Any]]:
    """Approved employers by name, with how many vacancies each has on the board."""
    employers = page_of(public_employers_query().options(selectinload(Employer.sector)), pagination_parameters)
    counts = board_counts([employer.id for employer in employers])
    return [employer_document(employer, counts.get(employer.id, 0)) for employer in employers]


@bp.route("/<int:employer_id>")
@bp.etag
@bp.response(200, EmployerDetailSchema)
@bp.alt_response(404, description="No approved employer has this id")
def detail(employer_id: int) -> dict[str, Any]:
    """An approved employer: profile, vacancies on the board, and the coming events where it has a stand."""
    employer = get_public_employer(employer_id) or abort(404)
    vacancies = employer_board_vacancies(employer)
    document = employer_document(employer, len(vacancies))
    document["description"] = employer.description
    document["jobs"] = [
        {"id": vacancy.id, "title": vacancy.title, "url": external_url("api_jobs.detail", vacancy_id=vacancy.id)}
        for vacancy in vacancies
    ]
    document["stands"] = [stand_document(event) for event in employer_stand_events(employer)]
    return document
