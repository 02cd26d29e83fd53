"""Registrations per second on PostgreSQL, against a bare route of the same app, measured in one run.

    .venv/bin/python -m bench.registration [--count 300] [--database postgresql://postgres@127.0.0.1:5432/postgres]

Creates (and drops) a database of its own on that server, migrates it, and serves both routes in-process through
the WSGI test client, so the ratio shows what the registration itself costs: form validation, the event lock, the
seat count, the outbox row and the commit. Mail goes to a local aiosmtpd server, as in production it goes to a relay.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid

from sqlalchemy import create_engine, text

os.environ.setdefault("APP_ENV", "test")

from bench.support import Sink, registration_form
from rueckkehr import create_app
from rueckkehr.extensions import db


def main() -> None:
    """Run both measurements and print the figures and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    name = f"rueckkehr_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    smtp = Sink()
    smtp.start()
    try:
        url = args.database.rsplit("/", 1)[0] + "/" + name
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "MAIL_SERVER": smtp.host, "MAIL_PORT": smtp.port, "BASE_URL": "http://b"}
        )

        @app.get("/bare")
        def bare() -> str:
            return "ok"

        with app.app_context():
            from datetime import UTC, datetime, timedelta

            from flask_migrate import upgrade

            from rueckkehr.demo import seed_demo
            from rueckkehr.events.models import Event

            upgrade()
            seed_demo()
            event = db.session.scalars(db.select(Event).where(Event.starts_at > datetime.now(UTC))).first()
            event.capacity = args.count * 2
            event.registration_opens_at = datetime.now(UTC) - timedelta(days=1)
            event.registration_closes_at = event.starts_at - timedelta(hours=24)
            event_id = event.id
            db.session.commit()

        client = app.test_client()
        for _ in range(20):  # warm-up
            client.get("/bare")
        started = time.perf_counter()
        for _ in range(args.count):
            assert client.get("/bare").status_code == 200
        bare_rate = args.count / (time.perf_counter() - started)

        started = time.perf_counter()
        for number in range(args.count):
            response = client.post(f"/events/{event_id}/register", data=registration_form(f"bench{number}@example.org"))
            assert response.status_code == 303, response.status_code
        registration_rate = args.count / (time.perf_counter() - started)
        if not smtp.wait_for(args.count, timeout=120):  # let delivery finish before the database goes
            raise RuntimeError(f"expected {args.count} mails, {smtp.count} arrived")

        print(f"bare route:     {bare_rate:10.1f} requests/s")
        print(f"registrations:  {registration_rate:10.1f} registrations/s ({args.count} on PostgreSQL)")
        print(f"ratio:          {registration_rate / bare_rate:10.4f} (registration ÷ bare route)")
        with app.app_context():
            db.engine.dispose()
    finally:
        smtp.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
