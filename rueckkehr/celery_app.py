"""Optional Celery: with CELERY_BROKER_URL set, a worker delivers mail (``mail.tasks``) and beat runs the jobs.

Start them with ``celery -A rueckkehr.celery_worker worker`` and ``celery -A rueckkehr.celery_worker beat``.
Without a broker, mail goes out in the app after each request and ``flask jobs run`` (cron, systemd timer, or the
loop of ``make run``) runs the periodic jobs.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask

JOBS_EVERY_SECONDS = 60.0


def celery_init_app(app: Flask) -> Celery[Any]:
    """Create the Celery app whose tasks (``jobs.tasks``, ``mail.tasks``) run inside a Flask application context."""
    from . import background  # noqa: F401  (its task runner registers with the default app)
    from .jobs import tasks as job_tasks  # noqa: F401  (shared tasks register with the default app)
    from .mail import tasks as mail_tasks  # noqa: F401

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
        beat_schedule={"run-due-jobs": {"task": "rueckkehr.tasks.run_jobs", "schedule": JOBS_EVERY_SECONDS}},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
