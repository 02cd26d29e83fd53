"""The organizers' registration list: search, filters that include or exclude, sorting and pages.

``RegistrationFilter`` is read from the URL once and applied by ``filtered()``, which the list pages here and the
exports (issue 13) share: a filter of the page is a filter of the export. It applies to one event or to several
(a whole series).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, cast, func, not_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from ..database import constant, plain_rows
from ..events.models import Event, EventStatus
from ..extensions import db
from ..places.models import Town, Venue
from ..returnees.models import ReturneeProfile
from .models import Registration, RegistrationStatus
from .seats import waiting_rank_column

PAGE_SIZE = 50
FILTER_FIELDS = ("status", "hometown", "field", "level", "interest")
OTHER_HOMETOWN = "other"


# Names sort by the registrations' own sort names (``sort_key``): a page sorted by name is read from the index on
# the event and these names, without joining the people.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": (Registration.sort_last_name, Registration.sort_first_name, Registration.id),
    "-name": (Registration.sort_last_name.desc(), Registration.sort_first_name.desc(), Registration.id.desc()),
    "registered": (Registration.created_at, Registration.id),
    "-registered": (Registration.created_at.desc(), Registration.id.desc()),
    "status": (
        Registration.status,
        Registration.waitlist_position,
        Registration.sort_last_name,
        Registration.sort_first_name,
        Registration.id,
    ),
    "hometown": (
        ReturneeProfile.hometown_id,
        Registration.sort_last_name,
        Registration.sort_first_name,
        Registration.id,
    ),
}
# What a row of the list shows, read as plain rows: nothing else of 50 people is read (their answers, links and
# dates stay in the table), and no ORM objects are built for a page that only shows them.
ROW_COLUMNS = (
    Registration.id,
    Registration.event_id,
    Registration.status,
    Registration.walk_in,
    (Registration.companions + constant(1, Integer)).label("party_size"),
    ReturneeProfile.first_name,
    ReturneeProfile.last_name,
    ReturneeProfile.postal_code,
    ReturneeProfile.city,
    ReturneeProfile.country,
    ReturneeProfile.occupation_group_code,
    func.coalesce(Town.name, ReturneeProfile.hometown_other, constant("", String)).label("hometown"),
    waiting_rank_column().label("rank"),
)

PROFILE_SORTS = ("hometown",)
_TOWNS_KEY = "rueckkehr.registrations.towns"


def town_rows() -> list[tuple[int, str, str]]:
    """The towns as (id, slug, name) in their order, read once per app: reference data that the migrations write
    and nothing in the app changes (town pages change only their contact and texts), which every list page's filter
    offers and resolves."""
    extensions = current_app.extensions
    rows: list[tuple[int, str, str]] | None = extensions.get(_TOWNS_KEY)
    if rows is None:
        rows = [
            (town_id, slug, name)
            for town_id, slug, name in db.session.execute(
                select(Town.id, Town.slug, Town.name).order_by(Town.sort_order, Town.id)
            )
        ]
        if rows:  # an empty table (a database being built) is asked again
            extensions[_TOWNS_KEY] = rows
    return rows


@dataclass(frozen=True)
class Condition:
    """One filter: a field, a value, and whether it keeps (``is``) or drops (``is not``) the matches."""

    field: str
    value: str
    exclude: bool = False


@dataclass
class RegistrationFilter:
    """What the list shows: the events, a search text, the conditions, the order and the page."""

    event_ids: list[int]
    query: str = ""
    conditions: list[Condition] = field(default_factory=list)
    sort: str = "name"
    page: int = 1

    def args(self, **overrides: Any) -> dict[str, Any]:
        """The URL parameters that give this filter (for sorting links, pages and exports)."""
        values: dict[str, Any] = {"q": self.query or None, "sort": self.sort if self.sort != "name" else None}
        for condition in self.conditions:
            values[condition.field] = condition.value
            values[f"{condition.field}_op"] = "not" if condition.exclude else None
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in (None, "", 1) or key == "page"}

    def condition(self, name: str) -> Condition | None:
        """The condition on one field, if any."""
        return next((condition for condition in self.conditions if condition.field == name), None)


LAST_PAGE = 999_999  # a page number too long to mean a page: beyond the last, which shows the last page


def _page_number(text: str | None) -> int:
    if not text or not text.isdecimal():
        return 1
    return max(1, int(text)) if len(text) < 7 else LAST_PAGE


def parse_filter(args: Mapping[str, str], event_ids: list[int]) -> RegistrationFilter:
    """Read the filter from URL parameters; unknown or odd values are ignored, never an error."""
    conditions = []
    for name in FILTER_FIELDS:
        value = (args.get(name) or "").strip()[:40]
        if name == "status" and value not in STATUS_VALUES:  # no state of a registration: ignored, as the rest
            continue
        if value and "\x00" not in value:
            conditions.append(Condition(name, value, exclude=args.get(f"{name}_op") == "not"))
    sort = args.get("sort", "name")
    return RegistrationFilter(
        event_ids=event_ids,
        query=(args.get("q") or "").replace("\x00", "").strip()[:100],
        conditions=conditions,
        sort=sort if sort in SORTS else "name",
        page=_page_number(args.get("page")),
    )


def _escaped_like(text: str) -> str:
    """A ``LIKE`` pattern that finds ``text`` anywhere, its ``%``, ``_`` and ``/`` meant literally (escape ``/``)."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _matches(condition: Condition, values: dict[str, Any] | None) -> ColumnElement[bool]:
    """The SQL of one condition, never NULL (so that "is not" keeps the rows that have no value).

    The value is a bound parameter named after the field (``status_value``…), so that a statement built once for
    the filter's shape (``_shape``) serves every value.
    """
    profile = ReturneeProfile
    name = f"{condition.field}_value"
    if condition.field == "status":
        return Registration.status == _parameter(name, values, type_=Registration.status.type)
    if condition.field == "hometown":
        if condition.value == OTHER_HOMETOWN:
            return profile.hometown_other.is_not(None)
        return profile.hometown_id.is_not_distinct_from(_parameter(name, values, type_=Integer))
    if condition.field == "field":
        return profile.occupation_group_code.is_not_distinct_from(_parameter(name, values, type_=String))
    if condition.field == "level":
        return profile.skill_level.is_not_distinct_from(_parameter(name, values, type_=Integer))
    return func.coalesce(cast(profile.interests, String), "").like(_parameter(name, values, type_=String))


def _parameter(name: str, values: dict[str, Any] | None, **options: Any) -> BindParameter[Any]:
    """A bound parameter with its value from ``values``; without ``values`` (a statement kept for every request of
    its shape) one that has none and must be given whenever the statement runs, so that no request's value can stay
    in it for another's."""
    if values is None:
        return bindparam(name, required=True, **options)
    return bindparam(name, values[name], **options)


def _value(condition: Condition, town_ids: dict[str, int]) -> Any:
    """The value of a condition's parameter in ``_matches``."""
    if condition.field == "hometown":
        return town_ids.get(condition.value, -1)
    if condition.field == "level":
        return int(condition.value) if condition.value.isdecimal() and len(condition.value) == 1 else -1
    if condition.field == "interest":
        interest = "".join(char for char in condition.value if char.isalnum() or char == "_")
        return f'%"{interest}"%'
    return condition.value


def _town_ids(filters: RegistrationFilter) -> dict[str, int]:
    return {slug: town_id for town_id, slug, _name in town_rows()} if filters.condition("hometown") else {}


def filtered(filters: RegistrationFilter, join_profile: bool = True) -> Select[Any]:
    """The registrations the filter selects, sorted, without paging (the list pages and the exports use it).

    :param join_profile: False when neither the filter nor the order reads the person's data (``page_of`` knows).
    """
    return _filtered(filters, join_profile, _parameters(filters))


def _filtered(
    filters: RegistrationFilter, join_profile: bool, values: dict[str, Any] | None, gated: bool = False
) -> Select[Any]:
    """``filtered``, with the values of its parameters in it, or (``values`` None) to be given when it runs;
    ``gated``: behind the towns' gate (``_GATED_EVENT``)."""
    if gated:  # one event, behind the towns' gate
        chosen = Registration.event_id == _GATED_EVENT
    else:
        chosen = Registration.event_id.in_(_parameter("event_ids", values, expanding=True))
    statement = select(Registration).where(chosen).order_by(*SORTS[filters.sort])
    if join_profile:
        statement = statement.join(Registration.profile)
    if filters.query:
        pattern = _parameter("query", values, type_=String)
        full_name = func.lower(ReturneeProfile.first_name + " " + ReturneeProfile.last_name)
        searched = (full_name, func.lower(ReturneeProfile.email), func.lower(ReturneeProfile.city))
        statement = statement.where(or_(*(column.like(pattern, escape="/") for column in searched)))
    for condition in filters.conditions:
        matches = _matches(condition, values)
        statement = statement.where(not_(matches) if condition.exclude else matches)
    return statement


def _parameters(filters: RegistrationFilter) -> dict[str, Any]:
    """The values of the bound parameters of ``filtered`` for this filter."""
    towns = _town_ids(filters)
    values: dict[str, Any] = {"event_ids": filters.event_ids}
    if filters.query:
        values["query"] = _escaped_like(filters.query.lower())
    for condition in filters.conditions:
        if not (condition.field == "hometown" and condition.value == OTHER_HOMETOWN):
            values[f"{condition.field}_value"] = _value(condition, towns)
    return values


def _shape(filters: RegistrationFilter) -> tuple[Any, ...]:
    """What the SQL of ``filtered`` depends on besides the values of its parameters."""
    conditions = tuple(
        (condition.field, condition.exclude, condition.field == "hometown" and condition.value == OTHER_HOMETOWN)
        for condition in filters.conditions
    )
    return filters.sort, bool(filters.query), conditions, len(filters.event_ids) == 1


@dataclass
class RegistrationPage:
    """One page of the list and how many there are in all.

    Each row has the columns of ``ROW_COLUMNS`` by name: ``id``, ``event_id``, ``status``, ``walk_in``,
    ``party_size``, the person's ``first_name``, ``last_name``, ``postal_code``, ``city``, ``country``,
    ``occupation_group_code``, their ``hometown`` (a town's name, what they typed, or empty) and ``rank``, the place
    in line of a waiting registration (else None).
    """

    registrations: list[Any]  # rows
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


# The event of a one-event page, read with its rows (``with_event``): a page of the list is then one statement,
# not two (on PostgreSQL a round trip is a tenth of the page's time).
EVENT_COLUMNS = (
    Event.title.label("event_title"),
    Event.status.label("event_status"),
    Venue.town_id.label("event_town_id"),
)


def _with_event(statement: Select[Any]) -> Select[Any]:
    """The page's statement with its event's columns (``EVENT_COLUMNS``) on every row."""
    statement = statement.join(Event, Event.id == Registration.event_id).join(Venue, Venue.id == Event.venue_id)
    return statement.add_columns(*EVENT_COLUMNS)


_GATE_EVENT, _GATE_VENUE = aliased(Event), aliased(Venue)
# The page's event (parameter ``gate_event``) if it is held in one of an organizer's towns (``gate_towns``), else
# NULL: the key by which the rows are looked up in their event's index. It refers to no row of the page, so the
# database works it out once, before it looks up anything else, and a NULL key finds nothing: for another town's
# event the page's statement reads no registration, whatever the filter, and takes the time a missing event takes.
_GATED_EVENT = (
    select(_GATE_EVENT.id)
    .join(_GATE_VENUE, _GATE_VENUE.id == _GATE_EVENT.venue_id)
    .where(
        _GATE_EVENT.id == bindparam("gate_event", type_=Integer),
        _GATE_VENUE.town_id.in_(bindparam("gate_towns", expanding=True, type_=Integer)),
    )
    .correlate(None)
    .scalar_subquery()
)


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
    statement: Select[Any] = _filtered(filters, True, None, gated).with_only_columns(*ROW_COLUMNS)  # type: ignore[assignment]
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
# The statements of the list by the filter's shape (``_shape``) and whether it counts by window: a list page builds
# none of them again (building them cost about as much as SQLite took to run them); the values are parameters.
_STATEMENTS: dict[tuple[Any, ...], tuple[Select[Any], Select[Any], Select[Any]]] = {}
_STATEMENTS_KEPT = 1024  # shapes are few (fields, "is not", sorts), but a URL chooses them


def _statements(
    filters: RegistrationFilter, window: bool, with_event: bool = False, gated: bool = False
) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The count, a page with the count (and with its event's columns, ``with_event``, behind the towns' gate,
    ``gated``), and a page alone, for this filter's shape."""
    key = (*_shape(filters), window, with_event, gated)
    statements = _STATEMENTS.get(key)
    if statements is None:
        reads_profile = _filter_reads_profile(filters)
        counted = _filtered(filters, reads_profile, None).order_by(None)
        counted = counted.with_only_columns(func.count())
        if reads_profile or filters.sort in PROFILE_SORTS or len(filters.event_ids) != 1:
            sorted_ = _filtered(filters, True, None, gated)  # the gate where the rows are chosen: before any is read
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
    parameters = {**_parameters(filters), "page_size": size, "page_offset": (filters.page - 1) * size}
    if gated:
        parameters.update(gate_event=filters.event_ids[0], gate_towns=sorted(towns or ()))
    rows = list(plain_rows(counted_page, parameters))
    if not rows:
        return RegistrationPage(registrations=[], total=0, page=1, pages=1) if with_event else last_page(filters, size)
    event = None
    if with_event:
        first = rows[0]
        event = ListedEvent(filters.event_ids[0], first.event_title, first.event_status, first.event_town_id)
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
    parameters = _parameters(filters)
    total = int(db.session.scalar(counted, parameters) or 0)
    pages = max(1, -(-total // size))
    offset = (pages - 1) * size
    rows = list(plain_rows(plain_page, {**parameters, "page_size": size, "page_offset": offset}))
    return RegistrationPage(registrations=rows, total=total, page=pages, pages=pages)


def _counts_by_window(filters: RegistrationFilter) -> bool:
    """Whether the page counts its rows by a window (``WINDOW``): on PostgreSQL where the filter reads the people."""
    return _filter_reads_profile(filters) and db.session.get_bind().dialect.name == "postgresql"


STATUS_VALUES = tuple(status.value for status in RegistrationStatus)
