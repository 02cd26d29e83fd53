"""The organizers' registration list: search, filters that include or exclude, sorting and pages.

``RegistrationFilter`` is read from the URL once and applied by ``filtered()``, which the list pages here and the
exports (issue 13) share: a filter of the page is a filter of the export. It applies to one event or to several
(a whole series).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..places.models import Town
from ..returnees.models import ReturneeProfile
from .models import Registration, RegistrationStatus
from .seats import waiting_rank_column

PAGE_SIZE = 50
FILTER_FIELDS = ("status", "hometown", "field", "level", "interest")
OTHER_HOMETOWN = "other"


class caseless(FunctionElement[str]):
    """A text column as a case-insensitive sort key: ``lower(x)`` on PostgreSQL; on SQLite ``x COLLATE NOCASE``,
    which orders exactly as SQLite's ``lower()`` (both fold ASCII letters only) without calling a function for
    every row of the sort (half the time of the name sort)."""

    type = String()
    inherit_cache = True


@compiles(caseless)
def _caseless(element: caseless, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(caseless, "sqlite")
def _caseless_sqlite(element: caseless, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE NOCASE"


SORTS: dict[str, tuple[Any, ...]] = {
    "name": (caseless(ReturneeProfile.last_name), caseless(ReturneeProfile.first_name), Registration.id),
    "-name": (
        caseless(ReturneeProfile.last_name).desc(),
        caseless(ReturneeProfile.first_name).desc(),
        Registration.id.desc(),
    ),
    "registered": (Registration.created_at, Registration.id),
    "-registered": (Registration.created_at.desc(), Registration.id.desc()),
    "status": (Registration.status, Registration.waitlist_position, Registration.id),
    "hometown": (ReturneeProfile.hometown_id, caseless(ReturneeProfile.last_name), Registration.id),
}
# What a row of the list shows, read as plain rows: nothing else of 50 people is read (their answers, links and
# dates stay in the table), and no ORM objects are built for a page that only shows them.
ROW_COLUMNS = (
    Registration.id,
    Registration.event_id,
    Registration.status,
    Registration.walk_in,
    (Registration.companions + 1).label("party_size"),
    ReturneeProfile.first_name,
    ReturneeProfile.last_name,
    ReturneeProfile.postal_code,
    ReturneeProfile.city,
    ReturneeProfile.country,
    ReturneeProfile.occupation_group_code,
    func.coalesce(Town.name, ReturneeProfile.hometown_other, "").label("hometown"),
    waiting_rank_column().label("rank"),
)

PROFILE_SORTS = ("name", "-name", "hometown")


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


def _page_number(text: str | None) -> int:
    return max(1, int(text)) if text and text.isdigit() and len(text) < 7 else 1


def parse_filter(args: Mapping[str, str], event_ids: list[int]) -> RegistrationFilter:
    """Read the filter from URL parameters; unknown or odd values are ignored, never an error."""
    conditions = []
    for name in FILTER_FIELDS:
        value = (args.get(name) or "").strip()[:40]
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


def _matches(condition: Condition, town_ids: dict[str, int]) -> ColumnElement[bool]:
    """The SQL of one condition, never NULL (so that "is not" keeps the rows that have no value)."""
    profile = ReturneeProfile
    if condition.field == "status":
        return Registration.status == condition.value
    if condition.field == "hometown":
        if condition.value == OTHER_HOMETOWN:
            return profile.hometown_other.is_not(None)
        return profile.hometown_id.is_not_distinct_from(town_ids.get(condition.value, -1))
    if condition.field == "field":
        return profile.occupation_group_code.is_not_distinct_from(condition.value)
    if condition.field == "level":
        level = int(condition.value) if condition.value.isdigit() and len(condition.value) == 1 else -1
        return profile.skill_level.is_not_distinct_from(level)
    interest = "".join(char for char in condition.value if char.isalnum() or char == "_")
    return func.coalesce(cast(profile.interests, String), "").like(f'%"{interest}"%')


def filtered(filters: RegistrationFilter, join_profile: bool = True) -> Select[Any]:
    """The registrations the filter selects, sorted, without paging (the list pages and the exports use it).

    :param join_profile: False when neither the filter nor the order reads the person's data (``page_of`` knows).
    """
    statement = select(Registration).where(Registration.event_id.in_(filters.event_ids)).order_by(*SORTS[filters.sort])
    if join_profile:
        statement = statement.join(Registration.profile)
    if filters.query:
        text = filters.query.lower()
        full_name = func.lower(ReturneeProfile.first_name + " " + ReturneeProfile.last_name)
        searched = (full_name, func.lower(ReturneeProfile.email), func.lower(ReturneeProfile.city))
        statement = statement.where(or_(*(column.contains(text, autoescape=True) for column in searched)))
    if filters.conditions:
        towns: dict[str, int] = {}
        if filters.condition("hometown"):
            towns = {slug: town_id for slug, town_id in db.session.execute(select(Town.slug, Town.id))}
        for condition in filters.conditions:
            matches = _matches(condition, towns)
            statement = statement.where(not_(matches) if condition.exclude else matches)
    return statement


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


def _filter_reads_profile(filters: RegistrationFilter) -> bool:
    """Whether the search or a condition reads the person's data (else counting never joins their profiles)."""
    return bool(filters.query) or any(condition.field != "status" for condition in filters.conditions)


def page_of(filters: RegistrationFilter, size: int = PAGE_SIZE) -> RegistrationPage:
    """One page: a count and the rows, in two statements whatever the size.

    The database sorts and pages narrow rows (ids and the sort keys, the people's data joined only when the filter
    or the order reads it); only the page's rows are read, and of them only what the list shows, with each waiting
    party's place in line.
    """
    reads_profile = _filter_reads_profile(filters)
    counted = filtered(filters, join_profile=reads_profile).order_by(None)
    total = int(db.session.scalar(counted.with_only_columns(func.count(Registration.id))) or 0)
    pages = max(1, -(-total // size))
    page = min(filters.page, pages)
    sorted_ = filtered(filters, join_profile=reads_profile or filters.sort in PROFILE_SORTS)
    ids = sorted_.with_only_columns(Registration.id).limit(size).offset((page - 1) * size)
    rows = db.session.execute(
        select(*ROW_COLUMNS)
        .join(Registration.profile)
        .outerjoin(Town, Town.id == ReturneeProfile.hometown_id)
        .where(Registration.id.in_(ids.scalar_subquery()))
        .order_by(*SORTS[filters.sort])
    )
    return RegistrationPage(registrations=list(rows), total=total, page=page, pages=pages)


STATUS_VALUES = tuple(status.value for status in RegistrationStatus)
