"""Production on loopback for the load scripts: a database of their own, gunicorn, a Celery worker, an SMTP sink.

Everything is started as docs/deployment.md starts it (``gunicorn -c gunicorn.conf.py wsgi:app``, ``celery -A
rueckkehr.celery_worker worker``) with ``APP_ENV=production``, behind a pretend reverse proxy that speaks https
(``PROXY_COUNT=1``: clients send ``X-Forwarded-For`` and ``X-Forwarded-Proto``). The sink keeps every message that
arrives, so a script can read the links in them and count them against the outbox.

The benchmarks import the app and this module, never the tests.
"""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.support import Sink, free_port

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://rueckkehr.test"
SENDER = "Rückkehr <noreply@rueckkehr.test>"


@dataclass
class Stack:
    """What runs: the database's URL, the port gunicorn listens on, the sink, the environment of the processes."""

    database_url: str
    port: int
    sink: Sink
    env: dict[str, str]
    processes: list[subprocess.Popen[str]] = field(default_factory=list)


def database_url(name: str, server: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


@contextmanager
def scratch_database(name: str, server: str, keep: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL database ``name`` on ``server`` (dropped first if it is left over, and at the end unless
    ``keep``)."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield database_url(name, server)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def production_environment(url: str, sink: Sink, redis_url: str, workers: int, **extra: str) -> dict[str, str]:
    """The environment of gunicorn and the worker: production settings on loopback, a queue of their own."""
    queue = f"rueckkehr-bench-{secrets.token_hex(4)}"
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": BASE_URL,
        "DATABASE_URL": url,
        "MAIL_SERVER": sink.host,
        "MAIL_PORT": str(sink.port),
        "MAIL_DEFAULT_SENDER": SENDER,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "PROXY_COUNT": "1",
        "WEB_CONCURRENCY": str(workers),
        "FLASK_CELERY_QUEUE": f'"{queue}"',
        "FLASK_RATELIMIT_KEY_PREFIX": f'"{queue}"',
        **extra,
    }


def request(port: int, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None,
            timeout: float = 60) -> tuple[int, dict[str, list[str]], str]:  # fmt: skip
    """One plain HTTP request to gunicorn, as the reverse proxy passes it on; status, headers and text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        base = {"X-Forwarded-Proto": "https", "Host": "rueckkehr.test", "X-Forwarded-For": "203.0.113.1"}
        connection.request(method, path, body=body, headers={**base, **(headers or {})})
        response = connection.getresponse()
        names: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            names.setdefault(name.lower(), []).append(value)
        return response.status, names, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, config: str = "gunicorn.conf.py", root: Path = ROOT
) -> subprocess.Popen[str]:
    """gunicorn with ``workers`` sync workers, as docs/deployment.md runs it (the app in ``root``); returns once
    /healthz answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "wsgi:app"],
        cwd=root, env={**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_BIND": f"127.0.0.1:{port}",
                       "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            if request(port, "GET", "/healthz", timeout=5)[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("gunicorn did not start:\n" + (process.communicate()[1] or "")[-3000:])
        time.sleep(0.2)


def start_worker(env: dict[str, str], concurrency: int = 1, root: Path = ROOT) -> subprocess.Popen[str]:
    """A Celery worker on the environment's queue (prefork with ``concurrency`` > 1, else solo), the app in
    ``root``; returns when ready."""
    queue = env["FLASK_CELERY_QUEUE"].strip('"')
    pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rueckkehr.celery_worker", "worker", *pool, "--loglevel=INFO",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    for line in process.stdout:
        seen.append(line)
        if "ready." in line:
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return process
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("the Celery worker did not start:\n" + "".join(seen[-20:]))


def _drain(process: subprocess.Popen[str]) -> None:
    """Read the worker's log so that its pipe never fills (and keep the errors for the end)."""
    assert process.stdout is not None
    for line in process.stdout:
        if "ERROR" in line or "Traceback" in line:
            sys.stderr.write("[celery] " + line)


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a process started here (TERM, then KILL after 30 s)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare(url: str, seed: Callable[[], None]) -> None:
    """Migrate the database and run ``seed`` in an app context (the app in this process, as the CLI would)."""
    os.environ.setdefault("APP_ENV", "test")
    from flask_migrate import upgrade

    from rueckkehr import create_app
    from rueckkehr.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        seed()
        db.session.commit()
        db.engine.dispose()


@contextmanager
def running(
    url: str,
    *,
    workers: int,
    redis_url: str,
    celery_concurrency: int = 1,
    maildir: Path | None = None,
    gunicorn_config: str = "gunicorn.conf.py",
    root: Path = ROOT,
    **extra: str,
) -> Iterator[Stack]:
    """gunicorn (``workers``), a Celery worker and the sink on the database at ``url``; all stopped at the end.

    :param root: the checkout whose app gunicorn and the worker run (another one than this, e.g. the code before a
        change, to compare); the database is migrated by this one.
    """
    sink = Sink(keep=True, directory=maildir)
    sink.start()
    env = production_environment(url, sink, redis_url, workers, **extra)
    port = free_port()
    stack = Stack(url, port, sink, env)
    try:
        stack.processes.append(start_worker(env, celery_concurrency, root))
        stack.processes.append(start_gunicorn(env, port, workers, gunicorn_config, root))
        yield stack
    finally:
        for process in reversed(stack.processes):
            stop(process)
        sink.stop()
