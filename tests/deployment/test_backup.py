"""``flask backup`` and ``flask restore``: what was there when the backup ran comes back, into a fresh database."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.engine import make_url

from rueckkehr import create_app
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from tests.support.units import start_writing


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the session's, as on a server rebuilt after a loss."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"rk_restore_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def cli(app: Flask, *args: str) -> str:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_a_backup_restores_into_a_fresh_database(
    app: Flask,
    make_event: Callable[..., Event],
    base_settings: dict[str, Any],
    fresh_database_url: str,
    tmp_path: Path,
) -> None:
    make_event(title="Rückkehrertag Lauchhammer")
    backup = tmp_path / "nightly.backup"
    assert cli(app, "backup", "--output", str(backup)).startswith(f"backup written to {backup}")
    assert backup.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    start_writing()
    db.session.execute(delete(Event).where(Event.title == "Rückkehrertag Lauchhammer"))
    make_event(title="Nach der Sicherung angelegt")

    restored = create_app({**base_settings, "SQLALCHEMY_DATABASE_URI": fresh_database_url})
    assert "restored from" in cli(restored, "restore", "--yes", str(backup))
    with restored.app_context():
        assert db.session.scalars(select(Event.title)).all() == ["Rückkehrertag Lauchhammer"]
        assert "migrations current" in restored.test_cli_runner().invoke(args=["doctor"]).output
        db.engine.dispose()


def test_restore_asks_before_it_replaces_anything(app: Flask, tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    cli(app, "backup", "-o", str(backup))
    result = app.test_cli_runner().invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1
    assert "Replace everything in" in result.output
