"""Units of work: a request commits once (a GET never), an aborted request commits nothing, work waits for commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, abort
from sqlalchemy import func, select

from rueckkehr.audit.models import AuditEntry
from rueckkehr.audit.operations import record
from rueckkehr.extensions import db
from rueckkehr.transactions import after_commit, unit_of_work


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
