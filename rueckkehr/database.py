"""Column types, connection settings and statements shared by every model."""

from __future__ import annotations

import base64
import enum
import functools
import select as socket_select
import time
from datetime import UTC, datetime
from typing import Any, cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from sqlalchemy import DateTime, Enum, Insert, String, Table, event, exc, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 15_000


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


def derived_column_key(secret_key: str) -> bytes:
    """The Fernet key derived from SECRET_KEY (HKDF-SHA256), for when no COLUMN_ENCRYPTION_KEYS are set."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"rueckkehr column encryption")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@functools.lru_cache(maxsize=4)
def _fernet(keys: str | None, secret_key: str) -> MultiFernet:
    dedicated = [Fernet(key.strip().encode()) for key in (keys or "").split(",") if key.strip()]
    return MultiFernet([*dedicated, Fernet(derived_column_key(secret_key))])  # the derived one still decrypts


def column_fernet() -> MultiFernet:
    """The keys of the encrypted columns: COLUMN_ENCRYPTION_KEYS (the first encrypts), then the derived one."""
    config = current_app.config
    return _fernet(config.get("COLUMN_ENCRYPTION_KEYS"), str(config["SECRET_KEY"]))


UNREADABLE = "unreadable!"
"""What an encrypted column reads as when none of the keys opens it (the keys changed). Never empty: an empty
second factor would let a password alone enrol a new one; this one matches no code, and an admin resets it."""


class EncryptedString(TypeDecorator):
    """A short secret stored encrypted with Fernet (AES-CBC and HMAC-SHA256): the column never holds it in clear.

    The application reads and writes the clear value; a value no key opens reads as ``UNREADABLE`` (and is logged).
    """

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """Encrypt on the way in."""
        return None if value is None else column_fernet().encrypt(value.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """Decrypt on the way out."""
        if value is None:
            return None
        try:
            return column_fernet().decrypt(value.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            current_app.logger.error("An encrypted column cannot be read with the configured keys")
            return UNREADABLE


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Turn on foreign keys, a busy timeout and a larger page cache for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # SQLAlchemy emits BEGIN itself (transactions._sqlite_begin), so a transaction can take the write lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB of pages: a search reads many rows by id
    cursor.close()
    # SQLite's own lower() folds ASCII alone ("Özdemir" stays "Özdemir"); searches compare lower(column) with a
    # text Python lowered, so lower() is Python's here, as PostgreSQL's is its ctype's (UTF-8: every letter).
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: Any) -> Any:
    """SQLite's ``lower()`` for every letter, not ASCII alone; NULL and numbers as they were."""
    return value.lower() if isinstance(value, str) else value


class _LowerForAsciiLike(FunctionElement[str]):
    """``lower(column)`` before a LIKE whose pattern is ASCII in lower case; SQLite's LIKE ignores ASCII case itself,
    so there the column stays as it is (``like_lowered``)."""

    name = "lower"
    inherit_cache = True
    type = String()


@compiles(_LowerForAsciiLike)
def _lowered(element: _LowerForAsciiLike, compiler: Any, **options: Any) -> str:
    return f"lower({compiler.process(element.clauses, **options)})"


@compiles(_LowerForAsciiLike, "sqlite")
def _as_it_is(element: _LowerForAsciiLike, compiler: Any, **options: Any) -> str:
    return str(compiler.process(element.clauses, **options))


def like_lowered(
    column: ColumnElement[str] | InstrumentedAttribute[str], pattern: BindParameter[Any], ascii_pattern: bool
) -> ColumnElement[bool]:
    """``lower(column) LIKE pattern`` (escape ``/``), for a pattern that is lower case; ``ascii_pattern``: it holds
    ASCII alone. Then SQLite compares the column as it is, since its LIKE ignores the case of ASCII letters: the
    app's ``lower()`` is a call into Python for each row (a third of a microsecond), paid only for a pattern with
    other letters. PostgreSQL lowers the column in either case."""
    lowered = _LowerForAsciiLike(column) if ascii_pattern else func.lower(column)
    return lowered.like(pattern, escape="/")


@event.listens_for(Engine, "connect")
def _configure_postgresql(dbapi_connection: Any, connection_record: Any) -> None:
    """Turn off PostgreSQL's JIT compilation for every connection of the app.

    The app's statements read a page or a few rows and take a millisecond or two. The planner guesses the cost of
    some of them far too high (the last page of a large event's registration list) and compiled them to machine
    code first: about 300 ms for a page that takes 1 ms to read. The exports and figures stream rows; they gain
    nothing from compiling either.
    """
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # outside a transaction, the setting holds for the session at once
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    finally:
        dbapi_connection.autocommit = autocommit


# A pooled PostgreSQL connection is asked whether it is alive (a round trip) only after it sat unused this long;
# one used more recently is trusted unless its socket says otherwise (``_check_alive``).
IDLE_PING_SECONDS = 30.0
_CHECKED_IN = "rueckkehr_checked_in"


def watch_connections(app: Flask) -> None:
    """Make sure a pooled PostgreSQL connection is alive before a request uses it, at no round trip when it is.

    ``pool_pre_ping`` asks the server each time a connection leaves the pool: a round trip of every request (a
    tenth of a busy page). A server that restarts, or ends a session, closes its connections and says so on their
    sockets; so a connection is only pinged when its socket has something to read (it should have nothing while
    idle), or when it sat unused for ``IDLE_PING_SECONDS`` (a connection that a firewall dropped in silence). A
    connection that fails the ping is replaced before anything runs on it.
    """
    with app.app_context():
        engines = [engine for engine in db.engines.values() if engine.dialect.name == "postgresql"]
    for engine in engines:  # each app makes engines of its own
        event.listen(engine, "connect", _note_checkin)
        event.listen(engine, "checkin", _note_checkin)
        event.listen(engine, "checkout", _check_alive)


def _note_checkin(dbapi_connection: Any, connection_record: Any) -> None:
    if connection_record is not None:
        connection_record.info[_CHECKED_IN] = time.monotonic()


def _check_alive(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """The pool's ``checkout``: ping a connection that was idle long or whose socket is readable; raising
    ``DisconnectionError`` makes the pool throw it away and take a fresh one."""
    idle = time.monotonic() - connection_record.info.get(_CHECKED_IN, 0.0)
    if idle < IDLE_PING_SECONDS and not _readable(dbapi_connection):
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # out of autocommit the ping began a transaction; a GET reads without one
    except Exception as error:
        raise exc.DisconnectionError(f"the pooled connection is gone: {error}") from error


def _readable(dbapi_connection: Any) -> bool:
    """Whether the server sent something to an idle connection (the notice that it ends, or the end itself)."""
    try:
        poller = socket_select.poll()
        poller.register(dbapi_connection.fileno(), socket_select.POLLIN | socket_select.POLLERR | socket_select.POLLHUP)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):  # closed, or no poll on this system: ask the server
        return True


def insert_ignoring_conflict(model: type[Any], values: dict[str, Any], conflict: list[str]) -> bool:
    """Insert a row unless one with the same values in the ``conflict`` columns exists; return whether it did.

    ``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike, so two writers racing for the same unique
    key never see an IntegrityError.
    """
    return insert_all_ignoring_conflicts(model, [values], conflict) == 1


def ignoring_conflicts(model: type[Any] | Table, conflict: list[str]) -> Insert:
    """``INSERT … ON CONFLICT (conflict) DO NOTHING`` into the model's table, to run with rows as parameters (given
    the table itself, the rows skip the ORM's bulk insert: for many thousands of them)."""
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    return insert(model).on_conflict_do_nothing(index_elements=conflict)


_INSERTS_UNLESS_TAKEN: dict[tuple[str, type[Any], tuple[str, ...]], Any] = {}


def inserting_unless_taken(model: type[Any], conflict: tuple[str, ...]) -> Any:
    """A statement that inserts one row of ``model`` (its values given as parameters when it runs) unless the
    ``conflict`` columns are taken, and loads the row it made as an object (none when they were taken).

    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` through Core, read as the model (``from_statement``): the ORM's
    own insert would check every value against the mapping first. Built once per database, model and conflict:
    building it cost more than running it.
    """
    key = (db.session.get_bind().dialect.name, model, conflict)
    statement = _INSERTS_UNLESS_TAKEN.get(key)
    if statement is None:
        table = cast(Table, model.__table__)
        inserted = ignoring_conflicts(table, list(conflict)).returning(*table.c)
        statement = _INSERTS_UNLESS_TAKEN[key] = (
            select(model).from_statement(inserted).execution_options(populate_existing=True)
        )
    return statement


def insert_all_ignoring_conflicts(model: type[Any], rows: list[dict[str, Any]], conflict: list[str]) -> int:
    """Insert the rows whose ``conflict`` columns are not taken yet, in one statement; return how many it inserted.

    Counted from the rows the insert returns: PostgreSQL's driver reports no row count (-1) for such an insert.
    """
    if not rows:
        return 0
    statement: Executable = ignoring_conflicts(model, conflict).values(rows).returning(literal_column("1"))
    return len(db.session.execute(statement).all())


def constant(value: Any, type_: Any = None) -> BindParameter[Any]:
    """A value written into a statement's SQL rather than sent beside it as a parameter.

    For the constants of a statement that runs on every request: PostgreSQL keeps one plan for a prepared
    statement only while that plan looks no dearer than planning each run for its values, and a constant it
    cannot see (a state, a ``+ 1``, a page size) makes the kept plan look dearer. With parameters only for what
    varies, a page of the registration list is planned once, not on every run (half of what running it costs).
    """
    return literal(value, type_, literal_execute=True)


def plain_rows(statement: Executable, parameters: dict[str, Any]) -> CursorResult[Any]:
    """Run a SELECT of columns (no model objects) on the session's connection and return its rows.

    Past the ORM's work for each statement (its execution hooks and result set-up, a third of the client's CPU for
    a page of the registration list): for pages that read plain rows. What the session holds unflushed is flushed
    first, as the ORM would.
    """
    db.session.flush()
    return cast(CursorResult[Any], db.session.connection().execute(statement, parameters))


def rows_changed(statement: Executable) -> int:
    """Run an INSERT, UPDATE or DELETE statement in the current transaction; return how many rows it changed."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount


def string_enum(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column: VARCHAR holding the members' values, no native database type."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


_NEXT_ID: dict[tuple[str, Table], Any] = {}


def reserve_id(model: type[Any]) -> int:
    """The primary key a row of ``model`` will have when it is inserted later in this transaction: known before the
    insert, so that what depends on it (a signed link in a mail) can be made before the row goes in.

    PostgreSQL hands out the next value of the column's sequence (never given twice, even if this transaction rolls
    back). SQLite has no sequence; a writing transaction holds the database's write lock from its first statement
    (``transactions.begin_writing``), so the row after the highest stays free until it commits.
    """
    table = model.__table__
    dialect = db.session.get_bind().dialect.name
    statement = _NEXT_ID.get((dialect, table))
    if statement is None:  # built once per table: building it cost more than running it
        if dialect == "postgresql":
            statement = select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
        else:
            statement = select(func.coalesce(func.max(table.c.id), 0))
        _NEXT_ID[(dialect, table)] = statement
    if dialect == "postgresql":
        return int(db.session.execute(statement).scalar_one())
    highest = int(db.session.scalar(statement) or 0)
    taken = [int(obj.id) for obj in db.session.new if isinstance(obj, model) and obj.id is not None]
    return max([highest, *taken]) + 1
