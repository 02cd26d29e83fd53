"""The jobs board's query: filters, the search through the term index with compound parts and synonyms, the best
match or the newest first, one page with its total in one statement, and the coming stands of the listed employers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.sql import Subquery

from ..dates import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..occupations.models import OccupationGroup
from ..occupations.working_times import WorkingTime, offers
from ..places.models import Town
from .models import SearchWord, StandBooking, StandStatus, Vacancy, VacancyTerm
from .queries import WITH_PLACE, on_board
from .search import QueryTerm, reversed_token

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
    """One page of results and the total count."""

    vacancies: list[Vacancy]
    total: int
    page: int
    pages: int
    tokens: list[str] = field(default_factory=list)


def filtered(filters: BoardFilter, now: datetime | None) -> Select:
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


def _successor(prefix: str) -> str:
    """The least string after every string that begins with ``prefix`` (the end of its index range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starting_with(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < _successor(prefix))


def compound_parts(terms: list[QueryTerm]) -> list[set[str]]:
    """For each term, the indexed words that are compounds beginning or ending with it: one statement, two index
    ranges per term in ``search_words``; the term then checks each word (``QueryTerm.matches_part``)."""
    ranges = []
    for term in terms:
        if term.prefix:
            ranges.append(_starting_with(SearchWord.token, term.prefix))
        if term.suffix:
            ranges.append(_starting_with(SearchWord.reversed_token, reversed_token(term.suffix)))
    if not ranges:
        return [set() for _term in terms]
    words = db.session.scalars(select(SearchWord.token).where(or_(*ranges)).limit(MAX_PARTS)).all()
    return [{word for word in words if term.matches_part(word)} for term in terms]


def term_matches(terms: list[QueryTerm]) -> Subquery:
    """Vacancy ids with a score, for vacancies that hold every term (itself, a synonym, or a compound of it)."""
    parts = compound_parts(terms)
    exact = {token for term in terms for token in term.same}
    every = exact.union(*parts)
    score = func.sum(VacancyTerm.weight * case((VacancyTerm.token.in_(exact), EXACT_FACTOR), else_=1))
    statement = (
        select(VacancyTerm.vacancy_id, score.label("score"))
        .where(VacancyTerm.token.in_(every))
        .group_by(VacancyTerm.vacancy_id)
    )
    if len(terms) > 1:
        holds_each = [
            func.max(case((VacancyTerm.token.in_(set(term.same) | found), 1), else_=0)) == 1
            for term, found in zip(terms, parts, strict=True)
        ]
        statement = statement.having(and_(*holds_each))
    return statement.subquery()


def search_board(
    filters: BoardFilter, now: datetime | None = None, *, page_size: int = PAGE_SIZE, past_the_end: str = "last"
) -> BoardPage:
    """One page of the jobs board: filtered, searched through the term index, sorted, counted.

    :param page_size: vacancies per page (the board shows ``PAGE_SIZE``; the API lets its clients choose).
    :param past_the_end: what a page after the last one shows: ``"last"`` the last page (the board), ``"none"``
        nothing, with the total counted all the same (the API, whose clients follow its links).
    """
    tokens = [term.token for term in filters.terms]
    if filters.finds_nothing:
        return BoardPage(vacancies=[], total=0, page=1, pages=1, tokens=tokens)
    statement = filtered(filters, now)
    order: list[ColumnElement] = [Vacancy.published_at.desc(), Vacancy.id.desc()]
    if filters.terms:
        matches = term_matches(filters.terms)
        statement = statement.join(matches, matches.c.vacancy_id == Vacancy.id)
        if filters.sort == "relevance":
            order.insert(0, matches.c.score.desc())
    page = max(1, filters.page)
    rows = _page(statement, order, page, page_size)
    total = rows[0][1] if rows else 0
    if not rows and page > 1:  # past the last page
        total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        if past_the_end == "last":
            page = max(1, -(-total // page_size))
            rows = _page(statement, order, page, page_size)
    return BoardPage(
        vacancies=[vacancy for vacancy, _total in rows],
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        tokens=tokens,
    )


def _page(statement: Select, order: list[ColumnElement], page: int, page_size: int) -> list:
    """One page of (vacancy, total) rows: the total is counted in the same statement, over all matches."""
    return list(
        db.session.execute(
            statement.add_columns(func.count().over().label("total"))
            .order_by(*order)
            .options(contains_eager(Vacancy.employer), selectinload(Vacancy.town))  # the employer from the join
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
    )


def coming_stands(employer_ids: list[int], now: datetime | None = None) -> dict[int, Event]:
    """The next coming published event at which each employer has a confirmed stand (one statement)."""
    if not employer_ids:
        return {}
    rows = db.session.execute(
        select(StandBooking.employer_id, Event)
        .join(Event, StandBooking.event_id == Event.id)
        .where(
            StandBooking.employer_id.in_(set(employer_ids)),
            StandBooking.status == StandStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at >= (now or utcnow()),
        )
        .options(WITH_PLACE)
        .order_by(Event.starts_at, Event.id)
    ).all()
    first: dict[int, Event] = {}
    for employer_id, event in rows:
        first.setdefault(employer_id, event)
    return first
