"""Units of work in tests: an operation run as a request, a command or a job would run it; factories' writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from rueckkehr.extensions import db
from rueckkehr.transactions import begin_writing, has_uncommitted_writes, unit_of_work

P = ParamSpec("P")
R = TypeVar("R")


def committed(operation: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``operation`` in one unit of work (committed, its mails handed to delivery) and return its result."""
    with unit_of_work():
        return operation(*args, **kwargs)


def start_writing() -> None:
    """Begin a factory's work with the write lock (SQLite), ending a read-only snapshot first.

    A transaction that reads and then writes fails at once ("database is locked") when another connection, such as
    a mail delivery thread, committed in between; one that holds the lock from its start just waits its turn.
    """
    session = db.session()
    if session.in_transaction() and not has_uncommitted_writes():
        session.rollback()
    begin_writing()
