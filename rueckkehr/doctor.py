"""``flask doctor``: check a production configuration and the services it names; say what is wrong in plain words.

Run it with the environment the web server gets (``set -a; . /etc/rueckkehr/env; set +a``). It builds the app even
from settings that production refuses, so it can name every problem at once, and exits non-zero when there is one.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import text

from config import production_problems

TIMEOUT_SECONDS = 5
CAPITALS = "ÄÖÜÉ"  # what a database's lower() must fold for the searches (SQLite's is the app's, database.py)


@dataclass(frozen=True)
class Finding:
    """One check's outcome: what was checked, and what is wrong (None when all is well)."""

    subject: str
    problem: str | None = None


def _settings() -> Iterator[Finding]:
    config = current_app.config
    if config["APP_ENV"] != "production":
        yield Finding("APP_ENV", f"APP_ENV is {config['APP_ENV']!r}; a production installation sets APP_ENV=production")
    problems = production_problems(dict(config))
    for problem in problems:
        yield Finding("settings", problem)
    if not problems:
        yield Finding("SECRET_KEY, BASE_URL and the number of workers")


def _mail_server() -> Iterator[Finding]:
    config = current_app.config
    where = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    factory = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    try:
        with factory(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=TIMEOUT_SECONDS) as connection:
            connection.ehlo()
            if config.get("MAIL_USE_TLS"):
                connection.starttls()
            if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            connection.noop()
    except smtplib.SMTPAuthenticationError:
        yield Finding("mail server", f"the mail server at {where} refuses MAIL_USERNAME and MAIL_PASSWORD")
    except (OSError, smtplib.SMTPException) as error:
        yield Finding(
            "mail server", f"the mail server at {where} cannot be reached ({error}); check MAIL_SERVER and MAIL_PORT"
        )
    else:
        yield Finding(f"mail server at {where}")


def _database() -> Iterator[Finding]:
    from .extensions import db

    engine = db.engine
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            folded = connection.execute(text("SELECT lower(:capitals)"), {"capitals": CAPITALS}).scalar()
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        yield Finding(
            "database", f"the database {where} cannot be reached ({type(error).__name__}); check DATABASE_URL"
        )
        return
    if folded != CAPITALS.lower():
        yield Finding(
            "database",
            f"the database {where} lowers ASCII letters alone (its LC_CTYPE is C), so the searches miss names and "
            "places with umlauts: create it with a UTF-8 locale (createdb --locale C.UTF-8 --template template0)",
        )
    migrations = Path(current_app.root_path).parent / "migrations"
    heads = set(ScriptDirectory(str(migrations)).get_heads())
    if current != heads:
        yield Finding(
            "database",
            f"the database {where} is not up to date (at {', '.join(sorted(current)) or 'no revision'}, "
            f"the code needs {', '.join(sorted(heads))}): run `flask db upgrade`",
        )
    else:
        yield Finding(f"database {where}, migrations current")


def _redis() -> Iterator[Finding]:
    import redis

    config = current_app.config
    urls = {name: config.get(name) for name in ("REDIS_URL", "CELERY_BROKER_URL")}
    for name, url in urls.items():
        if not url or not url.startswith(("redis://", "rediss://", "unix://")):
            continue
        try:
            redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS).ping()
        except redis.RedisError as error:
            yield Finding("Redis", f"Redis at {name}={url} does not answer ({error})")
        else:
            yield Finding(f"Redis at {name}")


def _celery_workers() -> Iterator[Finding]:
    config = current_app.config
    if not config.get("CELERY_BROKER_URL"):
        return
    celery = current_app.extensions["celery"]
    queue = celery.conf.task_default_queue
    deadline = time.monotonic() + float(config.get("DOCTOR_CELERY_WAIT_SECONDS", 10))  # a worker just starting
    while True:
        try:
            replies = celery.control.inspect(timeout=2.0).active_queues() or {}
        except Exception as error:
            yield Finding("Celery", f"the Celery broker cannot be reached ({type(error).__name__}: {error})")
            return
        serving = [worker for worker, queues in replies.items() if any(q.get("name") == queue for q in queues or [])]
        if serving or time.monotonic() >= deadline:
            break
    if not serving:
        yield Finding(
            "Celery",
            f"no Celery worker answers for the queue {queue!r}: start one (`celery -A rueckkehr.celery_worker "
            "worker`, see deploy/), or mails wait for `flask jobs run`",
        )
    else:
        yield Finding(f"{len(serving)} Celery worker(s) answering for the queue {queue!r}")


CHECKS: tuple[Callable[[], Iterator[Finding]], ...] = (_settings, _mail_server, _database, _redis, _celery_workers)


def findings() -> list[Finding]:
    """Run every check, in order."""
    return [finding for check in CHECKS for finding in check()]


@click.command("doctor")
def doctor_command() -> None:
    """Check this production configuration and the services it names; exit non-zero if anything is wrong."""
    results = findings()
    for finding in results:
        click.echo(f"ok       {finding.subject}" if finding.problem is None else f"PROBLEM  {finding.problem}")
    problems = sum(finding.problem is not None for finding in results)
    if problems:
        click.echo(f"{problems} problem(s) found; Rückkehr is not ready for production.", err=True)
        raise SystemExit(1)
    click.echo("Everything checked is in order.")


def init_app(app: Flask) -> None:
    """Register ``flask doctor``."""
    app.cli.add_command(doctor_command)
