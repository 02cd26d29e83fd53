"""Working time, the one vocabulary for vacancies, profiles, filters and matching, as the Bundesagentur codes it.

The Bundesagentur's job search knows vz (Vollzeit), tz (Teilzeit), snw (Schicht/Nacht/Wochenende), ho
(Heim-/Telearbeit) and mj (Minijob). A vacancy offers, and a returnee wishes for, a set of them: stored as bits in
one integer column (``WorkingTimeSet``), so a filter is one bitwise test on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, type_coerce
from sqlalchemy.types import TypeDecorator


class WorkingTime(enum.StrEnum):
    """One kind of working time; the values appear in URLs, forms and exports."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    SHIFTS = "shifts"
    REMOTE = "remote"
    MINI_JOB = "mini_job"

    @property
    def bit(self) -> int:
        """The member's bit in a stored set (fixed: stored data depends on it)."""
        return _BITS[self]

    @property
    def label(self) -> str:
        """The member's name in the current language."""
        return str(WORKING_TIME_LABELS[self])


_BITS = {
    WorkingTime.FULL_TIME: 1,
    WorkingTime.PART_TIME: 2,
    WorkingTime.SHIFTS: 4,
    WorkingTime.REMOTE: 8,
    WorkingTime.MINI_JOB: 16,
}
WORKING_TIME_LABELS = {
    WorkingTime.FULL_TIME: _l("Vollzeit"),
    WorkingTime.PART_TIME: _l("Teilzeit"),
    WorkingTime.SHIFTS: _l("Schicht/Nacht/Wochenende"),
    WorkingTime.REMOTE: _l("Heim-/Telearbeit"),
    WorkingTime.MINI_JOB: _l("Minijob"),
}


def in_order(times: Iterable[str]) -> list[WorkingTime]:
    """Working times (members or their values) as members, in the vocabulary's order, each once."""
    chosen = {WorkingTime(value) for value in times}
    return [member for member in WorkingTime if member in chosen]


def to_bits(times: Iterable[str]) -> int:
    """The stored form of a set of working times."""
    return sum(member.bit for member in in_order(times))


def from_bits(bits: int) -> list[WorkingTime]:
    """The working times of a stored set, in order."""
    return [member for member in WorkingTime if bits & member.bit]


class WorkingTimeSet(TypeDecorator[list[WorkingTime]]):
    """A set of working times, stored as an integer of bits and read as a list in the vocabulary's order."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | None, dialect: Any) -> int | None:
        """Members or their values in, bits out."""
        return None if value is None else to_bits(value)

    def process_result_value(self, value: int | None, dialect: Any) -> list[WorkingTime] | None:
        """Bits in, members out."""
        return None if value is None else from_bits(value)


def offers(column: Any, member: WorkingTime) -> ColumnElement[bool]:
    """Whether a stored set of working times holds ``member``: one bitwise test in SQL."""
    return type_coerce(column, Integer).op("&")(member.bit) != 0
