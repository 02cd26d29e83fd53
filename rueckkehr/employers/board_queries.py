"""The jobs board's query: filters, the search through the term index with compound parts and synonyms, the best
match or the newest first (the cards a page shows, with the coming stands of their employers: ``board_cards``).

A page is read in two steps: one statement finds the ids of the page's vacancies in their order, with the total
counted beside them, from the indexes (no vacancy's text is read, sorted or counted with it); a second loads only
those rows, with their employer, town and next stand.

Each statement is built once per shape (which filters are set, how many search words) with bound parameters for
the values, and kept: building and keying a statement of this size costs SQLAlchemy more than the database needs to
run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Subquery

from ..dates import berlin_today
from ..extensions import db
from ..occupations.models import OccupationGroup
from ..occupations.working_times import WorkingTime
from ..places.models import Town
from .models import Employer, SearchWord, Vacancy, VacancyTerm
from .queries import on_board
from .search import QueryTerm, reversed_token

if TYPE_CHECKING:
    from .board_cards import VacancyCard

PAGE_SIZE = 20
MAX_PARTS = 400  # compounds one query may expand to: a short common word must not make the query heavy
EXACT_FACTOR = 3  # the word itself (or a synonym) counts more than a compound that contains it


@dataclass
class BoardFilter:
    """The jobs board's filters, as they come from the URL (``terms``: the parsed search words)."""

    query: str = ""
    terms: list[QueryTerm] = field(default_factory=list)
    town: Town | None = None
    area_code: str | None = None
    group_code: str | None = None
    level: int | None = None
    working_time: WorkingTime | None = None
    sort: str = "newest"
    page: int = 1
    finds_nothing: bool = False  # the query held only words that find nothing (stop words, single letters)


@dataclass
class BoardPage:
    """One page of results and the total count: the ids in order, and the vacancies or the cards when loaded."""

    total: int
    page: int
    pages: int
    tokens: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    cards: list[VacancyCard] = field(default_factory=list)


@dataclass(frozen=True)
class Shape:
    """What a board statement's structure depends on: which filters are set, how many search words, which of their
    compound ranges exist, and the order (the values travel as parameters)."""

    town: bool = False
    group: bool = False
    area: bool = False
    level: bool = False
    working_time: bool = False
    terms: int = 0
    relevance: bool = False


def _shape(filters: BoardFilter) -> Shape:
    return Shape(
        town=filters.town is not None,
        group=bool(filters.group_code),
        area=bool(filters.area_code) and not filters.group_code,
        level=bool(filters.level),
        working_time=bool(filters.working_time),
        terms=len(filters.terms),
        relevance=bool(filters.terms) and filters.sort == "relevance",
    )


def _expanding(name: str) -> BindParameter[Any]:
    return bindparam(name, expanding=True)


@lru_cache(maxsize=512)
def _term_matches(count: int) -> Subquery:
    """Vacancy ids with a score, for vacancies that hold every one of ``count`` terms (the word itself, a synonym,
    or a compound of it): ``exact`` the words and synonyms, ``every`` those and their compounds, ``term_<n>`` what
    counts for the n-th word."""
    exact = VacancyTerm.token.in_(_expanding("exact"))
    score = func.sum(VacancyTerm.weight * case((exact, EXACT_FACTOR), else_=1))
    statement = (
        select(VacancyTerm.vacancy_id, score.label("score"))
        .where(VacancyTerm.token.in_(_expanding("every")))
        .group_by(VacancyTerm.vacancy_id)
    )
    if count > 1:
        holds_each = [
            func.max(case((VacancyTerm.token.in_(_expanding(f"term_{number}")), 1), else_=0)) == 1
            for number in range(count)
        ]
        statement = statement.having(and_(*holds_each))
    return statement.subquery()


@lru_cache(maxsize=512)
def _matching(shape: Shape) -> tuple[Select, list[ColumnElement]]:
    """The ids of the vacancies on the board that match the filters and the search, and their order."""
    statement = (
        select(Vacancy.id)
        .join(Employer, Vacancy.employer_id == Employer.id)
        .where(*on_board(today=bindparam("today", type_=Date)))
    )
    if shape.town:
        statement = statement.where(Vacancy.town_id == bindparam("town_id"))
    if shape.group:
        statement = statement.where(Vacancy.occupation_group_code == bindparam("group_code"))
    elif shape.area:
        groups = select(OccupationGroup.code).where(OccupationGroup.area_code == bindparam("area_code"))
        statement = statement.where(Vacancy.occupation_group_code.in_(groups))
    if shape.level:
        statement = statement.where(Vacancy.skill_level == bindparam("level"))
    if shape.working_time:  # as ``working_times.offers``: one bitwise test
        bit = bindparam("time_bit", type_=Integer)
        statement = statement.where(type_coerce(Vacancy.working_times, Integer).op("&")(bit) != 0)
    order: list[ColumnElement] = [Vacancy.published_at.desc(), Vacancy.id.desc()]
    if shape.terms:
        matches = _term_matches(shape.terms)
        statement = statement.join(matches, matches.c.vacancy_id == Vacancy.id)
        if shape.relevance:
            order.insert(0, matches.c.score.desc())
    return statement, order


@lru_cache(maxsize=512)
def _page_statement(shape: Shape) -> Select:
    """One page of ids in order, each with the total: counted in the same statement, over all matches."""
    statement, order = _matching(shape)
    return (
        statement.add_columns(func.count().over().label("total"))
        .order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


@lru_cache(maxsize=512)
def _count_statement(shape: Shape) -> Select:
    statement, _order = _matching(shape)
    return select(func.count()).select_from(statement.subquery())


def _successor(prefix: str) -> str:
    """The least string after every string that begins with ``prefix`` (the end of its index range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@lru_cache(maxsize=512)
def _parts_statement(ranges: tuple[tuple[bool, bool], ...]) -> Select:
    """Indexed words in the ranges of the terms (``ranges``: whether each term has a prefix and a suffix range)."""
    conditions = []
    for number, (prefix, suffix) in enumerate(ranges):
        if prefix:
            token = SearchWord.token
            conditions.append(and_(token >= bindparam(f"start_{number}"), token < bindparam(f"end_{number}")))
        if suffix:
            backwards = SearchWord.reversed_token
            start: BindParameter[str] = bindparam(f"rstart_{number}")
            end: BindParameter[str] = bindparam(f"rend_{number}")
            conditions.append(and_(backwards >= start, backwards < end))
    return select(SearchWord.token).where(or_(*conditions)).limit(MAX_PARTS)


def compound_parts(terms: list[QueryTerm]) -> list[set[str]]:
    """For each term, the indexed words that are compounds beginning or ending with it: one statement, two index
    ranges per term in ``search_words``; the term then checks each word (``QueryTerm.matches_part``)."""
    if not any(term.prefix or term.suffix for term in terms):
        return [set() for _term in terms]
    statement, parameters = compound_parts_statement(terms)
    words = db.session.scalars(statement, parameters).all()
    return [{word for word in words if term.matches_part(word)} for term in terms]


def compound_parts_statement(terms: list[QueryTerm]) -> tuple[Select, dict[str, str]]:
    """The statement of ``compound_parts`` (for terms of which at least one has a range) and its parameters."""
    ranges = tuple((bool(term.prefix), bool(term.suffix)) for term in terms)
    parameters = {}
    for number, term in enumerate(terms):
        if term.prefix:
            parameters[f"start_{number}"] = term.prefix
            parameters[f"end_{number}"] = _successor(term.prefix)
        if term.suffix:
            backwards = reversed_token(term.suffix)
            parameters[f"rstart_{number}"] = backwards
            parameters[f"rend_{number}"] = _successor(backwards)
    return _parts_statement(ranges), parameters


def page_statement(filters: BoardFilter, now: datetime | None = None) -> tuple[Select, dict[str, Any]]:
    """The statement of one page of ids (with the total) and its parameters; the search words' compounds are looked
    up here (``compound_parts``)."""
    shape = _shape(filters)
    parameters: dict[str, Any] = {"today": berlin_today(now)}
    if shape.town and filters.town is not None:
        parameters["town_id"] = filters.town.id
    if shape.group:
        parameters["group_code"] = filters.group_code
    elif shape.area:
        parameters["area_code"] = filters.area_code
    if shape.level:
        parameters["level"] = filters.level
    if shape.working_time and filters.working_time is not None:
        parameters["time_bit"] = filters.working_time.bit
    if filters.terms:
        parts = compound_parts(filters.terms)
        exact = {token for term in filters.terms for token in term.same}
        parameters["exact"] = sorted(exact)
        parameters["every"] = sorted(exact.union(*parts))
        if len(filters.terms) > 1:
            for number, (term, found) in enumerate(zip(filters.terms, parts, strict=True)):
                parameters[f"term_{number}"] = sorted(set(term.same) | found)
    return _page_statement(shape), parameters


def find_page(
    filters: BoardFilter, now: datetime | None = None, *, page_size: int = PAGE_SIZE, past_the_end: str = "last"
) -> BoardPage:
    """The ids of one page of the jobs board, with the total: filtered, searched through the term index, sorted,
    counted (the page's rows are loaded by ``search_board`` or ``board_cards``).

    :param page_size: vacancies per page (the board shows ``PAGE_SIZE``; the API lets its clients choose).
    :param past_the_end: what a page after the last one shows: ``"last"`` the last page (the board), ``"none"``
        nothing, with the total counted all the same (the API, whose clients follow its links).
    """
    tokens = [term.token for term in filters.terms]
    if filters.finds_nothing:
        return BoardPage(total=0, page=1, pages=1, tokens=tokens)
    statement, parameters = page_statement(filters, now)
    page = max(1, filters.page)

    def ids_of(number: int) -> list[Any]:
        window = {"limit": page_size, "offset": (number - 1) * page_size}
        return list(db.session.execute(statement, parameters | window).all())

    rows = ids_of(page)
    total = rows[0][1] if rows else 0
    if not rows and page > 1:  # past the last page
        total = db.session.scalar(_count_statement(_shape(filters)), parameters) or 0
        if past_the_end == "last":
            page = max(1, -(-total // page_size))
            rows = ids_of(page)
    return BoardPage(
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        tokens=tokens,
        ids=[vacancy_id for vacancy_id, _total in rows],
    )


def search_board(
    filters: BoardFilter, now: datetime | None = None, *, page_size: int = PAGE_SIZE, past_the_end: str = "last"
) -> BoardPage:
    """One page of the jobs board (``find_page``) with its vacancies, their employer and town loaded."""
    found = find_page(filters, now, page_size=page_size, past_the_end=past_the_end)
    found.vacancies = _vacancies(found.ids)
    return found


def _in_order(rows: dict[int, Any], ids: list[int]) -> list[Any]:
    return [rows[vacancy_id] for vacancy_id in ids if vacancy_id in rows]


@lru_cache(maxsize=1)
def _vacancies_statement() -> Select:
    return (
        select(Vacancy)
        .where(Vacancy.id.in_(_expanding("ids")))
        .options(joinedload(Vacancy.employer, innerjoin=True), joinedload(Vacancy.town))
    )


def _vacancies(ids: list[int]) -> list[Vacancy]:
    """The vacancies of a page, in the page's order, with their employer and town (one statement)."""
    if not ids:
        return []
    loaded = db.session.scalars(_vacancies_statement(), {"ids": ids}).unique()
    return _in_order({vacancy.id: vacancy for vacancy in loaded}, ids)
