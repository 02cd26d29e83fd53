"""The organizers' registration list: search, filters that include or exclude, sorting and pages.

``RegistrationFilter`` is read from the URL once and applied by ``filtered()``, which the list pages here and the
exports (issue 13) share: a filter of the page is a filter of the export. It applies to one event or to several
(a whole series).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, cast, func, not_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from ..database import constant, like_lowered
from ..events.models import Event
from ..extensions import db
from ..i18n import alphabetical
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


def parse_filter(
    args: Mapping[str, str], event_ids: list[int], known: Mapping[str, Collection[str]] | None = None
) -> RegistrationFilter:
    """Read the filter from URL parameters; unknown or odd values are ignored, never an error.

    :param known: the values each field offers (``list_html.ListTexts.known``): a value it does not offer (a field
        ``99``, a level ``abc``) is ignored too, rather than shown as "any" and matching nobody.
    """
    conditions = []
    for name in FILTER_FIELDS:
        value = (args.get(name) or "").strip()[:40]
        if name == "status" and value not in STATUS_VALUES:  # no state of a registration: ignored, as the rest
            continue
        if value and known is not None and name in known and value not in known[name]:
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
    the filter's shape (``shape_of``) serves every value.
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
    return filtered_statement(filters, join_profile, parameters_of(filters))


def filtered_statement(
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
        names, text = (_parameter(name, values, type_=String) for name in ("name_query", "query"))
        statement = statement.where(_searched(names, text, filters.query.isascii()))
    for condition in filters.conditions:
        matches = _matches(condition, values)
        statement = statement.where(not_(matches) if condition.exclude else matches)
    return statement


# The name in either order in one text, "jana muller jana": it holds "jana muller" and "muller jana" (one LIKE).
_EITHER_ORDER = (
    Registration.sort_first_name
    + constant(" ", String)
    + Registration.sort_last_name
    + constant(" ", String)
    + Registration.sort_first_name
)


def _searched(name_pattern: BindParameter[Any], pattern: BindParameter[Any], ascii_text: bool) -> ColumnElement[bool]:
    """Who the search text finds: by the name in either order, read from the registration's sort names (folded in
    Python, so without case and accents on either database and without a function for each row), by the address
    (stored in lower case) or by the place of residence (``lower``, for every letter on both databases)."""
    return or_(
        _EITHER_ORDER.like(name_pattern, escape="/"),
        ReturneeProfile.email.like(pattern, escape="/"),
        like_lowered(ReturneeProfile.city, pattern, ascii_text),
    )


def _name_pattern(query: str) -> str:
    """The pattern of the search text among the sort names: folded as they are, a comma read as a space ("Müller,
    Jana" as the list shows a name), the words one space apart; one that finds nobody when no word is left."""
    words = alphabetical(query.replace(",", " ")).split()
    return _escaped_like(" ".join(words)) if words else ""


def parameters_of(filters: RegistrationFilter) -> dict[str, Any]:
    """The values of the bound parameters of ``filtered`` for this filter."""
    towns = _town_ids(filters)
    values: dict[str, Any] = {"event_ids": filters.event_ids}
    if filters.query:
        values["query"] = _escaped_like(filters.query.lower())
        values["name_query"] = _name_pattern(filters.query)
    for condition in filters.conditions:
        if not (condition.field == "hometown" and condition.value == OTHER_HOMETOWN):
            values[f"{condition.field}_value"] = _value(condition, towns)
    return values


def shape_of(filters: RegistrationFilter) -> tuple[Any, ...]:
    """What the SQL of ``filtered`` depends on besides the values of its parameters."""
    conditions = tuple(
        (condition.field, condition.exclude, condition.field == "hometown" and condition.value == OTHER_HOMETOWN)
        for condition in filters.conditions
    )
    return filters.sort, bool(filters.query), filters.query.isascii(), conditions, len(filters.event_ids) == 1


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


STATUS_VALUES = tuple(status.value for status in RegistrationStatus)
