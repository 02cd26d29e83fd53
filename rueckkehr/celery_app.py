"""Optional Celery integration: with CELERY_BROKER_URL set, a worker delivers mail and beat runs the jobs.

Start them with ``celery -A rueckkehr.celery_worker worker`` and ``celery -A rueckkehr.celery_worker beat``.
Without a broker, mail goes out in the app after each request and ``flask jobs run`` (cron, systemd timer, or the
loop of ``make run``) runs the periodic jobs.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task, shared_task
from flask import Flask

JOBS_EVERY_SECONDS = 60.0


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app whose tasks run inside a Flask application context."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_default_queue=app.config.get("CELERY_QUEUE", "rueckkehr"),
        task_ignore_result=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        beat_schedule={"run-due-jobs": {"task": "rueckkehr.tasks.run_jobs", "schedule": JOBS_EVERY_SECONDS}},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


@shared_task(name="rueckkehr.tasks.deliver_mail")
def deliver_mail(message_id: int) -> dict[str, int]:
    """Deliver one outbox mail (skipped if another worker holds it or it went out already)."""
    from .mail.delivery import deliver

    return deliver([message_id])


@shared_task(name="rueckkehr.tasks.run_jobs")
def run_jobs() -> dict[str, str]:
    """Run the periodic jobs that are due, as `flask jobs run` does."""
    from .jobs.runner import run_due_jobs

    return run_due_jobs()
