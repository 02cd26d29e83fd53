"""The rows an export reads: the registrations the list's filters select, narrowed to those whose consent covers
the export's purpose, and their count.

Without a status filter an export holds the registrations that stand (``standing``): a cancelled, lapsed or
unconfirmed one only when the list's status filter asks for it. The door list holds only the confirmed, whom the
door lets in (``checkin``), whatever the filter."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from ..events.models import Event
from ..extensions import db
from ..places.models import Town
from ..registrations import listing
from ..registrations.models import Registration, RegistrationStatus
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile, profile_wished_towns

# SQLite's own default page cache (2 MiB). The app's connections keep 32 MiB for searches that read many rows by id;
# an export reads each page once, and with the big cache SQLite's pages and sorter held some 50 MB more per export.
SQLITE_EXPORT_CACHE_KIB = 2048


@contextmanager
def small_page_cache() -> Iterator[None]:
    """On SQLite, the session connection's page cache is SQLite's default while an export reads, the app's after."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    kept = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_EXPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={kept}")


class Purpose(enum.StrEnum):
    """What an export is for; each needs its own consent of the people in it."""

    EVENT = "event"  # running the event: the consent to take part in it
    EMPLOYERS = "employers"  # handing to employers: the consent to share the profile with employers


class Format(enum.StrEnum):
    """The files an export is made as."""

    CSV = "csv"
    XLSX = "xlsx"
    PRINT = "print"


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the scope (an event or a series) with its events, the list's filters, columns, purpose."""

    scope: str
    scope_id: int
    event_ids: list[int]
    filters: dict[str, str]
    columns: list[str]
    purpose: Purpose
    file_format: Format
    town_id: int | None = None
    title: str = "Export"

    @property
    def registration_filter(self) -> listing.RegistrationFilter:
        """The registration list's filter, as the page that led here had it."""
        return listing.parse_filter(self.filters, self.event_ids)


def consent_covers(purpose: Purpose) -> Any:
    """Whether the registration's person consented to the purpose (a condition on the enclosing query).

    Written as ``IN (subquery)`` rather than a correlated EXISTS: both databases then read the consents once
    (SQLite builds a temporary index), whatever the number of rows.
    """
    if purpose == Purpose.EMPLOYERS:
        return Registration.profile_id.in_(
            select(Consent.profile_id).where(
                Consent.purpose == ConsentPurpose.EMPLOYER_POOL,
                Consent.registration_id.is_(None),
                Consent.confirmed_at.is_not(None),
                Consent.withdrawn_at.is_(None),
            )
        )
    return Registration.id.in_(
        select(Consent.registration_id).where(
            Consent.purpose == ConsentPurpose.PARTICIPATION,
            Consent.confirmed_at.is_not(None),
            Consent.withdrawn_at.is_(None),
        )
    )


def standing() -> ColumnElement[bool]:
    """The registrations that stand: confirmed, or waiting after confirming (the mailings' "all" as well); not one
    cancelled, lapsed or still unconfirmed."""
    return or_(
        Registration.status == RegistrationStatus.CONFIRMED,
        and_(Registration.status == RegistrationStatus.WAITING, Registration.confirmed_at.is_not(None)),
    )


def export_statement(request: ExportRequest) -> Select[*tuple[Any, ...]]:
    """The rows of the export as plain values: the list's filter and order, and the purpose's consent; without a
    status filter those that stand, and on the door list only the confirmed."""
    filters = request.registration_filter
    if request.file_format == Format.PRINT:
        filters.sort = "name"  # the door list goes by last name
    statement = listing.filtered(filters).where(consent_covers(request.purpose))
    if request.file_format == Format.PRINT:
        statement = statement.where(Registration.status == RegistrationStatus.CONFIRMED)
    elif filters.condition("status") is None:
        statement = statement.where(standing())
    rows: Select[*tuple[Any, ...]] = (
        statement.with_only_columns(
            Registration.id,
            Registration.profile_id,
            Registration.status,
            Registration.companions,
            Registration.created_at,
            Registration.confirmed_at,
            Registration.walk_in,
            ReturneeProfile.salutation,
            ReturneeProfile.first_name,
            ReturneeProfile.last_name,
            ReturneeProfile.email,
            ReturneeProfile.phone,
            ReturneeProfile.postal_code,
            ReturneeProfile.city,
            ReturneeProfile.country,
            ReturneeProfile.hometown_other,
            ReturneeProfile.occupation_group_code,
            ReturneeProfile.skill_level,
            ReturneeProfile.working_times,
            ReturneeProfile.earliest_return,
            ReturneeProfile.interests,
            ReturneeProfile.partner_occupation_group_code,
            ReturneeProfile.partner_skill_level,
            ReturneeProfile.reason,
            ReturneeProfile.language,
            Town.name.label("hometown_name"),
            Event.title.label("event_title"),
            Event.starts_at.label("event_starts_at"),
            maintain_column_froms=False,
        )
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(Town, Town.id == ReturneeProfile.hometown_id)
    )
    return rows


def count_rows(request: ExportRequest) -> int:
    """How many rows the export will have."""
    statement = export_statement(request).order_by(None).with_only_columns(func.count(Registration.id))
    with small_page_cache():
        return int(db.session.scalar(statement) or 0)


@dataclass(frozen=True)
class Totals:
    """What the export page tells before an export: how many registrations, and how many people they bring."""

    registrations: int
    people: int


def totals(request: ExportRequest) -> Totals:
    """The registrations of the export and the people they bring (each with their companions), in one statement."""
    statement = (
        export_statement(request)
        .order_by(None)
        .with_only_columns(func.count(Registration.id), func.coalesce(func.sum(1 + Registration.companions), 0))
    )
    with small_page_cache():
        registrations, people = db.session.execute(statement).one()
    return Totals(registrations=int(registrations), people=int(people))


def _wished_towns(profile_ids: list[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(profile_wished_towns.c.profile_id, Town.name)
        .join(Town, Town.id == profile_wished_towns.c.town_id)
        .where(profile_wished_towns.c.profile_id.in_(profile_ids))
        .order_by(Town.sort_order)
    )
    for profile_id, name in rows:
        names.setdefault(profile_id, []).append(name)
    return {profile_id: ", ".join(values) for profile_id, values in names.items()}
