"""Run the jobs that are due; a job that another process runs right now is skipped.

Each job takes a lease in ``job_runs`` (its own short transaction), runs as one unit of work (or manages its own,
as mail delivery does) in the name of the system, and records how it ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from sqlalchemy import or_, update

from ..actors import acting_as, system
from ..database import insert_ignoring_conflict, rows_changed
from ..dates import utcnow
from ..extensions import db
from ..transactions import unit_of_work
from .models import JobRun
from .registry import Job, registered_jobs

LEASE = timedelta(minutes=10)


def _claim(job: Job, now: datetime) -> bool:
    """Take the job's lease if it is due and free."""
    with unit_of_work():
        insert_ignoring_conflict(JobRun, {"name": job.name}, ["name"])
        claimed = rows_changed(
            update(JobRun)
            .where(
                JobRun.name == job.name,
                or_(JobRun.locked_until.is_(None), JobRun.locked_until < now),
                or_(JobRun.last_finished_at.is_(None), JobRun.last_finished_at <= now - job.every),
            )
            .values(locked_until=now + LEASE, last_started_at=now)
            .execution_options(synchronize_session=False)
        )
        return claimed == 1


def _run(job: Job) -> str:
    """Run one job in the system's name; return what it did, or the error it ended with."""
    try:
        with acting_as(system(f"job {job.name}")):
            if job.own_transactions:
                return repr(job.function())
            with unit_of_work():
                return repr(job.function())
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("Job %s failed", job.name)
        return f"error: {type(error).__name__}: {error}"


def _finish(job: Job, result: str) -> None:
    with unit_of_work():
        run = db.session.get(JobRun, job.name, populate_existing=True)
        if run is not None:
            run.locked_until = None
            run.last_finished_at = utcnow()
            run.last_result = result[:2000]


def run_due_jobs(now: datetime | None = None) -> dict[str, str]:
    """Run every due job once; return what each did (or why it was skipped)."""
    outcome = {}
    for job in registered_jobs():
        if not _claim(job, now or utcnow()):
            outcome[job.name] = "skipped (running elsewhere or not due)"
            continue
        outcome[job.name] = result = _run(job)
        _finish(job, result)
    return outcome


@click.group("jobs")
def jobs_cli() -> None:
    """Periodic jobs."""


@jobs_cli.command("run")
def run_command() -> None:
    """Run every periodic job that is due now; safe to call often and in parallel."""
    for name, result in run_due_jobs().items():
        click.echo(f"{name}: {result}")


@jobs_cli.command("list")
def list_command() -> None:
    """List the registered jobs in the order they run."""
    for job in registered_jobs():
        every = f"at most every {job.every_hours:g} h" if job.every_hours else "every run"
        click.echo(f"{job.name}: {every}")
