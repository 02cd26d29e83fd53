"""A pooled PostgreSQL connection that the server ended is replaced before a request uses it, and one in use is not
asked again each time it leaves the pool (``database.watch_connections``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from rueckkehr.database import IDLE_PING_SECONDS
from rueckkehr.extensions import db


@pytest.fixture
def pg_app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """An app of its own (a pool of its own) on PostgreSQL, with a route that names its connection's server process."""
    app = make_app()
    app.add_url_rule("/_backend", view_func=lambda: str(db.session.scalar(text("SELECT pg_backend_pid()"))))
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no server that could end a connection")
        yield app


@pytest.fixture
def outside(pg_app: Flask) -> Iterator[Engine]:
    """A connection of another pool, to look at and end the app's connections as an administrator would."""
    engine = create_engine(db.engine.url, poolclass=NullPool)
    yield engine
    engine.dispose()


def _last_statement(outside: Engine, pid: int) -> str:
    return str(_activity(outside, pid, "query") or "")


_ACTIVITY = {
    "query": text("SELECT query FROM pg_stat_activity WHERE pid = :pid"),
    "query_start": text("SELECT query_start FROM pg_stat_activity WHERE pid = :pid"),
}


def _activity(outside: Engine, pid: int, column: str) -> object:
    with outside.connect() as connection:
        return connection.scalar(_ACTIVITY[column], {"pid": pid})


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(pg_app: Flask, outside: Engine) -> None:
    client = pg_app.test_client()
    first = int(client.get("/_backend").get_data(as_text=True))
    with outside.connect() as connection:  # what a restart of the server or an administrator does to a session
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}) is True
    deadline = time.monotonic() + 5
    while _last_statement(outside, first) and time.monotonic() < deadline:  # until the server has let it go
        time.sleep(0.02)
    answer = client.get("/_backend")
    assert answer.status_code == 200, "a request on the ended connection failed"
    assert int(answer.get_data(as_text=True)) != first


def test_a_connection_used_a_moment_ago_is_not_asked_again_but_an_idle_one_is(pg_app: Flask, outside: Engine) -> None:
    with db.engine.connect() as connection:
        pid = int(connection.scalar(text("SELECT pg_backend_pid() /* liveness */")))
        record = connection.connection._connection_record
    last_sent = _activity(outside, pid, "query_start")  # (the pool's rollback as it took the connection back)
    with db.engine.connect() as connection:  # back from the pool at once: nothing sent before the app asks
        assert connection.connection._connection_record is record
        assert _activity(outside, pid, "query_start") == last_sent
    last_sent = _activity(outside, pid, "query_start")
    record.info["rueckkehr_checked_in"] = time.monotonic() - IDLE_PING_SECONDS - 1  # as if it sat in the pool
    with db.engine.connect() as connection:
        assert connection.connection._connection_record is record
        assert _activity(outside, pid, "query_start") != last_sent, "an idle connection is asked whether it lives"


def test_a_get_after_the_site_was_quiet_reads_as_any_other(pg_app: Flask) -> None:
    """The ping of an idle connection leaves no transaction open: a GET reads without one (in autocommit)."""
    client = pg_app.test_client()
    assert client.get("/_backend").status_code == 200
    for method in (client.get, client.head, client.get):
        for record in list(db.engine.pool._pool.queue):  # type: ignore[attr-defined]  # every pooled connection
            record.info["rueckkehr_checked_in"] = time.monotonic() - IDLE_PING_SECONDS - 1
        assert method("/_backend").status_code == 200
