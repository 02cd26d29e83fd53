"""``flask doctor`` checks a production configuration and the services it names, in plain words, exiting non-zero."""

from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rueckkehr import create_app
from tests.support.celery import CeleryWorker
from tests.support.services import require_redis
from tests.support.smtp import SMTPServer

STRONG = secrets.token_hex(32)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_app(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Flask:
    """The app as ``flask doctor`` builds it from the environment of a production installation."""
    monkeypatch.setattr(sys, "argv", ["/srv/rueckkehr/.venv/bin/flask", "--app", "wsgi", "doctor"])
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "WEB_CONCURRENCY", "MAIL_USERNAME", "MAIL_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"APP_ENV": "production", **environment}.items():
        monkeypatch.setenv(name, value)
    return create_app()


def doctor(app: Flask) -> tuple[int, str]:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["doctor"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def good(database_url: str, migrated_database: object, smtp_server: SMTPServer) -> dict[str, Any]:
    return {
        "SECRET_KEY": STRONG,
        "BASE_URL": "https://rueckkehr.example",
        "DATABASE_URL": database_url,
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": str(smtp_server.port),
    }


def test_a_sound_production_configuration_passes(monkeypatch: pytest.MonkeyPatch, good: dict[str, str]) -> None:
    code, output = doctor(production_app(monkeypatch, **good))
    assert code == 0, output
    assert "PROBLEM" not in output
    assert "migrations current" in output
    assert "Everything checked is in order." in output


def test_every_problem_is_named_at_once_and_the_exit_is_non_zero(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], tmp_path: Path
) -> None:
    app = production_app(
        monkeypatch,
        **{
            **good,
            "SECRET_KEY": "geheim-geheim",
            "BASE_URL": "http://rueckkehr.example",
            "MAIL_PORT": str(_closed_port()),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}",
            "WEB_CONCURRENCY": "4",
        },
    )
    code, output = doctor(app)
    assert code == 1
    assert "SECRET_KEY is too weak" in output
    assert "BASE_URL must be an https:// address" in output
    assert "WEB_CONCURRENCY=4: with more than one worker REDIS_URL is required" in output
    assert "the mail server at 127.0.0.1:" in output and "cannot be reached" in output
    assert "is not up to date (at no revision" in output and "run `flask db upgrade`" in output


def test_the_web_server_still_refuses_what_the_doctor_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"])
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "geheim-geheim")
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example")
    with pytest.raises(Exception, match="SECRET_KEY is too weak"):
        create_app()


def test_redis_that_does_not_answer_and_celery_without_workers_are_problems(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str]
) -> None:
    broker = require_redis()
    app = production_app(
        monkeypatch,
        **good,
        REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0",
        CELERY_BROKER_URL=broker,
        FLASK_CELERY_QUEUE=f'"nobody-listens-{secrets.token_hex(4)}"',
        FLASK_DOCTOR_CELERY_WAIT_SECONDS="0",
    )
    code, output = doctor(app)
    assert code == 1
    assert "Redis at REDIS_URL=redis://127.0.0.1:" in output and "does not answer" in output
    assert "ok       Redis at CELERY_BROKER_URL" in output
    assert "no Celery worker answers" in output


def test_a_running_celery_worker_is_found(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], celery_worker: CeleryWorker
) -> None:
    app = production_app(
        monkeypatch, **good, CELERY_BROKER_URL=celery_worker.broker, FLASK_CELERY_QUEUE=f'"{celery_worker.queue}"'
    )
    code, output = doctor(app)
    assert code == 0, output
    assert f"ok       1 Celery worker(s) answering for the queue '{celery_worker.queue}'" in output


def test_a_database_whose_lower_folds_ascii_alone_is_a_problem(
    monkeypatch: pytest.MonkeyPatch, good: dict[str, str], database_url: str
) -> None:
    """A PostgreSQL database made with LC_CTYPE C lowers "Ö" to "Ö": the searches would miss "Özdemir"."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's lower() is the app's own (database.py): it folds every letter")
    main = make_url(database_url)
    ascii_only = main.set(database=f"{main.database}_ascii_ctype")
    admin = create_engine(main.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{ascii_only.database}"'))
        connection.execute(text(f"CREATE DATABASE \"{ascii_only.database}\" LC_CTYPE 'C' TEMPLATE template0"))
    try:
        url = ascii_only.render_as_string(hide_password=False)
        code, output = doctor(production_app(monkeypatch, **{**good, "DATABASE_URL": url}))
        assert code == 1
        assert "lowers ASCII letters alone" in output and "--locale C.UTF-8" in output
        code, output = doctor(production_app(monkeypatch, **good))
        assert code == 0 and "ASCII" not in output, output
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{ascii_only.database}" WITH (FORCE)'))
        admin.dispose()
