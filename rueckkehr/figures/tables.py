"""The figures as tables: each dimension's cells in order, labelled in the reader's language, small cells
suppressed; and the same tables as CSV for German Excel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..forms import SKILL_LEVELS
from ..occupations.models import OccupationArea
from ..occupations.names import translated_name
from ..places.models import Town
from ..returnees.forms import INTERESTS
from ..spreadsheets import csv_chunks
from .counting import DIMENSIONS, Counts, Dimension
from .linked import suppressed
from .suppression import Cell

STATUS_LABELS = {
    "confirmed": _l("bestätigt"),
    "unconfirmed": _l("unbestätigt"),
    "waiting": _l("Warteliste"),
    "cancelled": _l("abgesagt"),
    "expired": _l("verfallen"),
}


@dataclass(frozen=True)
class Table:
    """One figure ready to show: its dimension, its labelled cells and its total."""

    dimension: Dimension
    rows: list[tuple[str, Cell]]
    total: Cell

    @property
    def key(self) -> str:
        """The dimension's key (ids, chart URLs)."""
        return self.dimension.key

    @property
    def empty(self) -> bool:
        """Whether there is nothing to count."""
        return self.total.count == 0


class Labels:
    """The names of values, loaded once per page."""

    def __init__(self) -> None:
        self.towns = {slug: name for slug, name in db.session.execute(select(Town.slug, Town.name))}
        self.areas = {code: name for code, name in db.session.execute(select(OccupationArea.code, OccupationArea.name))}
        self.countries = get_locale().territories if get_locale() else {}
        self.levels = {value: str(label) for value, label in SKILL_LEVELS}
        self.interests = {value: str(label) for value, label in INTERESTS}
        self.statuses = {value: str(label) for value, label in STATUS_LABELS.items()}

    def __call__(self, dimension: str, value: str) -> str:
        """The value as a reader reads it."""
        return str(self._label(dimension, value))

    def _label(self, dimension: str, value: str) -> object:
        if value == "none":
            return _("keine Angabe")
        if dimension == "week":
            year, _sep, week = value.partition("-W")
            return _("KW %(week)s/%(year)s", week=week, year=year)
        if dimension == "status":
            return self.statuses.get(value, value)
        if dimension == "turn_up":
            return _("erschienen") if value == "present" else _("nicht erschienen")
        if dimension == "residence":
            if value.startswith("DE-"):
                return _("Deutschland, PLZ-Bereich %(zone)s", zone=value[3:])
            return self.countries.get(value, value)
        if dimension == "hometown":
            return _("anderer Ort") if value == "other" else self.towns.get(value, value)
        if dimension == "occupation_area":
            return f"{value} {translated_name(self.areas[value]) if value in self.areas else ''}".strip()
        if dimension == "skill_level":
            return self.levels.get(value, value)
        if dimension == "interest":
            return self.interests.get(value, value)
        if dimension == "advice":
            return _("ja") if value == "yes" else _("nein")
        return value


def _ordered(dimension: str, cells: list[Cell]) -> list[Cell]:
    """The rows in their order: by value, or by count with the hidden ones after the shown ones in the order of their
    values (ordered by count, the rows would tell which hidden count is the larger)."""
    if dimension in ("week", "residence", "occupation_area", "skill_level"):
        return sorted(cells, key=lambda cell: (cell.value == "none", cell.value))
    if dimension == "status":
        order = list(STATUS_LABELS)
        return sorted(cells, key=lambda cell: order.index(cell.value) if cell.value in order else 99)
    return sorted(cells, key=lambda cell: (cell.hidden, 0 if cell.hidden else -cell.count, cell.value))


def tables_of(counts: Counts) -> list[Table]:
    """Every dimension's table, cells suppressed within it and across the tables, in the order of ``DIMENSIONS``."""
    labels = Labels()
    tables = []
    protected = suppressed({key: dict(counter) for key, counter in counts.items()})
    for dimension in DIMENSIONS:
        cells, total = protected[dimension.key]
        rows = [(labels(dimension.key, cell.value), cell) for cell in _ordered(dimension.key, cells)]
        tables.append(Table(dimension, rows, total))
    return tables


def csv_of(tables: list[Table]) -> Iterator[bytes]:
    """Every table as rows of one CSV: figure, value, count (small counts as "< 5").

    The rows are written out now, in the request's language: the response streams after the request has ended.
    """
    header = [_("Kennzahl"), _("Wert"), _("Anzahl")]
    rows = [
        [str(table.dimension.title), str(label), cell.shown]
        for table in tables
        for label, cell in [*table.rows, *([(_("zusammen"), table.total)] if table.dimension.partition else [])]
    ]
    return csv_chunks(header, rows)
