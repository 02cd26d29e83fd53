"""``flask backup`` and ``flask restore``: PostgreSQL through pg_dump/pg_restore, SQLite through its online backup.

A backup is taken while the site runs: pg_dump reads one consistent snapshot, SQLite's backup API copies the pages
under a read lock. A restore writes into the database that ``DATABASE_URL`` names; restore into a new, empty database
and point the site at it (docs/deployment.md, "Backups"), or stop the web server and the workers first.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import URL, make_url


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string for the PostgreSQL tools (without the password) and the environment that carries it."""
    plain = url.set(drivername="postgresql", password=None)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(
            f"{name} is not installed; install the PostgreSQL client (Debian: postgresql-client)"
        )
    return path


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("this SQLite database lives in memory and cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API (safe while the source is in use)."""
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def backup_to(target: Path) -> Path:
    """Write a backup of the configured database to ``target``."""
    url = _database_url()
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "postgresql":
        connection, environment = _libpq(url)
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), connection]
        subprocess.run(command, check=True, env=environment)  # noqa: S603
    elif url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
    else:
        raise click.ClickException(f"backups of {url.get_backend_name()} databases are not supported")
    target.chmod(0o600)  # it holds returnees' personal data
    return target


def restore_from(source: Path) -> None:
    """Write the backup in ``source`` into the configured database, replacing what is there."""
    url = _database_url()
    if url.get_backend_name() == "postgresql":
        connection, environment = _libpq(url)
        options = ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction"]
        command = [_tool("pg_restore"), *options, "--dbname", connection, str(source)]
        subprocess.run(command, check=True, env=environment)  # noqa: S603
    elif url.get_backend_name() == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
    else:
        raise click.ClickException(f"restores into {url.get_backend_name()} databases are not supported")


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="the file to write")
def backup_command(output: Path | None) -> None:
    """Back up the database (pg_dump's custom format for PostgreSQL, a SQLite file for the embedded default)."""
    if output is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        suffix = "dump" if _database_url().get_backend_name() == "postgresql" else "sqlite"
        output = Path(current_app.instance_path) / "backups" / f"rueckkehr-{stamp}.{suffix}"
    try:
        written = backup_to(output)
    except subprocess.CalledProcessError as error:
        raise click.ClickException(f"the backup failed: pg_dump ended with {error.returncode}") from error
    click.echo(f"backup written to {written}")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask; replace the database's content")
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the content of the configured database with a backup written by ``flask backup``."""
    url = _database_url().render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Replace everything in {url} with {backup}?", abort=True)
    try:
        restore_from(backup)
    except subprocess.CalledProcessError as error:
        raise click.ClickException(f"the restore failed: pg_restore ended with {error.returncode}") from error
    click.echo(f"{url} restored from {backup}; run `flask db upgrade` if the backup is older than the code")


def init_app(app: Flask) -> None:
    """Register ``flask backup`` and ``flask restore``."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
