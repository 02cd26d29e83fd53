"""The calendar feed of 2,000 events against a JSON rendering of the same rows, and a 304 against a bare route.

    .venv/bin/python -m bench.calendar [--events 2000] [--rounds 20] [--database postgresql://postgres@127.0.0.1:5432/postgres]

Creates (and drops) a database of its own on that server, migrates it, adds the events, and serves every route
in-process through the WSGI test client, so each ratio, measured in one run, shows what the iCalendar building and
the conditional check cost on top of the same query and the same request handling.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

os.environ.setdefault("APP_ENV", "test")

from rueckkehr import create_app
from rueckkehr.extensions import db


def rate(client_get: Callable[[], object], rounds: int) -> float:
    """Requests per second over ``rounds`` calls, after two warm-up calls."""
    for _ in range(2):
        client_get()
    started = time.perf_counter()
    for _ in range(rounds):
        client_get()
    return rounds / (time.perf_counter() - started)


def main() -> None:
    """Seed, measure the four routes and print the figures and both ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    name = f"rueckkehr_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = args.database.rsplit("/", 1)[0] + "/" + name
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://b"})

        @app.get("/bare")
        def bare() -> str:
            return "ok"

        @app.get("/bench/events.json")
        def events_json() -> dict[str, object]:
            from rueckkehr.events.queries import feed_events

            return {
                "events": [
                    {
                        "id": event.id,
                        "title": event.title,
                        "summary": event.summary,
                        "starts_at": event.starts_at.isoformat(),
                        "ends_at": event.ends_at.isoformat(),
                        "status": event.status.value,
                        "venue": event.venue.name,
                        "address": event.venue.address,
                        "programme": [[item.starts_at.isoformat(), item.title] for item in event.programme],
                    }
                    for event in feed_events()
                ]
            }

        with app.app_context():
            from flask_migrate import upgrade

            from rueckkehr.events.models import Event, EventStatus, ProgrammeItem
            from rueckkehr.places.models import Town, Venue

            upgrade()
            town = db.session.scalars(db.select(Town).where(Town.slug == "senftenberg")).one()
            venue = Venue(
                town=town,
                name="Niederlausitzhalle",
                street="Ernst-Thälmann-Straße 61",
                postal_code="01968",
                locality="Senftenberg",
                latitude=51.5197,
                longitude=14.0021,
            )
            db.session.add(venue)
            first = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=60)
            for number in range(args.events):
                starts = first + timedelta(hours=6 * number)
                db.session.add(
                    Event(
                        venue=venue,
                        title=f'Rückkehrertag {number}; Senftenberg, "Halle"',
                        summary="Arbeitgeber der Region stellen sich vor",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=5),
                        status=EventStatus.PUBLISHED,
                        programme=[
                            ProgrammeItem(starts_at=starts, ends_at=starts + timedelta(hours=1), title="Begrüßung")
                        ],
                    )
                )
            db.session.commit()

        client = app.test_client()
        feed = client.get("/events.ics")
        assert feed.status_code == 200 and feed.data.count(b"BEGIN:VEVENT") == args.events
        etag = feed.headers["ETag"]
        assert client.get("/events.ics", headers={"If-None-Match": etag}).status_code == 304

        feed_rate = rate(lambda: client.get("/events.ics"), args.rounds)
        json_rate = rate(lambda: client.get("/bench/events.json"), args.rounds)
        rounds_small = args.rounds * 50
        not_modified_rate = rate(lambda: client.get("/events.ics", headers={"If-None-Match": etag}), rounds_small)
        bare_rate = rate(lambda: client.get("/bare"), rounds_small)

        print(f"feed ({args.events} events, {len(feed.data) / 1024:.0f} KiB): {feed_rate:10.2f} requests/s")
        print(f"JSON of the same rows:            {json_rate:10.2f} requests/s")
        print(f"ratio:                            {feed_rate / json_rate:10.4f} (feed ÷ JSON)")
        print(f"304 for If-None-Match:            {not_modified_rate:10.1f} requests/s")
        print(f"bare route:                       {bare_rate:10.1f} requests/s")
        print(f"ratio:                            {not_modified_rate / bare_rate:10.4f} (304 ÷ bare route)")
        with app.app_context():
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
