"""Shared fixtures: the app on SQLite or PostgreSQL, a real SMTP server, a live server and factories.

The database is migrated once per test session into a temporary file (SQLite) or into the database that
``TEST_DATABASE_URL`` names (PostgreSQL). Between tests every table is emptied, except the reference data that the
migrations load (towns, occupations), which is trimmed back to what the migrations put there.
"""

from __future__ import annotations

import contextvars
import os

os.environ["APP_ENV"] = "test"

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, delete, inspect, select, text, true, tuple_

from config import normalize_database_url
from rueckkehr import create_app
from rueckkehr.accounts.models import Role, User
from rueckkehr.background import wait_for_background_threads
from rueckkehr.events.models import Event, EventSeries, EventStatus, ProgrammeItem
from rueckkehr.extensions import db, limiter
from rueckkehr.places.models import Town, Venue
from tests.support.registrations import form_data
from tests.support.smtp import SMTPServer
from tests.support.units import start_writing

pytest_plugins = [
    "tests.support.attendees",
    "tests.support.browser",
    "tests.support.celery",
    "tests.support.employers",
    "tests.support.organizers",
    "tests.support.world",
]

REFERENCE_TABLES = ("towns", "occupation_areas", "occupation_groups")
ReferenceRows = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def _reset_postgres_schema(url: str) -> None:
    """Give the test database an empty public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_database(url: str, worker: str) -> str:
    """A database of its own for one worker of a parallel run (pytest-xdist), beside the one ``url`` names."""
    from sqlalchemy.engine import make_url

    main = make_url(url)
    own = main.set(database=f"{main.database}_{worker}")
    engine = create_engine(main.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    """Drop a worker's database at the end of its session."""
    from sqlalchemy.engine import make_url

    own = make_url(url)
    engine = create_engine(own.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of this test session's database: PostgreSQL from TEST_DATABASE_URL, else a temporary SQLite file.

    In a parallel run each worker gets a database of its own (``<name>_gw0``, …), dropped when it finishes.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    url = normalize_database_url(url)
    if worker is None:
        _reset_postgres_schema(url)
        yield url
        return
    own = _worker_database(url, worker)
    yield own
    _drop_worker_database(own)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port for the whole session."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_settings(
    database_url: str, smtp_server: SMTPServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Settings every test app gets; uploads and exports go to temporary folders, never to ``instance/``."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
        "EXPORT_FOLDER": str(tmp_path_factory.mktemp("exports")),
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_DEFAULT_SENDER": "Rückkehrertage <noreply@rueckkehr.test>",
        "BASE_URL": "http://rueckkehr.test",
    }


@pytest.fixture(scope="session")
def migrated_database(base_settings: dict[str, Any]) -> ReferenceRows:
    """Migrate the session database once; return the reference rows the migrations made."""
    from flask_migrate import upgrade

    app = create_app(base_settings)
    with app.app_context():
        upgrade()
        snapshot = reference_rows()
        db.engine.dispose()
    return snapshot


def reference_rows() -> ReferenceRows:
    """The rows of the reference tables, by primary key."""
    rows: ReferenceRows = {}
    for name in REFERENCE_TABLES:
        table = db.metadata.tables[name]
        key = list(table.primary_key.columns)
        rows[name] = {
            tuple(row[column.name] for column in key): dict(row) for row in db.session.execute(select(table)).mappings()
        }
    return rows


def empty_tables(snapshot: ReferenceRows) -> None:
    """Delete every row a test made, and bring the reference rows of the migrations back to how they were (a test
    may have given a town its contact person)."""
    db.session.rollback()
    existing = set(inspect(db.engine).get_table_names())
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in existing:
            continue
        if table.name in REFERENCE_TABLES:
            columns = list(table.primary_key.columns)
            keep = list(snapshot[table.name])
            db.session.execute(delete(table).where(tuple_(*columns).not_in(keep) if keep else true()))
            for row in db.session.execute(select(table)).mappings():
                original = snapshot[table.name][tuple(row[column.name] for column in columns)]
                if dict(row) != original:
                    db.session.execute(
                        table.update().where(*(column == row[column.name] for column in columns)).values(original)
                    )
        else:
            db.session.execute(delete(table))
    db.session.commit()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in a fresh context, as in production.

    Tests hold an application context for their factories; without this, requests would share its ``g`` (and the
    locale and login cached there) with each other.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send the request from an empty ``contextvars`` context; buffered, so the response is closed as a server
        would close it (running after-response work such as mail delivery)."""
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


class SharedApp:
    """One app in the plain test configuration, built once per session: building an app takes a fifth of a second
    (the URL map compiles several hundred rules), and most tests need nothing but the plain app. After each test
    its configuration is put back as it was built."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.app = create_app(settings)
        self.app.test_client_class = IsolatedClient
        self._config = dict(self.app.config)

    def restore(self) -> None:
        """Put back the configuration a test may have changed (``app.config[...] = ...``)."""
        self.app.config.clear()
        self.app.config.update(self._config)
        # Flask-Limiter keeps "enabled" on its one object, set by the app built last (a test may have built one
        # with rate limits on); the shared app is built without them.
        limiter.enabled = self.app.config["RATELIMIT_ENABLED"]


@pytest.fixture(scope="session")
def shared_app(base_settings: dict[str, Any]) -> SharedApp:
    """The plain test app, shared by the tests that ask for ``app``; it also empties the tables after each test."""
    return SharedApp(base_settings)


@pytest.fixture
def make_app(
    base_settings: dict[str, Any], migrated_database: ReferenceRows, shared_app: SharedApp
) -> Iterator[Callable[..., Flask]]:
    """Build apps of their own on the session database with extra settings (a test may add routes to them); clean
    the database after the test."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app({**base_settings, **overrides})
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield factory
    for app in (*apps, shared_app.app):
        wait_for_background_threads(app)  # mail still being delivered must not write into the next test
    with shared_app.app.app_context():
        empty_tables(migrated_database)
    for app in (*apps, shared_app.app):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # a test may have restored or rebuilt the database under its connections
    shared_app.restore()


@pytest.fixture
def app(make_app: Callable[..., Flask], shared_app: SharedApp) -> Iterator[Flask]:
    """The app in the test configuration (shared, see ``SharedApp``), with an application context pushed."""
    with shared_app.app.app_context():
        yield shared_app.app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client that speaks to the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's ``flask`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def smtp(smtp_server: SMTPServer) -> SMTPServer:
    """The SMTP server with the messages of earlier tests cleared."""
    smtp_server.clear()
    return smtp_server


# Factories: each returns a callable that makes one committed record with sensible defaults.


@pytest.fixture
def town(app: Flask) -> Callable[[str], Town]:
    """Look up one of the RWK towns the migrations loaded, by slug."""

    def get(slug: str = "senftenberg") -> Town:
        return db.session.scalars(select(Town).where(Town.slug == slug)).one()

    return get


@pytest.fixture
def make_town(app: Flask) -> Callable[..., Town]:
    """Make an extra town (for tests that need one beyond the RWK's)."""
    counter = iter(range(1, 1000))

    def factory(**values: Any) -> Town:
        start_writing()
        number = next(counter)
        values = {"slug": f"testort-{number}", "name": f"Testort {number}", "postal_codes": "01234", **values}
        created = Town(**values)
        db.session.add(created)
        db.session.commit()
        return created

    return factory


@pytest.fixture
def make_venue(app: Flask, town: Callable[[str], Town]) -> Callable[..., Venue]:
    """Make a venue, in Senftenberg unless told otherwise."""

    def factory(**values: Any) -> Venue:
        start_writing()
        values.setdefault("town", town("senftenberg"))
        values = {
            "name": "Niederlausitzhalle Senftenberg",
            "street": "Ernst-Thälmann-Straße 61",
            "postal_code": "01968",
            "locality": "Senftenberg",
            "latitude": 51.5197,
            "longitude": 14.0021,
            **values,
        }
        created = Venue(**values)
        db.session.add(created)
        db.session.commit()
        return created

    return factory


@pytest.fixture
def make_event(app: Flask, make_venue: Callable[..., Venue]) -> Callable[..., Event]:
    """Make a published event ten days from now, 10–15 Uhr Berlin time, with an open registration."""

    def factory(*, programme: list[tuple[datetime, datetime | None, str]] = (), **values: Any) -> Event:
        start_writing()
        if "venue" not in values:
            values["venue"] = make_venue()
        starts_at = values.pop("starts_at", None) or (datetime.now(UTC) + timedelta(days=10)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        values = {
            "title": "Rückkehrertag Senftenberg",
            "summary": "Arbeitgeber der Region stellen sich vor",
            "description": "Treffen Sie Arbeitgeber aus der Heimat.",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=5),
            "capacity": 40,
            "registration_opens_at": starts_at - timedelta(days=60),
            "registration_closes_at": starts_at - timedelta(hours=24),
            "status": EventStatus.PUBLISHED,
            **values,
        }
        created = Event(**values)
        created.programme = [
            ProgrammeItem(starts_at=start, ends_at=end, title=title) for start, end, title in programme
        ]
        db.session.add(created)
        db.session.commit()
        return created

    return factory


@pytest.fixture
def make_series(app: Flask) -> Callable[..., EventSeries]:
    """Make an event series."""

    def factory(title: str = "Rückkehrertage Test", **values: Any) -> EventSeries:
        start_writing()
        created = EventSeries(title=title, **values)
        db.session.add(created)
        db.session.commit()
        return created

    return factory


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Make a user with a password of ``correct horse battery staple``."""
    counter = iter(range(1, 1000))

    def factory(role: Role = Role.ORGANIZER, towns: list[Town] = (), **values: Any) -> User:
        start_writing()
        password = values.pop("password", "correct horse battery staple")
        values.setdefault("email", f"user{next(counter)}@rueckkehr.test")
        created = User(role=role, towns=list(towns), **values)
        created.set_password(password)
        db.session.add(created)
        db.session.commit()
        return created

    return factory


@pytest.fixture
def submit(client: FlaskClient) -> Callable[..., Any]:
    """Submit the registration form for an event, as a returnee types it (``form_data``), with overrides."""

    def post(event_id: int, **overrides: Any) -> Any:
        return client.post(f"/events/{event_id}/register", data=form_data(**overrides))

    return post
