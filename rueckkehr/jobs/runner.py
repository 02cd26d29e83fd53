"""Run the jobs that are due; a job that another process runs right now is skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from ..database import begin_write_transaction, utcnow
from ..extensions import db
from .models import JobRun

LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, what it calls, and how often at most it runs."""

    name: str
    function: Callable[[], object]
    every: timedelta = timedelta(0)


def scheduled_jobs() -> list[Job]:
    """Every periodic job of the app, in the order they run."""
    from ..employers.operations import expire_vacancies
    from ..mail.delivery import deliver_due
    from ..registrations.operations import expire_unconfirmed, notify_waiting_after_cutoff, send_reminders
    from ..registrations.retention import purge_consent_proofs, purge_expired_profiles, request_reconfirmations

    return [
        Job("registrations.expire", expire_unconfirmed),
        Job("registrations.cutoff", notify_waiting_after_cutoff),
        Job("registrations.remind", send_reminders),
        Job("vacancies.expire", expire_vacancies),
        Job("registrations.reconfirm", request_reconfirmations, every=timedelta(hours=1)),
        Job("registrations.purge", purge_expired_profiles, every=timedelta(hours=1)),
        Job("consent_proofs.purge", purge_consent_proofs, every=timedelta(hours=24)),
        Job("outbox.deliver", deliver_due),
    ]


def _claim(job: Job, now: datetime) -> bool:
    """Take the job's lease if it is due and free."""
    begin_write_transaction()
    if db.session.get(JobRun, job.name) is None:
        try:
            db.session.add(JobRun(name=job.name))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        begin_write_transaction()
    result = db.session.execute(
        update(JobRun)
        .where(
            JobRun.name == job.name,
            or_(JobRun.locked_until.is_(None), JobRun.locked_until < now),
            or_(JobRun.last_finished_at.is_(None), JobRun.last_finished_at <= now - job.every),
        )
        .values(locked_until=now + LEASE, last_started_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def run_due_jobs(now: datetime | None = None) -> dict[str, str]:
    """Run every due job once; return what each did (or why it was skipped)."""
    outcome = {}
    for job in scheduled_jobs():
        started = now or utcnow()
        if not _claim(job, started):
            outcome[job.name] = "skipped (running elsewhere or not due)"
            continue
        try:
            result = repr(job.function())
        except Exception as error:
            db.session.rollback()
            current_app.logger.exception("Job %s failed", job.name)
            result = f"error: {type(error).__name__}: {error}"
        begin_write_transaction()
        run = db.session.get(JobRun, job.name, populate_existing=True)
        run.locked_until = None
        run.last_finished_at = utcnow()
        run.last_result = result[:2000]
        db.session.commit()
        outcome[job.name] = result
    return outcome


@click.group("jobs")
def jobs_cli() -> None:
    """Periodic jobs."""


@jobs_cli.command("run")
def run_command() -> None:
    """Run every periodic job that is due now; safe to call often and in parallel."""
    for name, result in run_due_jobs().items():
        click.echo(f"{name}: {result}")


def init_app(app: Flask) -> None:
    """Register the CLI."""
    app.cli.add_command(jobs_cli)
