"""Column types and connection settings shared by every model."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Enum, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 15_000
BERLIN = ZoneInfo("Europe/Berlin")  # the time zone every date is shown in


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones, so the value is stored as naive UTC
    and the zone is put back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Refuse naive datetimes and convert aware ones to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return aware UTC datetimes from every database."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Turn on foreign keys and a busy timeout for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin), so that a transaction can take the write lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def string_enum(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column: VARCHAR holding the members' values, no native database type."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """Begin SQLite transactions ourselves: IMMEDIATE (write lock now) for writers, else DEFERRED.

    A deferred transaction that reads and then writes fails at once ("database is locked") if another connection
    wrote in between, whatever the busy timeout. So every transaction of a request that may write (any method but
    GET, HEAD and OPTIONS — GETs never change state) or of background work that writes takes the write lock when it
    begins, as does any transaction started through ``begin_write_transaction`` (jobs, mail delivery).
    """
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE) or _writing_context()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _writing_context() -> bool:
    """Whether the current thread serves a request whose method may change state, or background work that writes."""
    from flask import g, has_app_context, has_request_context, request

    if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    return has_app_context() and g.get(WRITER_FLAG, False)


WRITER_FLAG = "rueckkehr_writes"  # set on ``g`` by background work that writes (see mail.dispatch.in_background)


SQLITE_IMMEDIATE = "rueckkehr_sqlite_immediate"


def begin_write_transaction() -> None:
    """Start a new transaction that holds the database's write lock (SQLite) from its first statement.

    On SQLite a plain transaction that reads, then writes, lets two writers read the same counts; BEGIN IMMEDIATE
    serialises them (waiting up to the busy timeout). PostgreSQL callers lock rows with SELECT … FOR UPDATE instead.
    """
    from .extensions import db

    if db.session().in_transaction():
        db.session.commit()
    db.session.connection(execution_options={SQLITE_IMMEDIATE: True})
