"""The periodic jobs of an app: each feature registers its own in its ``init_app``; the runner knows none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app

_EXTENSION = "rueckkehr.jobs"


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, what it calls, and how often at most it runs.

    :param own_transactions: the job commits its own units of work (mail delivery, which must commit a claim
        before it talks to the mail server); any other job runs as one unit of work.
    :param order: jobs run in this order (lower first); mail delivery runs last, so it takes every mail the
        other jobs queued.
    :param label: what the job does, a lazily translated text: the audit trail names the job that acted by it.
    """

    name: str
    function: Callable[[], object]
    label: Any = None
    every_hours: float = 0
    own_transactions: bool = False
    order: int = 50

    @property
    def every(self) -> timedelta:
        """The least time between two runs."""
        return timedelta(hours=self.every_hours)


def register_job(app: Flask, job: Job) -> None:
    """Add a periodic job to the app; ``flask jobs run`` runs it when due."""
    jobs: dict[str, Job] = app.extensions.setdefault(_EXTENSION, {})
    if job.name in jobs:
        raise ValueError(f"a job named {job.name!r} is registered already")
    jobs[job.name] = job


def registered_jobs() -> list[Job]:
    """The current app's jobs, in the order they run."""
    jobs: dict[str, Job] = current_app.extensions.get(_EXTENSION, {})
    return sorted(jobs.values(), key=lambda job: (job.order, job.name))


def job_labels() -> dict[str, str]:
    """What each of the current app's jobs does, in the reader's language, by the job's name (labelled jobs only)."""
    jobs: dict[str, Job] = current_app.extensions.get(_EXTENSION, {})
    return {name: str(job.label) for name, job in jobs.items() if job.label is not None}
