"""The public jobs board: search and filters at /jobs, one vacancy with its JSON-LD at /jobs/<id>."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..forms import SKILL_LEVELS
from ..i18n import current_language, format_euro
from ..occupations.models import OccupationArea, OccupationGroup
from ..occupations.names import translated_name
from ..occupations.working_times import WORKING_TIME_LABELS, WorkingTime
from ..places.models import Town
from .board_cards import board_cards, coming_stands
from .board_queries import BoardFilter
from .queries import get_public_vacancy, was_published
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
    all_label: str = ""  # "Alle in …", the option that chooses the whole Berufsbereich


@lru_cache(maxsize=16)
def _field_options(bind_key: str, language: str) -> tuple[FieldOption, ...]:
    areas = db.session.scalars(
        select(OccupationArea).options(selectinload(OccupationArea.groups)).order_by(OccupationArea.code)
    )
    return tuple(
        FieldOption(
            area.code,
            translated_name(area.name),
            tuple((g.code, translated_name(g.name)) for g in area.groups),
            _("Alle in %(area)s", area=translated_name(area.name)),
        )
        for area in areas
    )


def field_options() -> tuple[FieldOption, ...]:
    """The field filter's options in the current language: the KldB reference data the migrations load, read and
    translated once per database and language (the board runs no statement for them)."""
    return _field_options(str(db.engine.url), current_language())


@lru_cache(maxsize=256)
def _field_select(bind_key: str, language: str, area_code: str, group_code: str) -> Markup:
    return Markup(  # noqa: S704 - a template rendered with autoescape, kept as it came out
        render_template(
            "jobs/_field_options.html",
            areas=_field_options(bind_key, language),
            area_code=area_code,
            group_code=group_code,
        )
    )


def field_select(filters: BoardFilter) -> Markup:
    """The options of the field filter with the chosen one selected: some fifty options of reference data, rendered
    once per database, language and choice."""
    return _field_select(str(db.engine.url), current_language(), filters.area_code or "", filters.group_code or "")


@lru_cache(maxsize=8)
def _card_labels(language: str) -> tuple[dict[str, str], dict[WorkingTime, str]]:
    return {value: str(label) for value, label in SKILL_LEVELS}, {
        time: str(label) for time, label in WORKING_TIME_LABELS.items()
    }


def card_labels() -> tuple[dict[str, str], dict[WorkingTime, str]]:
    """The names of skill levels and working times in the current language, translated once per language rather than
    once per card."""
    return _card_labels(current_language())


def detail_links(vacancy_ids: Iterable[int]) -> dict[int, str]:
    """The address of each vacancy's page. The router builds one; the others differ only in the id at the end of
    the path (``/jobs/<int:vacancy_id>``, with the query that the page's links carry, such as ``lang``)."""
    path, mark, query = url_for("jobs_board.detail", vacancy_id=0).partition("?")
    stem = path.removesuffix("0")
    return {vacancy_id: f"{stem}{vacancy_id}{mark}{query}" for vacancy_id in vacancy_ids}


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
    filters.page = int(page) if page.isdecimal() and 0 < int(page) <= MAX_PAGE else 1
    return filters, errors


@bp.get("")
def index() -> str:
    """Published vacancies with filters, German full-text search, sorting, pagination and a count."""
    towns = list(db.session.scalars(select(Town).order_by(Town.sort_order)))
    areas = field_options()
    filters, errors = parse_filters(request.args, towns, areas)
    result = board_cards(filters)
    args = {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}
    level_names, time_names = card_labels()
    return render_template(
        "jobs/index.html",
        result=result,
        filters=filters,
        errors=errors,
        towns=towns,
        field_select=field_select(filters),
        level_names=level_names,
        time_names=time_names,
        links=detail_links(result.ids),
        page_args=args,
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
def detail(vacancy_id: int) -> str | tuple[str, int]:
    """One vacancy with its employer, place, how to apply, and schema.org JobPosting JSON-LD; a vacancy that left the
    board (a match mail still links it) is gone (410), anything else not found, both with the way to the board."""
    vacancy = get_public_vacancy(vacancy_id)
    if vacancy is None:
        gone = was_published(vacancy_id)
        return render_template("jobs/gone.html", gone=gone), 410 if gone else 404
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
