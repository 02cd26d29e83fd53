"""Units of work: a request commits once (a GET never), an aborted request commits nothing, work waits for commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, abort
from sqlalchemy import delete, func, select, text

from rueckkehr.audit.models import AuditEntry
from rueckkehr.audit.operations import record
from rueckkehr.extensions import db
from rueckkehr.transactions import after_commit, begin_writing, unit_of_work


def entry_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.fixture
def probe_app(make_app: Callable[..., Flask]) -> Flask:
    """The app with a route that writes an audit entry and then answers, fails or aborts as asked."""
    app = make_app()

    def probe(outcome: str) -> str:
        record("test.probed", object_type="test")
        if outcome == "abort":
            abort(404)
        if outcome == "fail":
            raise RuntimeError("something broke after the write")
        return "done"

    app.add_url_rule("/_probe/<outcome>", view_func=probe, methods=["GET", "POST"])
    return app


def test_a_post_commits_what_it_wrote(probe_app: Flask) -> None:
    with probe_app.app_context():
        assert probe_app.test_client().post("/_probe/ok").status_code == 200
        assert entry_count() == 1


def test_a_get_never_changes_state_even_when_a_view_writes(probe_app: Flask) -> None:
    with probe_app.app_context():
        assert probe_app.test_client().get("/_probe/ok").status_code == 200
        assert entry_count() == 0


def test_an_aborted_or_failed_request_commits_nothing(probe_app: Flask) -> None:
    with probe_app.app_context():
        client = probe_app.test_client()
        assert client.post("/_probe/abort").status_code == 404
        assert client.post("/_probe/fail").status_code == 500
        assert entry_count() == 0


def test_work_after_the_commit_runs_once_per_commit_and_never_after_a_rollback(app: Any) -> None:
    seen: list[list[Any]] = []
    with unit_of_work():
        after_commit(seen.append, "first")
        after_commit(seen.append, "second")
        assert seen == []  # nothing before the commit
    assert seen == [["first", "second"]]
    with pytest.raises(RuntimeError), unit_of_work():
        after_commit(seen.append, "lost")
        raise RuntimeError
    with unit_of_work():
        pass
    assert seen == [["first", "second"]]


def test_a_unit_of_work_refuses_to_begin_over_uncommitted_changes(app: Any) -> None:
    record("test.left_open", object_type="test")
    db.session.flush()
    with pytest.raises(RuntimeError, match="never committed"), unit_of_work():
        pass
    db.session.rollback()
    assert entry_count() == 0


@pytest.fixture
def writing_app(make_app: Callable[..., Flask]) -> Flask:
    """The app with routes that write to the database (a flush, a bulk delete) or write in a unit of work of their
    own, for every method."""
    app = make_app()

    def flushes() -> str:
        record("test.probed", object_type="test")
        db.session.flush()
        return "done"

    def deletes() -> str:
        db.session.execute(delete(AuditEntry))
        return "done"

    def works(outcome: str) -> str:
        with unit_of_work():
            record("test.probed", object_type="test")
            db.session.flush()
            record("test.probed_again", object_type="test")
            db.session.flush()
            if outcome == "fail":
                raise RuntimeError("the second write broke the work")
        return "done"

    def reads_then_writes() -> str:
        db.session.scalar(select(func.count()).select_from(AuditEntry))  # a GET's reads: no transaction on PostgreSQL
        begin_writing()
        record("test.probed", object_type="test")
        db.session.flush()
        return "done"  # the request commits it: its work began writing

    def adds_then_writes() -> str:
        record("test.probed", object_type="test")  # added, not flushed: beginning to write would lose it
        begin_writing()
        db.session.flush()
        return "done"

    def writes_as_text() -> str:
        db.session.execute(text("DELETE FROM audit_entries"))  # no ORM statement: the ORM cannot tell it writes
        return "done"

    for rule, view in (("/_flushes", flushes), ("/_deletes", deletes), ("/_works/<outcome>", works)):
        app.add_url_rule(rule, view_func=view, methods=["GET", "POST"])
    app.add_url_rule("/_reads_then_writes", view_func=reads_then_writes)
    app.add_url_rule("/_adds_then_writes", view_func=adds_then_writes)
    app.add_url_rule("/_writes_as_text", view_func=writes_as_text)
    return app


def test_a_get_that_writes_to_the_database_is_refused_and_nothing_stays(writing_app: Flask) -> None:
    with writing_app.app_context():
        client = writing_app.test_client()
        assert client.get("/_flushes").status_code == 500
        assert entry_count() == 0
        assert client.post("/_flushes").status_code == 200
        assert entry_count() == 1
        assert client.get("/_deletes").status_code == 500
        assert client.head("/_deletes").status_code == 500
        assert entry_count() == 1
        assert client.post("/_deletes").status_code == 200
        assert entry_count() == 0


def test_work_that_writes_on_purpose_beside_a_get_commits_whole_or_not_at_all(writing_app: Flask) -> None:
    with writing_app.app_context():
        client = writing_app.test_client()
        assert client.get("/_works/fail").status_code == 500
        assert entry_count() == 0  # not the first entry alone: the work had a transaction, even on PostgreSQL
        assert client.get("/_works/ok").status_code == 200
        assert entry_count() == 2
        assert client.get("/_reads_then_writes").status_code == 200
        assert entry_count() == 3
        assert client.get("/_adds_then_writes").status_code == 500
        assert entry_count() == 3


def test_a_get_that_writes_as_text_changes_nothing(writing_app: Flask) -> None:
    with writing_app.app_context():
        client = writing_app.test_client()
        assert client.post("/_flushes").status_code == 200
        answer = client.get("/_writes_as_text")
        assert entry_count() == 1, "still there: refused, or rolled back with the GET"
        if db.engine.dialect.name == "postgresql":  # no transaction to roll it back: refused before it runs
            assert answer.status_code == 500


def test_on_postgresql_a_get_reads_without_a_transaction_and_a_post_keeps_one(make_app: Callable[..., Flask]) -> None:
    app = make_app()

    def snapshot() -> str:
        db.session.execute(text("SELECT pg_sleep(0.02)"))
        # inside a transaction now() stays the time it began; without one each statement has its own
        return str(db.session.scalar(text("SELECT now() = statement_timestamp()")))

    app.add_url_rule("/_snapshot", view_func=snapshot, methods=["GET", "POST"])
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite keeps a transaction for every request: it costs no round trip there")
        client = app.test_client()
        assert client.get("/_snapshot").get_data(as_text=True) == "True"
        assert client.post("/_snapshot").get_data(as_text=True) == "False"
        assert client.get("/_snapshot").get_data(as_text=True) == "True"  # the connection went back as it came
