"""Benchmark: the organizers' registration list with 5,000 registrations over HTTP, against a bare route of the same
app served by the same server, as a ratio (goal: within 3x). The emptiest page of the workspace is timed beside
them: what every workspace page costs before it shows a row (the log-in checks and the layout). So are the list as
an organizer of the event's town sees it (their towns are read with the log-in check), its last page (which a
planner guesses to be dear), a filtered page and two searches (one that finds a sixth, one that finds nobody).

Run: ``.venv/bin/python -m bench.registration_list`` (a temporary SQLite database) or with
``DATABASE_URL=postgresql://…`` pointing at an empty scratch database. An admin and an organizer log in over HTTP
(password and the second factor); each then asks with their session cookie, one connection per request.
"""

from __future__ import annotations

import http.client
import os
import random
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

os.environ.setdefault("APP_ENV", "test")

import pyotp
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from rueckkehr import create_app
from rueckkehr.accounts.models import Role, User
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.places.models import Town, Venue
from rueckkehr.registrations.models import Registration, sort_names
from rueckkehr.returnees.models import ReturneeProfile

REGISTRATIONS = 5_000
REQUESTS = 300
PASSWORD = "correct horse battery staple"  # noqa: S105 (a throw-away database)
GROUPS = ["81", "43", "26", "52", "73", "84", "29", "62"]
INTERESTS = ["housing", "childcare", "partner_job", "business", "advice"]


def fill(count: int) -> tuple[int, list[User]]:
    """One event with ``count`` registrations of varied people; an admin and an organizer of the event's town, each
    with a second factor."""
    towns = list(db.session.scalars(select(Town).order_by(Town.id)))
    venue = Venue(town=towns[0], name="Halle", street="Markt 1", postal_code="01968", locality="Senftenberg")
    starts = datetime.now(UTC) + timedelta(days=20)
    event = Event(
        venue=venue,
        title="Rückkehrertag",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        capacity=count,
        status=EventStatus.PUBLISHED,
    )
    admin = User(email="admin@bench.example", role=Role.ADMIN, totp_secret=pyotp.random_base32(32))
    organizer = User(
        email="organizer@bench.example", role=Role.ORGANIZER, totp_secret=pyotp.random_base32(32), towns=[towns[0]]
    )
    for user in (admin, organizer):
        user.set_password(PASSWORD)
    db.session.add_all([event, admin, organizer])
    db.session.flush()
    rng = random.Random(12)
    now = datetime.now(UTC)
    profiles = [
        {
            "id": number,
            "email": f"person{number}@example.org",
            "language": "de",
            "first_name": rng.choice(["Anna", "Jonas", "Lea", "Paul", "Mia", "Ben"]),
            "last_name": f"Name{number:05}",
            "postal_code": "01968",
            "city": rng.choice(["Berlin", "Dresden", "Oslo", "Wien", "Leipzig"]),
            "country": "DE",
            "hometown_id": rng.choice(towns).id if number % 7 else None,
            "occupation_group_code": rng.choice(GROUPS),
            "skill_level": rng.randint(1, 4),
            "working_times": [],
            "interests": rng.sample(INTERESTS, rng.randint(0, 3)),
            "link_key": f"k{number}",
            "link_generation": 0,
            "created_at": now,
            "updated_at": now,
        }
        for number in range(1, count + 1)
    ]
    db.session.execute(ReturneeProfile.__table__.insert(), profiles)
    statuses = ["confirmed"] * 6 + ["unconfirmed", "waiting", "cancelled"]
    names = {profile["id"]: sort_names(first=profile["first_name"], last=profile["last_name"]) for profile in profiles}
    registrations = [
        {
            "profile_id": number,
            "sort_last_name": names[number][0],
            "sort_first_name": names[number][1],
            "event_id": event.id,
            "status": rng.choice(statuses),
            "companions": rng.randint(0, 2),
            "submission": {},
            "confirm_nonce": "",
            "uid": f"bench-{number}",
            "sequence": 0,
            "walk_in": False,
            "created_at": now - timedelta(minutes=number),
            "confirmed_at": now,
        }
        for number in range(1, count + 1)
    ]
    db.session.execute(Registration.__table__.insert(), registrations)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum does after such an insert: the statistics, and
        with db.engine.connect() as connection:  # the visibility map that lets a count read the index alone
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return event.id, [admin, organizer]


class Client:
    """HTTP/1.1 requests with a session cookie, one connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, data


def timed(asked: list[tuple[str, Client, str]]) -> dict[str, tuple[float, float]]:
    """Median wall-clock and median CPU seconds of REQUESTS requests of each (label, client, path), asked in turns
    (one of each, then the next round), so that a stretch of other work on the machine slows all of them alike.

    The CPU time is this process's (client and server threads both run in it): on a machine that other work keeps
    busy it varies far less than the wall clock, which counts the waits for a core too.
    """
    walls: dict[str, list[float]] = {label: [] for label, _client, _path in asked}
    cpus: dict[str, list[float]] = {label: [] for label, _client, _path in asked}
    for _ in range(REQUESTS):
        for label, client, path in asked:
            start, start_cpu = time.perf_counter(), time.process_time()
            status, _body = client.request("GET", path)
            walls[label].append(time.perf_counter() - start)
            cpus[label].append(time.process_time() - start_cpu)
            assert status == 200, (path, status)
    return {label: (_median(walls[label]), _median(cpus[label])) for label in walls}


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def logged_in(port: int, user: tuple[str, str]) -> Client:
    """A client of the server, logged in as (e-mail, TOTP secret) with the password and the second factor."""
    client = Client(port)
    email, secret = user
    assert client.request("POST", "/login", {"email": email, "password": PASSWORD})[0] == 303
    assert client.request("POST", "/login/second-factor", {"code": pyotp.TOTP(secret).now()})[0] == 303
    return client


def main() -> None:
    """Fill the database, serve the app, log in, time the routes, print the ratios to the bare route."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://bench.test"})
    app.add_url_rule("/bare", "bare", lambda: "ok")
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        event_id, users = fill(REGISTRATIONS)
        admin, organizer = ((user.email, str(user.totp_secret)) for user in users)
        print(
            f"filled {REGISTRATIONS} registrations in {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}"
        )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        as_admin = logged_in(server.server_port, admin)
        as_organizer = logged_in(server.server_port, organizer)  # of the event's town: the list's usual reader
        base = f"/organizer/events/{event_id}/registrations"
        asked = [
            ("bare route", as_admin, "/bare"),
            ("the emptiest workspace page (venues)", as_admin, "/organizer/venues"),  # log-in checks and layout
            ("the list, sorted by name", as_admin, base),
            ("the list, as an organizer of its town", as_organizer, base),
            ("the list's last page", as_admin, f"{base}?page={-(-REGISTRATIONS // 50)}"),  # a planner's dear guess
            ("the filtered list", as_admin, f"{base}?hometown=senftenberg&hometown_op=not&interest=advice"
             "&sort=-registered&page=5"),
            ("the list searched for a first name", as_admin, f"{base}?q=Lea"),  # a sixth of them: a page of 50
            ("the list searched for nobody", as_admin, f"{base}?q=%C3%96zdemir"),  # Özdemir: every row is read
        ]  # fmt: skip
        for _label, client, path in asked:  # warm up
            client.request("GET", path)
        times = timed(asked)
        bare = times["bare route"]
        print(f"bare route: {bare[0] * 1000:.2f} ms wall, {bare[1] * 1000:.2f} ms CPU")
        for label, (wall, cpu) in list(times.items())[1:]:
            print(
                f"{label}: {wall * 1000:.2f} ms wall, ratio {wall / bare[0]:.1f}; "
                f"{cpu * 1000:.2f} ms CPU, ratio {cpu / bare[1]:.1f}"
            )
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
