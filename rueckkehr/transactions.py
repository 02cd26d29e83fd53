"""Units of work: a request, a CLI command, a periodic job or work beside a response commits once, or rolls back once.

Operations only add and flush; the boundary around them commits. So two operations can share one transaction, and
whatever an operation writes with its change (the audit entry, the mail in the outbox) is committed with it or not
at all. Work that must wait for the commit (handing mails to delivery, deleting a replaced file) is registered with
``after_commit`` and runs once the boundary has committed.

On SQLite a transaction that may write begins ``IMMEDIATE``: it holds the database's write lock from its first
statement, so a read followed by a write never fails with "database is locked" and counts read under it stay true.
Requests that may write (every method but GET, HEAD and OPTIONS) and every ``unit_of_work()`` begin that way.
PostgreSQL needs no such thing; operations lock the rows they count with ``SELECT … FOR NO KEY UPDATE``.

A request that may not write (GET, HEAD, OPTIONS) never changes state: on PostgreSQL it reads without a
transaction (``extensions.Session``), and on every database a write it attempts is refused with
``ReadOnlyRequestError`` instead of being rolled back unseen. Work that writes beside such a request begins with
``unit_of_work()`` (or ``begin_writing()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from .extensions import READING, SAFE_METHODS, WRITING, db

SQLITE_IMMEDIATE = "rueckkehr_sqlite_immediate"
_PENDING = "rueckkehr_after_commit"
_WROTE = "rueckkehr_wrote"

P = ParamSpec("P")
R = TypeVar("R")
AfterCommit = Callable[[list[Any]], None]


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    """Begin SQLite transactions ourselves: IMMEDIATE (the write lock now) for writers, else DEFERRED."""
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE) or (
        has_request_context() and request.method not in SAFE_METHODS
    )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class ReadOnlyRequestError(RuntimeError):
    """A request that may not change anything (GET, HEAD, OPTIONS) tried to write: a bug, never committed."""


def _read_only(session: Session) -> bool:
    """Whether ``session`` serves a request that may not write, and no unit of work began writing."""
    return has_request_context() and request.method in SAFE_METHODS and not session.info.get(WRITING)


_READS = ("SELECT", "SHOW")


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_statement_that_writes(
    connection: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    """On a connection that reads without a transaction, only reads run: a write sent as text or through the
    connection, which the ORM's checks do not see, would be committed at once."""
    if (
        connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        and has_request_context()
        and request.method in SAFE_METHODS
        and not statement.lstrip()[:6].upper().startswith(_READS)
    ):
        raise ReadOnlyRequestError(f"a {request.method} request tried to run {statement[:60]!r}")


@event.listens_for(Session, "after_begin")
def _note_connection(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """Remember whether the transaction's first connection reads without a transaction (later statements keep
    it; a statement that streams may add a transactional one)."""
    session.info.setdefault(READING, connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT")


@event.listens_for(Session, "after_transaction_end")
def _forget_connection(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(READING, None)
        session.info.pop(WRITING, None)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_write(state: ORMExecuteState) -> None:
    """Remember that the transaction wrote (an UPDATE, DELETE or INSERT statement sent directly); refuse it in a
    request that may not write."""
    if state.is_insert or state.is_update or state.is_delete:
        if _read_only(state.session):
            raise ReadOnlyRequestError(f"a {request.method} request tried to write: {state.statement}")
        state.session.info[_WROTE] = True


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, flush_context: object, instances: object) -> None:
    """Refuse to flush changed objects in a request that may not write."""
    if _read_only(session) and (session.new or session.deleted or any(map(session.is_modified, session.dirty))):
        raise ReadOnlyRequestError(f"a {request.method} request tried to write changed objects")


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: object) -> None:
    """Remember that the transaction wrote (a flush of changed objects)."""
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _forget_writes(session: Session) -> None:
    session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rolled-back transaction leaves nothing behind: no writes noted, no work waiting for its commit."""
    if previous_transaction.nested:
        return
    session.info.pop(_WROTE, None)
    session.info.pop(_PENDING, None)


def has_uncommitted_writes() -> bool:
    """Whether the current transaction changed anything that was not committed yet."""
    session = db.session()
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def begin_writing() -> None:
    """Make the current unit of work's transaction a writing one: on SQLite, begin it with the write lock.

    When a transaction is open already, it is used as it is (requests that may write and ``unit_of_work()`` begin
    theirs with the lock, so only a test that calls an operation after reading can be in a plain one), except the
    reads of a request that may not write (a GET's: on PostgreSQL without a transaction, on SQLite without the
    write lock): they end, and the work begins a writing transaction of its own; a change made before it, which
    that would lose, is refused. From then on the request writes, and commits at its end.
    """
    session = db.session()
    if session.in_transaction() and _read_only(session):
        if has_uncommitted_writes():
            raise RuntimeError("changes made before the work began writing would be lost")
        session.rollback()
    session.info[WRITING] = True
    if not session.in_transaction():
        session.connection(execution_options={SQLITE_IMMEDIATE: True})


def after_commit(callback: AfterCommit, item: Any) -> None:
    """Hand ``item`` to ``callback`` once the current transaction has committed; forget both if it rolls back.

    Items are collected per callback, so the callback runs once per commit with every item of that transaction.
    """
    pending: dict[AfterCommit, list[Any]] = db.session.info.setdefault(_PENDING, {})
    pending.setdefault(callback, []).append(item)


def commit() -> None:
    """Commit the unit of work, then run what waited for the commit."""
    session = db.session()
    pending: dict[AfterCommit, list[Any]] = session.info.pop(_PENDING, {})
    session.commit()
    for callback, items in pending.items():
        callback(items)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One unit of work outside a request: begins writing, commits once at the end, rolls back on any error.

    A read-only transaction left open before is ended first; changes left uncommitted by earlier work are a bug
    and refused, never committed silently.
    """
    session = db.session()
    if session.in_transaction():
        if has_uncommitted_writes():
            raise RuntimeError("changes of earlier work were never committed; a unit of work cannot begin")
        session.rollback()
    begin_writing()
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    commit()


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Run a CLI command (or any callable) as one unit of work."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapper


def _end_request(response: Response) -> Response:
    """The request is the unit of work: commit what it changed; a GET never changes state, so it rolls back
    (unless work beside it began writing on purpose).

    Error pages roll back before they render (``public.errors``), so an aborted request commits nothing.
    """
    if request.method in SAFE_METHODS and not db.session.info.get(WRITING):
        db.session.rollback()
    else:  # a GET's work that began writing (``begin_writing``) commits with it too
        commit()
    return response


def init_app(app: Flask) -> None:
    """End every request's unit of work."""
    app.after_request(_end_request)
