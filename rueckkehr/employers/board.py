"""The public jobs board: search and filters at /jobs, one vacancy with its JSON-LD at /jobs/<id>."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..forms import SKILL_LEVELS, WORKING_TIMES
from ..i18n import current_language, format_euro
from ..occupations.models import OccupationArea, OccupationGroup
from ..occupations.names import translated_name
from ..occupations.working_times import WorkingTime
from ..places.models import Town
from .board_queries import BoardFilter, coming_stands, search_board
from .queries import get_public_vacancy
from .rendering import job_posting, plain_text, render_markdown
from .search import parse_query, place_tokens

bp = Blueprint("jobs_board", __name__, url_prefix="/jobs")
FILTER_KEYS = ("q", "town", "field", "level", "time", "sort")  # only these travel into the pagination links

MAX_PAGE = 10_000


@dataclass(frozen=True)
class FieldOption:
    """A Berufsbereich in the board's field filter, with its Berufshauptgruppen: codes and names in one language."""

    code: str
    label: str
    groups: tuple[tuple[str, str], ...]


@lru_cache(maxsize=16)
def _field_options(bind_key: str, language: str) -> tuple[FieldOption, ...]:
    areas = db.session.scalars(
        select(OccupationArea).options(selectinload(OccupationArea.groups)).order_by(OccupationArea.code)
    )
    return tuple(
        FieldOption(
            area.code, translated_name(area.name), tuple((g.code, translated_name(g.name)) for g in area.groups)
        )
        for area in areas
    )


def field_options() -> tuple[FieldOption, ...]:
    """The field filter's options in the current language: the KldB reference data the migrations load, read and
    translated once per database and language (the board runs no statement for them)."""
    return _field_options(str(db.engine.url), current_language())


def parse_filters(args: dict[str, str], towns: list[Town], areas: tuple[FieldOption, ...]) -> tuple[BoardFilter, list]:
    """Read the board's filters from the URL; unknown values are dropped with a message, never an error."""
    errors = []
    filters = BoardFilter(query=(args.get("q") or "").strip()[:200])
    filters.terms, named_town = parse_query(filters.query, place_tokens((town.slug, town.name) for town in towns))
    filters.finds_nothing = bool(filters.query) and not filters.terms and named_town is None
    if slug := args.get("town") or named_town:
        filters.town = next((town for town in towns if town.slug == slug), None)
        if filters.town is None:
            errors.append(_("Diese Stadt kennen wir nicht; es werden Stellen aus allen Städten gezeigt."))
    field_code = args.get("field") or ""
    area_codes = {area.code for area in areas}
    group_codes = {code for area in areas for code, _label in area.groups}
    if field_code in area_codes:
        filters.area_code = field_code
    elif field_code in group_codes:
        filters.group_code = field_code
    elif field_code:
        errors.append(_("Dieses Berufsfeld kennen wir nicht; es werden alle Berufsfelder gezeigt."))
    if level := args.get("level"):
        if level in {value for value, _label in SKILL_LEVELS}:
            filters.level = int(level)
        else:
            errors.append(_("Dieses Anforderungsniveau kennen wir nicht; es werden alle Niveaus gezeigt."))
    if working_time := args.get("time"):
        if working_time in set(WorkingTime):
            filters.working_time = WorkingTime(working_time)
        else:
            errors.append(_("Diese Arbeitszeit kennen wir nicht; es werden alle Arbeitszeiten gezeigt."))
    sort = args.get("sort") or ("relevance" if filters.terms else "newest")  # with a search term: best match first
    filters.sort = "relevance" if sort == "relevance" else "newest"
    page = args.get("page", "1")
    filters.page = int(page) if page.isdigit() and 0 < int(page) <= MAX_PAGE else 1
    return filters, errors


@bp.get("")
def index() -> str:
    """Published vacancies with filters, German full-text search, sorting, pagination and a count."""
    towns = list(db.session.scalars(select(Town).order_by(Town.sort_order)))
    areas = field_options()
    filters, errors = parse_filters(request.args, towns, areas)
    result = search_board(filters)
    args = {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}
    return render_template(
        "jobs/index.html",
        result=result,
        filters=filters,
        errors=errors,
        towns=towns,
        areas=areas,
        skill_levels=SKILL_LEVELS,
        working_times=WORKING_TIMES,
        page_args=args,
        stands=coming_stands([vacancy.employer_id for vacancy in result.vacancies]),
        alert_args={
            key: value
            for key, value in (
                ("field", filters.group_code or ""),
                ("level", str(filters.level or "")),
                ("town", filters.town.slug if filters.town else ""),
                ("q", filters.query),
            )
            if value
        },
    )


@bp.get("/<int:vacancy_id>")
def detail(vacancy_id: int) -> str:
    """One vacancy with its employer, place, how to apply, and schema.org JobPosting JSON-LD."""
    vacancy = get_public_vacancy(vacancy_id) or abort(404)
    group = db.session.get(OccupationGroup, vacancy.occupation_group_code)
    return render_template(
        "jobs/detail.html",
        vacancy=vacancy,
        group=group,
        description=render_markdown(vacancy.description),
        summary=plain_text(vacancy.description)[:300],
        json_ld=job_posting(vacancy),
        stand_event=coming_stands([vacancy.employer_id]).get(vacancy.employer_id),
    )


@bp.app_context_processor
def vacancy_labels() -> dict[str, object]:
    """Labels of skill levels, for every page that shows a vacancy (working times name themselves)."""
    return {"level_labels": dict(SKILL_LEVELS)}


bp.add_app_template_filter(format_euro, "euro")
