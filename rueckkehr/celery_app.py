"""Optional Celery: with CELERY_BROKER_URL set, a worker runs the background tasks (``background``: mail
delivery) and beat runs the periodic jobs every minute, as ``flask jobs run`` does.

Start them with ``celery -A rueckkehr.celery_worker worker`` and ``celery -A rueckkehr.celery_worker beat``.
Without a broker, background tasks run in a thread of the app and ``flask jobs run`` (cron, systemd timer, or the
loop of ``make run``) runs the periodic jobs.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

JOBS_EVERY_SECONDS = 60.0


def celery_init_app(app: Flask) -> Celery[Any]:
    """Create the Celery app whose tasks (``background.run_in_worker``, ``jobs.tasks``) run inside a Flask
    application context."""
    from . import background  # noqa: F401  (shared tasks register with the default app)
    from .jobs import tasks as job_tasks  # noqa: F401

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery: Celery[Any] = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_default_queue=app.config.get("CELERY_QUEUE", "rueckkehr"),
        task_ignore_result=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,  # a web request that cannot reach the broker gives up soon; the mail waits
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        beat_schedule={"run-due-jobs": {"task": "rueckkehr.tasks.run_jobs", "schedule": JOBS_EVERY_SECONDS}},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
