"""With CELERY_BROKER_URL set, a real Celery worker on Redis delivers a registration's mails."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from rueckkehr.events.models import Event
from tests.support.registrations import form_data, link_in
from tests.support.services import REDIS_URL, require_redis
from tests.support.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", REDIS_URL)


@pytest.fixture
def celery_worker(base_settings: dict[str, Any], migrated_database: object) -> Iterator[subprocess.Popen[str]]:
    """A Celery worker process on Redis, configured like the test app."""
    require_redis(BROKER)
    queue = f"rueckkehr-test-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": base_settings["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": base_settings["MAIL_SERVER"],
        "MAIL_PORT": str(base_settings["MAIL_PORT"]),
        "MAIL_DEFAULT_SENDER": base_settings["MAIL_DEFAULT_SENDER"],
        "BASE_URL": base_settings["BASE_URL"],
        "CELERY_BROKER_URL": BROKER,
        "FLASK_CELERY_QUEUE": f'"{queue}"',
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rueckkehr.celery_worker", "worker", "--pool=solo",
         "--loglevel=INFO", "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    worker.queue = queue  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    for line in worker.stdout:
        if "ready." in line:
            break
        if time.monotonic() > deadline or worker.poll() is not None:
            pytest.fail(f"the Celery worker did not start: {line}")
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


def test_a_celery_worker_delivers_the_registration_mails(
    celery_worker: subprocess.Popen[str],
    make_app: Callable[..., Flask],
    make_event: Callable[..., Event],
    smtp: SMTPServer,
) -> None:
    app = make_app(CELERY_BROKER_URL=BROKER, CELERY_QUEUE=celery_worker.queue)  # type: ignore[attr-defined]
    event_id = make_event().id
    client = app.test_client()
    assert client.post(f"/events/{event_id}/register", data=form_data()).status_code == 303
    request = smtp.wait_for(1, timeout=30)[0]
    assert request.message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
    client.post(link_in(request, "/confirm/"))
    confirmation = smtp.wait_for(2, timeout=30)[1]
    assert confirmation.message["Subject"].startswith("Anmeldung bestätigt")
    assert len(smtp.messages) == 2
