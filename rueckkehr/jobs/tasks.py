"""The Celery task behind beat: run the due jobs, as ``flask jobs run`` does."""

from __future__ import annotations

from celery import shared_task

from .runner import run_due_jobs


@shared_task(name="rueckkehr.tasks.run_jobs")
def run_jobs() -> dict[str, str]:
    """Run the periodic jobs that are due."""
    return run_due_jobs()
