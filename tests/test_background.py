"""Background tasks run only after their transaction commits, once, and never undo or break that commit."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from rueckkehr.background import submit, task, wait_for_background_threads
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from rueckkehr.transactions import unit_of_work
from tests.support.registrations import form_data
from tests.support.smtp import SMTPServer
from tests.support.units import start_writing

calls: list[tuple[str, tuple[int | str, ...], str]] = []


@task("test.record")
def record(*args: int | str) -> None:
    calls.append(("record", args, threading.current_thread().name))


@task("test.fail")
def fail() -> None:
    raise RuntimeError("the task broke")


@task("test.forgets_to_commit")
def forgets_to_commit() -> None:
    start_writing()
    db.session.add(Town(slug="vergessen", name="Vergessen", postal_codes="01234"))
    db.session.flush()


@pytest.fixture(autouse=True)
def no_calls() -> None:
    calls.clear()


def test_a_task_runs_once_after_the_commit_with_its_arguments(app: Flask) -> None:
    with unit_of_work():
        submit("test.record", 7, "senftenberg")
        assert calls == []  # not before the commit
    assert calls == [("record", (7, "senftenberg"), "MainThread")]


def test_a_rolled_back_transaction_runs_no_task(app: Flask) -> None:
    with pytest.raises(ValueError), unit_of_work():
        submit("test.record", 1)
        raise ValueError("the change fails")
    assert calls == []


def test_a_failing_task_is_logged_and_the_commit_stands(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with unit_of_work():
        submit("test.fail")
        submit("test.record", 2)
    assert calls == [("record", (2,), "MainThread")]  # the next task still ran
    assert "The background task test.fail() failed" in caplog.text


def test_changes_a_task_leaves_uncommitted_are_rolled_back_and_reported(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with unit_of_work():
        submit("test.forgets_to_commit")
    assert "left changes uncommitted" in caplog.text
    assert db.session.scalars(select(Town).where(Town.slug == "vergessen")).first() is None


def test_an_unknown_task_is_refused_where_it_is_submitted(app: Flask) -> None:
    with pytest.raises(KeyError, match=r"test\.nothing"), unit_of_work():
        submit("test.nothing")


def test_in_a_request_without_eager_the_mail_goes_out_in_a_thread_beside_the_answer(
    make_app: Callable[..., Flask], make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    app = make_app(BACKGROUND_EAGER=False)
    with app.app_context():
        event_id = make_event().id
    assert app.test_client().post(f"/events/{event_id}/register", data=form_data()).status_code == 303
    threads = app.extensions["rueckkehr.background_threads"]
    assert [thread.name for thread in threads] == ["background"]
    wait_for_background_threads(app)
    assert smtp.wait_for(1)[0].message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
