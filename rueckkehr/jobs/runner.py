"""Run the jobs that are due; a job that another run holds right now is skipped.

Each run of a job takes the job's lease in ``job_runs`` (its own short transaction) with a token of its own. While
the job runs, a heartbeat thread renews the lease every ``HEARTBEAT`` on a connection of its own, so a run that takes
longer than ``LEASE`` (a big digest round, a purge, a large delivery) keeps it; the lease lapses only when its process
stands still or has died. The run then frees the lease and records how it ended, by its token only: a run whose lease
passed to another run meanwhile frees nothing, and a job that runs as one unit of work (every job but mail delivery)
commits its work together with that, or rolls it back.

A job that fails is logged with its full error and a short reference; ``job_runs`` keeps only the error's type and
that reference (an error's text may hold personal data, such as the e-mail address an INSERT failed on).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from sqlalchemy import or_, update

from ..actors import acting_as, system
from ..database import insert_ignoring_conflict, rows_changed
from ..dates import utcnow
from ..extensions import db
from ..transactions import unit_of_work
from .models import JobRun
from .registry import Job, registered_jobs

LEASE = timedelta(minutes=10)
HEARTBEAT = timedelta(minutes=1)
FAILED = "error: "
SKIPPED = "skipped (running elsewhere or not due)"
Clock = Callable[[], datetime]


class LeaseLostError(RuntimeError):
    """The job's lease passed to another run while this one ran: its work is not committed."""


def _claim(job: Job, now: datetime) -> str | None:
    """Take the job's lease if it is due and free; return the run's token, or None."""
    token = secrets.token_hex(16)
    with unit_of_work():
        insert_ignoring_conflict(JobRun, {"name": job.name}, ["name"])
        claimed = rows_changed(
            update(JobRun)
            .where(
                JobRun.name == job.name,
                or_(JobRun.locked_until.is_(None), JobRun.locked_until < now),
                or_(JobRun.last_finished_at.is_(None), JobRun.last_finished_at <= now - job.every),
            )
            .values(locked_until=now + LEASE, lease_token=token, last_started_at=now)
            .execution_options(synchronize_session=False)
        )
    return token if claimed == 1 else None


def _renew(job: Job, token: str, now: datetime) -> bool:
    """Extend the run's lease to ``LEASE`` from now, if it is still the run's; say whether it was."""
    with unit_of_work():
        return (
            rows_changed(
                update(JobRun)
                .where(JobRun.name == job.name, JobRun.lease_token == token)
                .values(locked_until=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            == 1
        )


def _release(job: Job, token: str, result: str, now: datetime) -> None:
    """Free the run's lease and record how it ended, in the current unit of work; refuse if it is not the run's."""
    released = rows_changed(
        update(JobRun)
        .where(JobRun.name == job.name, JobRun.lease_token == token)
        .values(locked_until=None, lease_token=None, last_finished_at=now, last_result=result[:2000])
        .execution_options(synchronize_session=False)
    )
    if released != 1:
        raise LeaseLostError(f"the lease of job {job.name} passed to another run while this one ran")


def _finish(job: Job, token: str, result: str, now: datetime) -> bool:
    """Free the run's lease and record its result in a unit of work of its own; say whether the lease was its."""
    try:
        with unit_of_work():
            _release(job, token, result, now)
    except LeaseLostError:
        return False
    return True


class _Heartbeat:
    """Renews a run's lease every ``every`` until stopped, in a thread with its own application context."""

    def __init__(self, job: Job, token: str, clock: Clock, every: timedelta) -> None:
        self._app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
        self._job, self._token, self._clock, self._every = job, token, clock, every
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease of {job.name}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self._thread.join()

    def stop(self) -> None:
        """Renew no more: the run frees its lease now."""
        self._stopping.set()

    def _beat(self) -> None:
        while not self._stopping.wait(self._every.total_seconds()):
            try:
                with self._app.app_context():
                    renewed = _renew(self._job, self._token, self._clock())
            except Exception:  # SQLite busy while the job writes, a connection lost: the next beat tries again
                self._app.logger.warning("Could not renew the lease of job %s", self._job.name, exc_info=True)
                continue
            if not renewed:
                if not self._stopping.is_set():
                    self._app.logger.error("Job %s lost its lease to another run", self._job.name)
                return


def _run(job: Job, token: str, clock: Clock, heartbeat: _Heartbeat) -> str:
    """Run one job in the system's name and free its lease; return what it did, or the error it ended with."""
    try:
        with acting_as(system(f"job {job.name}")):
            if job.own_transactions:
                result = repr(job.function())
                heartbeat.stop()
                with unit_of_work():
                    _release(job, token, result, clock())
                return result
            with unit_of_work():
                result = repr(job.function())
                heartbeat.stop()
                _release(job, token, result, clock())  # committed with the job's work, or that is rolled back
                return result
    except Exception as error:
        db.session.rollback()
        reference = secrets.token_hex(4)
        current_app.logger.exception("Job %s failed (log reference %s)", job.name, reference)
        result = f"{FAILED}{type(error).__name__} (log reference {reference})"
        if not isinstance(error, LeaseLostError):
            heartbeat.stop()
            _finish(job, token, result, clock())
        return result


def run_due_jobs(clock: Clock | None = None, heartbeat: timedelta = HEARTBEAT) -> dict[str, str]:
    """Run every due job once; return what each did (or why it was skipped, or the error it failed with)."""
    clock = clock or utcnow
    outcome = {}
    for job in registered_jobs():
        token = _claim(job, clock())
        if token is None:
            outcome[job.name] = SKIPPED
            continue
        with _Heartbeat(job, token, clock, heartbeat) as beat:
            outcome[job.name] = _run(job, token, clock, beat)
    return outcome


@click.group("jobs")
def jobs_cli() -> None:
    """Periodic jobs."""


@jobs_cli.command("run")
def run_command() -> None:
    """Run every periodic job that is due now; safe to call often and in parallel. Exits 1 when a job failed."""
    outcome = run_due_jobs()
    for name, result in outcome.items():
        click.echo(f"{name}: {result}")
    failed = {name: result for name, result in outcome.items() if result.startswith(FAILED)}
    for name, result in failed.items():
        click.echo(f"The job {name} failed: {result.removeprefix(FAILED)}. Its full error is in the log.", err=True)
    if failed:
        raise SystemExit(1)


@jobs_cli.command("list")
def list_command() -> None:
    """List the registered jobs in the order they run."""
    for job in registered_jobs():
        every = f"at most every {job.every_hours:g} h" if job.every_hours else "every run"
        click.echo(f"{job.name}: {every}")
