"""The columns an organizer may choose: every answer of the registration form, and the registration itself.

A column reads one row of ``rows.export_statement`` (plain values, no ORM objects, so that 100,000 rows stream
quickly) and gives a typed cell: text, a number or a time. Labels and values are in the export's language (the
organizer's): occupational fields as the site's lists name them, countries by their name, as the registration form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row

from ..forms import SKILL_LEVELS, occupation_choices
from ..i18n import format_phone
from ..occupations.working_times import WorkingTime
from ..returnees.forms import INTERESTS, SALUTATIONS, country_choices
from ..spreadsheets import CSV_CELLS, Cell
from .queries import Purpose

STATUS_LABELS = {
    "confirmed": _l("bestätigt"),
    "unconfirmed": _l("unbestätigt"),
    "waiting": _l("Warteliste"),
    "cancelled": _l("abgesagt"),
    "expired": _l("verfallen"),
}


@dataclass
class Lookups:
    """What cells need beyond their row, loaded once per export (and the wished towns once per batch)."""

    groups: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    levels: dict[int, str] = field(default_factory=dict)
    interests: dict[str, str] = field(default_factory=dict)
    salutations: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    yes: str = ""
    no: str = ""
    flexible: str = ""
    working_times: dict[str, str] = field(default_factory=dict)
    wished_towns: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        """The labels, the occupation groups' names (code first) and the countries' names in the current
        language."""
        groups = {code: label for options in occupation_choices().values() for code, label in options}
        return cls(
            groups=groups,
            countries=dict(country_choices()),
            levels={int(value): str(label) for value, label in SKILL_LEVELS},
            interests={value: str(label) for value, label in INTERESTS},
            salutations={value: str(label) for value, label in SALUTATIONS if value},
            statuses={value: str(label) for value, label in STATUS_LABELS.items()},
            yes=str(_l("ja")),
            no=str(_l("nein")),
            flexible=str(_l("flexibel")),
            working_times={time.value: time.label for time in WorkingTime},
        )


Reader = Callable[[Row[Any], Lookups], Cell]


@dataclass(frozen=True)
class Column:
    """One column: its key (stored in presets), its heading and how it reads a row."""

    key: str
    label: Any
    read: Reader
    kind: str = "text"  # text, number or moment: how a CSV writes it
    attribute: str | None = None  # the row's value as it is, when the column is one (read without the lookups)

    def csv_cell(self, lookups: Lookups) -> Callable[[Row[Any]], str]:
        """How a CSV writes this column's cell of a row, read, formatted and neutralised in one call."""
        if self.attribute:
            return CSV_CELLS[self.kind](attrgetter(self.attribute))
        reader = self.read
        return CSV_CELLS[self.kind](lambda row: reader(row, lookups))


def _text(name: str) -> Reader:
    read = attrgetter(name)
    return lambda row, lookups: read(row)


def _plain(key: str, label: Any, name: str) -> Column:
    """A column that is one text value of the row."""
    return Column(key, label, _text(name), attribute=name)


def _status(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.statuses.get(str(row.status), str(row.status))


def _hometown(row: Row[Any], lookups: Lookups) -> Cell:
    return row.hometown_name or row.hometown_other or None


def _country(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.countries.get(row.country, row.country) if row.country else None


def _group(name: str) -> Reader:
    return lambda row, lookups: lookups.groups.get(getattr(row, name)) if getattr(row, name) else None


def _level(name: str) -> Reader:
    return lambda row, lookups: lookups.levels.get(getattr(row, name)) if getattr(row, name) else None


def _interests(row: Row[Any], lookups: Lookups) -> Cell:
    return ", ".join(lookups.interests.get(value, value) for value in row.interests or []) or None


def _advice(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.yes if "advice" in (row.interests or []) else lookups.no


def _working_times(row: Row[Any], lookups: Lookups) -> Cell:
    return ", ".join(lookups.working_times[value] for value in row.working_times or []) or None


def _earliest_return(row: Row[Any], lookups: Lookups) -> Cell:
    if not row.earliest_return:
        return None
    if row.earliest_return == "flexible":
        return lookups.flexible
    return str(row.earliest_return)


def _phone(row: Row[Any], lookups: Lookups) -> Cell:
    return format_phone(row.phone) or None


def _salutation(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.salutations.get(row.salutation or "") or None


def _walk_in(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.yes if row.walk_in else lookups.no


def _wished(row: Row[Any], lookups: Lookups) -> Cell:
    return lookups.wished_towns.get(row.profile_id)


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        _plain("last_name", _l("Nachname"), "last_name"),
        _plain("first_name", _l("Vorname"), "first_name"),
        Column("salutation", _l("Anrede"), _salutation),
        _plain("email", _l("E-Mail-Adresse"), "email"),
        Column("phone", _l("Telefon"), _phone),
        Column("status", _l("Stand"), _status),
        Column("party_size", _l("Personen"), lambda row, lookups: 1 + row.companions, "number"),
        Column("registered_at", _l("Angemeldet am"), _text("created_at"), "moment", "created_at"),
        Column("confirmed_at", _l("Bestätigt am"), _text("confirmed_at"), "moment", "confirmed_at"),
        Column("walk_in", _l("Am Einlass eingetragen"), _walk_in),
        _plain("event", _l("Veranstaltung"), "event_title"),
        Column(
            "event_starts_at", _l("Beginn der Veranstaltung"), _text("event_starts_at"), "moment", "event_starts_at"
        ),
        _plain("postal_code", _l("PLZ"), "postal_code"),
        _plain("city", _l("Wohnort"), "city"),
        Column("country", _l("Land"), _country),
        Column("hometown", _l("Früherer Heimatort"), _hometown),
        Column("wished_towns", _l("Gewünschte Städte"), _wished),
        Column("occupation_group", _l("Berufsfeld"), _group("occupation_group_code")),
        Column("skill_level", _l("Anforderungsniveau"), _level("skill_level")),
        Column("working_times", _l("Gewünschte Arbeitszeit"), _working_times),
        Column("earliest_return", _l("Frühestmögliche Rückkehr"), _earliest_return),
        Column("interests", _l("Interessen"), _interests),
        Column("advice", _l("Wunsch nach Beratungsgespräch"), _advice),
        Column("partner_occupation_group", _l("Berufsfeld Partner/in"), _group("partner_occupation_group_code")),
        Column("partner_skill_level", _l("Anforderungsniveau Partner/in"), _level("partner_skill_level")),
        _plain("reason", _l("Grund für die Rückkehr"), "reason"),
        _plain("language", _l("Sprache"), "language"),
    )
}
DEFAULT_COLUMNS = ["last_name", "first_name", "email", "status", "party_size"]
# The profile as the consent to the employer pool names it (returnees.consents: "without name and contact details:
# field, level, wished towns, earliest return"), the same the pool's cards show; a list for employers holds no more.
EMPLOYER_COLUMNS = ("occupation_group", "skill_level", "wished_towns", "earliest_return")


class NotCoveredError(ValueError):
    """An export or preset asked for what the consent of its purpose does not cover (the form refuses it first)."""


def chosen(keys: list[str]) -> list[Column]:
    """The known columns among ``keys``, in the order given, each once."""
    seen: dict[str, Column] = {}
    for key in keys:
        if key in COLUMNS and key not in seen:
            seen[key] = COLUMNS[key]
    return list(seen.values())


def not_covered(keys: list[str], purpose: str) -> list[Column]:
    """The chosen columns the consent of ``purpose`` does not cover: for a list for employers every column beyond
    ``EMPLOYER_COLUMNS``; the consent to take part covers every column for running the event."""
    if purpose != Purpose.EMPLOYERS:
        return []
    return [column for column in chosen(keys) if column.key not in EMPLOYER_COLUMNS]


def covered(keys: list[str], purpose: str) -> list[Column]:
    """The chosen columns, when the consent of ``purpose`` covers each; else ``NotCoveredError``."""
    refused = not_covered(keys, purpose)
    if refused:
        raise NotCoveredError(f"the consent for {purpose} does not cover {[column.key for column in refused]}")
    return chosen(keys)
