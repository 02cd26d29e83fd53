"""`flask jobs run`: a job never runs twice at once, however long it takes, and a failed job is told to cron."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from rueckkehr.extensions import db
from rueckkehr.jobs.models import JobRun
from rueckkehr.jobs.registry import Job, register_job
from rueckkehr.jobs.runner import LEASE, _claim, _finish, run_due_jobs

START = datetime(2031, 3, 4, 5, 0, tzinfo=UTC)
SKIPPED = "skipped (running elsewhere or not due)"


class Clock:
    """A clock that stands still until the test moves it on."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def lease_of(name: str) -> datetime | None:
    """The job's lease as another process reads it now."""
    db.session.rollback()
    run = db.session.get(JobRun, name, populate_existing=True)
    return run.locked_until if run else None


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def in_another_process(app: Flask, clock: Clock) -> dict[str, str]:
    """``flask jobs run`` of a second cron tick, on its own connection, while the first one still runs."""
    outcome: dict[str, str] = {}

    def tick() -> None:
        with app.app_context():
            outcome.update(run_due_jobs(clock=clock))

    thread = threading.Thread(target=tick)
    thread.start()
    thread.join()
    return outcome


def test_a_run_that_outlasts_its_lease_renews_it_and_is_not_started_twice(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    clock = Clock(START)
    calls: list[datetime] = []
    second: dict[str, str] = {}

    def big_digest_round() -> str:
        calls.append(clock.now)
        if len(calls) == 1:
            clock.now = START + timedelta(minutes=25)  # the round has been running for 25 minutes
            wait_until(lambda: (lease_of("test.digests") or START) > clock.now)
            second.update(in_another_process(app, clock))
        return "sent"

    register_job(app, Job("test.digests", big_digest_round, every_hours=1, own_transactions=True, order=0))
    with app.app_context():
        first = run_due_jobs(clock=clock, heartbeat=timedelta(milliseconds=10))
        assert first["test.digests"] == "'sent'"
        assert second["test.digests"] == SKIPPED
        assert calls == [START]
        assert lease_of("test.digests") is None  # free again: the next tick may run it once it is due
        run = db.session.get(JobRun, "test.digests")
        assert run.last_finished_at == START + timedelta(minutes=25)


def test_a_run_that_lost_its_lease_leaves_the_next_run_its_own(app: Flask) -> None:
    job = Job("test.purge", lambda: None)
    frozen = _claim(job, START)  # its process stood still (no renewal) for longer than the lease
    assert frozen is not None
    taken_over = _claim(job, START + LEASE + timedelta(minutes=1))
    assert taken_over is not None and taken_over != frozen
    assert not _finish(job, frozen, "'done late'", START + LEASE + timedelta(minutes=2))
    # the run that took over still holds the job: a third tick must not start it as well
    assert _claim(job, START + LEASE + timedelta(minutes=3)) is None
    assert _finish(job, taken_over, "'done'", START + LEASE + timedelta(minutes=4))
    assert db.session.get(JobRun, "test.purge", populate_existing=True).last_result == "'done'"


def test_a_failed_job_fails_the_command_and_keeps_no_personal_data(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()

    def broken() -> None:
        raise ValueError("duplicate key value (email)=(jana.schulz@example.org)")

    register_job(app, Job("test.broken", broken, order=0))
    with caplog.at_level("ERROR"), app.app_context():
        result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code != 0
    assert "outbox.deliver: " in result.output  # the other jobs ran all the same
    assert "The job test.broken failed: ValueError (log reference " in result.output
    with app.app_context():
        stored = db.session.get(JobRun, "test.broken").last_result
    assert stored.startswith("error: ValueError (log reference ")
    assert "example.org" not in stored
    reference = stored.removeprefix("error: ValueError (log reference ").removesuffix(")")
    assert reference in result.output
    [logged] = [line for line in caplog.text.splitlines() if reference in line]
    assert "test.broken" in logged
    assert "jana.schulz@example.org" in caplog.text  # the full error is in the log, for whoever reads it


def test_the_command_succeeds_when_every_job_did(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert "The job" not in result.output
