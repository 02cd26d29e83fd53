"""Benchmark: 10,000 job-alert digests through the app's path to a loopback SMTP sink, against raw smtplib over one
connection with the same messages, in one run.

Run: ``.venv/bin/python -m bench.digests`` (a temporary SQLite database) or with ``DATABASE_URL=postgresql://…``
pointing at an empty scratch database. The app's path is one round of ``matching.rounds.send_digests`` as the job
runs it: candidates, scoring, composing and queuing every mail in the outbox in one unit of work, then the delivery
that follows the commit (one SMTP connection, a claim and a mark per mail). The raw baseline sends the very bytes
the outbox holds with one ``smtplib.SMTP.sendmail`` each over one connection. The sink is aiosmtpd on loopback.
"""

from __future__ import annotations

import os
import random
import smtplib
import tempfile
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from bench.support import Sink
from rueckkehr import create_app
from rueckkehr.actors import acting_as, system
from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import Employer, EmployerStatus, SizeBand, Vacancy
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.matching.rounds import send_digests
from rueckkehr.occupations.working_times import WorkingTime
from rueckkehr.places.models import Town
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile
from rueckkehr.transactions import unit_of_work

DIGESTS = int(os.environ.get("BENCH_DIGESTS", 10_000))
GROUPS = ["26", "81", "43", "52", "51", "73", "41", "22"]


def fill(now: datetime) -> None:
    """Returnees who consented to weekly alerts, and new vacancies in their fields."""
    rng = random.Random(5)
    towns = list(db.session.scalars(select(Town)))
    employers = [
        Employer(name=f"Betrieb {n}", town_id=towns[n % 6].id, street="Markt 1", postal_code="01968",
                 locality="Senftenberg", sector_code="2", size_band=SizeBand.SMALL, status=EmployerStatus.APPROVED)
        for n in range(100)
    ]  # fmt: skip
    db.session.add_all(employers)
    db.session.flush()
    valid = berlin_today() + timedelta(weeks=8)
    db.session.execute(
        Vacancy.__table__.insert(),
        [{"employer_id": employers[n % 100].id, "title": f"Fachkraft {n}", "occupation_group_code": GROUPS[n % 8],
          "skill_level": 2, "town_id": towns[n % 6].id, "place_name": "", "place_postal_code": "",
          "working_times": [WorkingTime.FULL_TIME], "contract": "permanent", "description": "Text", "apply_url": "",
          "apply_email": "a@b.example", "valid_until": valid, "status": "published",
          "published_at": now - timedelta(hours=1 + n % 100), "created_at": now, "updated_at": now}
         for n in range(800)],
    )  # fmt: skip
    db.session.execute(
        ReturneeProfile.__table__.insert(),
        [{"id": n, "email": f"r{n}@example.org", "language": "de" if n % 4 else "en", "first_name": "R",
          "last_name": str(n), "postal_code": "0150", "city": "Oslo", "country": "NO",
          "hometown_id": rng.choice(towns).id,
          "occupation_group_code": GROUPS[n % 8], "skill_level": 2, "working_times": [WorkingTime.FULL_TIME],
          "interests": [], "link_key": f"k{n}", "link_generation": 0, "created_at": now, "updated_at": now,
          "confirmed_at": now} for n in range(1, DIGESTS + 1)],
    )  # fmt: skip
    db.session.execute(
        Consent.__table__.insert(),
        [{"profile_id": n, "purpose": ConsentPurpose.JOB_ALERTS.value, "text_version": "v", "given_at": now,
          "confirmed_at": now} for n in range(1, DIGESTS + 1)],
    )  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def main() -> None:
    """Fill, run the app's round, send the same messages raw, print both throughputs and the ratio."""
    sink = Sink()
    port = sink.port
    sink.start()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "https://bench.test", "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False})  # fmt: skip
    try:
        with app.app_context():
            upgrade()
            now = datetime.now(UTC)
            fill(now)
            started, started_cpu = time.perf_counter(), time.process_time()
            with acting_as(system("bench")), unit_of_work():
                counts = send_digests(now=now)
                queued, queued_cpu = time.perf_counter(), time.process_time()
            delivered = time.perf_counter()  # the commit handed the mails to delivery, which ran before this line
            delivered_cpu = time.process_time()
            app_seconds = delivered - started
            composing_cpu, delivery_cpu = queued_cpu - started_cpu, delivered_cpu - queued_cpu
            sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.SENT))
            rate = counts["returnees"] / app_seconds
            print(f"app path: {counts['returnees']} digests in {app_seconds:.1f} s ({rate:.0f}"
                  f"/s): composing and queuing {queued - started:.1f} s, delivery {delivered - queued:.1f} s; "
                  f"{sent} marked sent, {sink.count} arrived on {db.engine.dialect.name}")  # fmt: skip
            rows = db.session.execute(
                select(OutboxMessage.recipient, OutboxMessage.raw).order_by(OutboxMessage.id)
            ).all()
        before = sink.count
        started, started_cpu = time.perf_counter(), time.process_time()
        connection = smtplib.SMTP("127.0.0.1", port)
        for recipient, raw in rows:
            connection.sendmail("noreply@bench.test", [recipient], raw)
        connection.quit()
        raw_seconds = time.perf_counter() - started
        raw_cpu = time.process_time() - started_cpu
        print(f"raw smtplib, one connection: {len(rows)} in {raw_seconds:.1f} s ({len(rows) / raw_seconds:.0f}/s); "
              f"{sink.count - before} arrived")  # fmt: skip
        print(f"app throughput / raw throughput: {raw_seconds / app_seconds:.0%} (whole round); "
              f"delivery alone: {raw_seconds / (delivered - queued):.0%}")  # fmt: skip
        print(f"the same as CPU time of this process (the sink's thread included, a database server's not): raw "
              f"{raw_cpu:.1f} s, app {composing_cpu + delivery_cpu:.1f} s (composing and queuing "
              f"{composing_cpu:.1f} s, delivery {delivery_cpu:.1f} s): "
              f"{raw_cpu / (composing_cpu + delivery_cpu):.0%} (whole round); delivery alone: "
              f"{raw_cpu / delivery_cpu:.0%}")  # fmt: skip
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
