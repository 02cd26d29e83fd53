"""A real Celery worker on Redis, for the tests that prove work goes through it (pytest plugin: ``celery_worker``).

The worker is a separate process started like production's (``celery -A rueckkehr.celery_worker worker``), on the
session's database and SMTP server, listening on a queue of its own so parallel runs never take each other's tasks.
Without Redis the test is skipped with the reason; with ``REQUIRE_SERVICES`` set (CI) it fails instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.services import REDIS_URL, require_redis

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", REDIS_URL)


@dataclass
class CeleryWorker:
    """A running worker: the settings an app needs to send it tasks."""

    process: subprocess.Popen[str]
    broker: str
    queue: str

    @property
    def settings(self) -> dict[str, str]:
        return {"CELERY_BROKER_URL": self.broker, "CELERY_QUEUE": self.queue}


def worker_environment(settings: dict[str, Any], broker: str, queue: str) -> dict[str, str]:
    """The environment of a worker process that shares the tests' database and SMTP server."""
    return {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": settings["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": settings["MAIL_SERVER"],
        "MAIL_PORT": str(settings["MAIL_PORT"]),
        "MAIL_DEFAULT_SENDER": settings["MAIL_DEFAULT_SENDER"],
        "BASE_URL": settings["BASE_URL"],
        "CELERY_BROKER_URL": broker,
        "FLASK_CELERY_QUEUE": f'"{queue}"',
    }


def start_worker(env: dict[str, str], queue: str, timeout: float = 60) -> subprocess.Popen[str]:
    """Start a solo-pool worker on ``queue`` and wait until it says it is ready."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rueckkehr.celery_worker", "worker", "--pool=solo",
         "--loglevel=INFO", "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    seen = []
    assert worker.stdout is not None
    for line in worker.stdout:
        seen.append(line)
        if "ready." in line:
            return worker
        if time.monotonic() > deadline:
            break
    worker.kill()
    pytest.fail("the Celery worker did not start:\n" + "".join(seen[-20:]))


def stop_worker(worker: subprocess.Popen[str]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def celery_worker(base_settings: dict[str, Any], migrated_database: object) -> Iterator[CeleryWorker]:
    """A Celery worker process on Redis, configured like the test app."""
    require_redis(BROKER)
    queue = f"rueckkehr-test-{os.getpid()}-{time.monotonic_ns()}"
    worker = start_worker(worker_environment(base_settings, BROKER, queue), queue)
    yield CeleryWorker(worker, BROKER, queue)
    stop_worker(worker)
