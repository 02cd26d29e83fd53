"""Pages of the registration list: the statements that read one page of a filter with its count (and its event),
built once per shape of the filter, and the last page for a page asked beyond it (``listing`` reads the filter).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, bindparam, func, select

from ..database import plain_rows
from ..events.models import Event, EventStatus
from ..extensions import db
from ..places.models import Town, Venue
from ..returnees.models import ReturneeProfile
from .listing import (
    PAGE_SIZE,
    PROFILE_SORTS,
    ROW_COLUMNS,
    SORTS,
    RegistrationFilter,
    filtered_statement,
    parameters_of,
    shape_of,
)
from .models import Registration


@dataclass
class RegistrationPage:
    """One page of the list and how many there are in all.

    Each row has the columns of ``ROW_COLUMNS`` by name: ``id``, ``event_id``, ``status``, ``walk_in``,
    ``party_size``, the person's ``first_name``, ``last_name``, ``postal_code``, ``city``, ``country``,
    ``occupation_group_code``, their ``hometown`` (a town's name, what they typed, or empty) and ``rank``, the place
    in line of a waiting registration (else None).
    """

    registrations: Sequence[Any]  # rows
    total: int
    page: int
    pages: int
    event: ListedEvent | None = None  # asked for with the page (``with_event``) and read with its rows


class ListedEvent(NamedTuple):
    """What the list page shows of its event, and the town its access is checked against."""

    id: int
    title: str
    status: EventStatus
    town_id: int
    ends_at: datetime  # walk-ins are offered until the event is over


# The event of a one-event page, read with its rows (``with_event``): a page of the list is then one statement,
# not two (on PostgreSQL a round trip is a tenth of the page's time).
EVENT_COLUMNS = (
    Event.title.label("event_title"),
    Event.status.label("event_status"),
    Venue.town_id.label("event_town_id"),
    Event.ends_at.label("event_ends_at"),
)


def _with_event(statement: Select[Any]) -> Select[Any]:
    """The page's statement with its event's columns (``EVENT_COLUMNS``) on every row."""
    statement = statement.join(Event, Event.id == Registration.event_id).join(Venue, Venue.id == Event.venue_id)
    return statement.add_columns(*EVENT_COLUMNS)


def _filter_reads_profile(filters: RegistrationFilter) -> bool:
    """Whether the search or a condition reads the person's data (else counting never joins their profiles)."""
    return bool(filters.query) or any(condition.field != "status" for condition in filters.conditions)


def _page_statement(sorted_: Select[Any], sort: str, total: Select[Any] | None) -> Select[Any]:
    """The rows of one page (parameters ``page_size`` and ``page_offset``), each with the count of all the filter
    selects unless ``total`` is None: the count as a subquery, or where ``total`` is ``WINDOW``, as a window over
    the sorted rows."""
    ids = sorted_.with_only_columns(Registration.id).limit(_PAGE_SIZE).offset(_PAGE_OFFSET)
    statement: Select[Any] = (
        select(*ROW_COLUMNS)  # type: ignore[assignment]  # the rows' columns as ROW_COLUMNS names them
        .join(Registration.profile)
        .outerjoin(Town, Town.id == ReturneeProfile.hometown_id)
        .order_by(*SORTS[sort])
    )
    if total is WINDOW:
        counted_page = ids.add_columns(func.count().over().label("total")).subquery("page")
        return statement.join(counted_page, counted_page.c.id == Registration.id).add_columns(counted_page.c.total)
    statement = statement.where(Registration.id.in_(ids.scalar_subquery()))
    return statement.add_columns(total.scalar_subquery().label("total")) if total is not None else statement


def _direct_page(filters: RegistrationFilter, gated: bool = False) -> Select[Any]:
    """The rows of one page of one event, read in the order of an index of the registrations alone (by name, date
    or state): the database walks the index, joins each row's person and stops after the page, where reading the
    page's ids first led PostgreSQL to scan every registration of the table for them. (Several events, a series,
    have no such order: their ids are sorted first, as narrow rows.)"""
    statement: Select[Any] = filtered_statement(filters, True, None, gated)
    statement = statement.with_only_columns(*ROW_COLUMNS)  # type: ignore[assignment]
    statement = statement.outerjoin(Town, Town.id == ReturneeProfile.hometown_id)
    return statement.limit(_PAGE_SIZE).offset(_PAGE_OFFSET)


# Written into the SQL (as ``constant`` is), so that PostgreSQL keeps a plan for a page asked often (the first):
# each page number is a statement of its own, planned on each run until it has run a few times.
_PAGE_SIZE = bindparam("page_size", type_=Integer, literal_execute=True)
_PAGE_OFFSET = bindparam("page_offset", type_=Integer, literal_execute=True)
# The count as a window over the filtered rows, where that is cheaper than counting them again in a subquery:
# on PostgreSQL when the filter reads the people's data (the count would join them a second time: 3.3 ms against
# 5.8 ms for the bench's filtered list). On SQLite, which materialises the rows for a window, and where the count
# needs no join, the subquery is faster.
WINDOW = select(func.count())
# The statements of the list by the filter's shape (``shape_of``) and whether it counts by window: a list page builds
# none of them again (building them cost about as much as SQLite took to run them); the values are parameters.
_STATEMENTS: dict[tuple[Any, ...], tuple[Select[Any], Select[Any], Select[Any]]] = {}
_STATEMENTS_KEPT = 1024  # shapes are few (fields, "is not", sorts), but a URL chooses them


def _statements(
    filters: RegistrationFilter, window: bool, with_event: bool = False, gated: bool = False
) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The count, a page with the count (and with its event's columns, ``with_event``, behind the towns' gate,
    ``gated``), and a page alone, for this filter's shape."""
    key = (*shape_of(filters), window, with_event, gated)
    statements = _STATEMENTS.get(key)
    if statements is None:
        reads_profile = _filter_reads_profile(filters)
        # Behind the gate both where the rows are chosen and where they are counted: each reads no registration
        # of another town's event, however the database orders its work.
        counted = filtered_statement(filters, reads_profile, None, gated).order_by(None)
        counted = counted.with_only_columns(func.count())
        if reads_profile or filters.sort in PROFILE_SORTS or len(filters.event_ids) != 1:
            sorted_ = filtered_statement(filters, True, None, gated)
            counted_page = _page_statement(sorted_, filters.sort, WINDOW if window else counted)
            plain_page = _page_statement(sorted_, filters.sort, None)
        else:
            plain_page = _direct_page(filters, gated)
            counted_page = plain_page.add_columns(counted.scalar_subquery().label("total"))
        statements = (counted, _with_event(counted_page) if with_event else counted_page, plain_page)
        if len(_STATEMENTS) < _STATEMENTS_KEPT:
            _STATEMENTS[key] = statements
    return statements


def page_of(
    filters: RegistrationFilter,
    size: int = PAGE_SIZE,
    with_event: bool = False,
    towns: Collection[int] | None = None,
) -> RegistrationPage:
    """One page: the rows, and how many there are in all, in one statement whatever the size (two more only for a
    page beyond the last: the count, then the last page).

    The database sorts and pages narrow rows (ids and the sort keys, the people's data joined only when the filter
    or the order reads it); only the page's rows are read, and of them only what the list shows, with each waiting
    party's place in line. The count comes with the rows (``WINDOW``).

    :param with_event: read the event of a one-event filter with the rows (``RegistrationPage.event``). Where the
        page has none, nothing more is read (``event`` is None, as for an event that does not exist, and the page
        the first and empty): the caller checks the event, and asks for the ``last_page`` if it asked beyond.
    :param towns: with ``with_event``, the rows only of an event held in one of these towns (an organizer's), which
        the database checks before anything else (``_GATED_EVENT``); None: every town's.
    """
    with_event = with_event and len(filters.event_ids) == 1
    gated = with_event and towns is not None
    counted_page = _statements(filters, _counts_by_window(filters), with_event, gated)[1]
    parameters = {**parameters_of(filters), "page_size": size, "page_offset": (filters.page - 1) * size}
    if gated:
        parameters.update(gate_event=filters.event_ids[0], gate_towns=sorted(towns or ()))
    rows = plain_rows(counted_page, parameters).all()
    if not rows:
        return RegistrationPage(registrations=[], total=0, page=1, pages=1) if with_event else last_page(filters, size)
    event = None
    if with_event:
        first = rows[0]
        event = ListedEvent(
            filters.event_ids[0], first.event_title, first.event_status, first.event_town_id, first.event_ends_at
        )
    total = int(rows[0].total)
    return RegistrationPage(
        registrations=rows, total=total, page=filters.page, pages=max(1, -(-total // size)), event=event
    )


def last_page(filters: RegistrationFilter, size: int = PAGE_SIZE) -> RegistrationPage:
    """The page the filter asked for had no rows: the first and empty, or beyond the last, the last (two
    statements: the count, then the page)."""
    if filters.page == 1:
        return RegistrationPage(registrations=[], total=0, page=1, pages=1)
    counted, _counted_page, plain_page = _statements(filters, _counts_by_window(filters))
    parameters = parameters_of(filters)
    total = int(db.session.scalar(counted, parameters) or 0)
    pages = max(1, -(-total // size))
    offset = (pages - 1) * size
    rows = plain_rows(plain_page, {**parameters, "page_size": size, "page_offset": offset}).all()
    return RegistrationPage(registrations=rows, total=total, page=pages, pages=pages)


def _counts_by_window(filters: RegistrationFilter) -> bool:
    """Whether the page counts its rows by a window (``WINDOW``): on PostgreSQL where the filter reads the people."""
    return _filter_reads_profile(filters) and db.session.get_bind().dialect.name == "postgresql"
