"""A bounded load test on loopback: Locust's returnees against gunicorn, PostgreSQL, Redis and a Celery worker.

    .venv/bin/python -m bench.load [--users 200] [--duration 60] [--workers 4] [--jobs 2000]
        [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--database rk_load_run]
        [--redis redis://127.0.0.1:6379/7]

Builds a database of its own (migrated, the demo data, ``--jobs`` vacancies, four open events, one of them small
so that its waiting list fills), starts production as docs/deployment.md runs it (gunicorn with ``--workers``,
``APP_ENV=production``, rate limits in Redis, a Celery worker delivering to a loopback SMTP sink that writes each
message to a directory), and lets ``--users`` Locust users (``bench/locustfile.py``) browse events and jobs,
register and confirm for ``--duration`` seconds: they read the confirmation link from the mail the sink received.
Before the load, one client alone times each page (the baseline of the same run, since the machine may be shared);
then, once delivery has caught up, it prints p50/p95/p99 per page beside that baseline, and checks:

- zero errors (every request answered as a returnee expects, every confirmation request arrived);
- registrations in the database = successful submissions, confirmed registrations = successful confirmations;
- every mail of the outbox was sent and arrived exactly once (by Message-ID), nothing arrived that the outbox does
  not know, and each registration got one confirmation request, each confirmation one answer;
- capacity exact: no event holds more seats than it has, nobody waits who would fit into the seats still free,
  and the waiting list has one position per waiting party.

Exits non-zero when a check fails. It is a script, not part of the test suite: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.checks import delivery_problems, report, seat_problems
from bench.stack import ROOT, prepare, request, running, scratch_database

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SMALL_EVENT_CAPACITY = 25
SUBMIT = "POST /events/[id]/register"
CONFIRM = "POST /confirm/[token]"


def seed(jobs: int) -> list[int]:
    """The demo data, ``jobs`` vacancies, and the open events without registrations (the first one small)."""
    from datetime import timedelta

    from sqlalchemy import select

    from bench.jobs import fill
    from rueckkehr.dates import utcnow
    from rueckkehr.demo import seed_demo
    from rueckkehr.events.models import Event, RegistrationState, registration_state
    from rueckkehr.extensions import db
    from rueckkehr.registrations.models import Registration

    fill(jobs)  # first, on empty tables: it numbers its vacancies from 1
    db.session.execute(
        text("SELECT setval(pg_get_serial_sequence('vacancies', 'id'), (SELECT max(id) FROM vacancies))")
    )
    seed_demo()
    now = utcnow()
    taken = set(db.session.scalars(select(Registration.event_id)))
    events = [
        event
        for event in db.session.scalars(
            select(Event).where(Event.starts_at > now + timedelta(days=7)).order_by(Event.id)
        )
        if registration_state(event, now) == RegistrationState.OPEN and event.id not in taken
    ]
    events[0].capacity = SMALL_EVENT_CAPACITY
    return [event.id for event in events]


def locust(port: int, users: int, duration: int, events: list[int], jobs: int, maildir: Path, out: Path) -> int:
    """Run Locust headless against gunicorn; its exit code (its figures in ``out``)."""
    import os

    env = {
        **os.environ,
        "LOAD_EVENTS": ",".join(map(str, events)),
        "LOAD_JOBS": str(jobs),
        "LOAD_MAILDIR": str(maildir),
        "LOAD_STATS": str(out),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(max(1, users // 10)), "--run-time", f"{duration}s",
        "--stop-timeout", "90", "--host", f"http://127.0.0.1:{port}", "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


ALONE = {  # what one client alone measures first, for each page: the baseline of the same run
    "/": "/",
    "/events": "/events",
    "/events/[id]": "/events/{event}",
    "/events/[id]/register": "/events/{event}/register",
    "/jobs": "/jobs",
    "/jobs?q=…&town=…": "/jobs?q=Pflege&town=senftenberg",
    "/jobs/[id]": "/jobs/7",
    "/jobs?page=…": "/jobs?page=3",
}


def alone(port: int, event: int, rounds: int = 15) -> dict[str, float]:
    """The median milliseconds of each page for one client alone, pages taken in turns."""
    times: dict[str, list[float]] = {name: [] for name in ALONE}
    for _ in range(rounds):
        for name, path in ALONE.items():
            started = time.perf_counter()
            status = request(port, "GET", path.format(event=event))[0]
            times[name].append((time.perf_counter() - started) * 1000)
            assert status == 200, (path, status)
    return {name: statistics.median(values) for name, values in times.items()}


def print_table(figures: dict[str, dict[str, float]], baseline: dict[str, float]) -> None:
    print(f"{'page':30} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
          f" {'alone ms':>8} {'p50/alone':>9}")  # fmt: skip
    order = [*ALONE, SUBMIT, "/events/[id]/register/sent", "MAIL confirmation request", "/confirm/[token]", CONFIRM]
    for name, row in sorted(
        figures.items(), key=lambda item: [*order, item[0]].index(item[0]) if item[0] != "Aggregated" else 99
    ):
        line = (f"{name:30} {row['requests']:>8} {row['failures']:>6} {row['p50']:>7.0f} {row['p95']:>7.0f}"
                f" {row['p99']:>7.0f} {row['max']:>7.0f}")  # fmt: skip
        if name in baseline:
            line += f" {baseline[name]:>8.1f} {row['p50'] / baseline[name]:>9.1f}"
        print(line)


def successes(figures: dict[str, dict[str, float]], name: str) -> int:
    row = figures.get(name)
    return int(row["requests"] - row["failures"]) if row else 0


def check_database(url: str, events: list[int], submitted: int, confirmed: int) -> list[str]:
    """Registrations against submissions, seats against capacity, outbox against nothing yet (see check_mail)."""
    problems = []
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r.event_id, r.status, r.companions, r.waitlist_position, r.confirmed_at IS NOT NULL, e.capacity"
                " FROM registrations r JOIN events e ON e.id = r.event_id JOIN returnee_profiles p"
                " ON p.id = r.profile_id WHERE p.email LIKE '%@load.example'"
            )
        ).all()
    engine.dispose()
    if len(rows) != submitted:
        problems.append(f"{len(rows)} registrations in the database, {submitted} successful submissions")
    if sum(1 for row in rows if row[4]) != confirmed:
        problems.append(f"{sum(1 for row in rows if row[4])} registrations confirmed, {confirmed} confirmations")
    for event_id in events:
        mine = [row for row in rows if row[0] == event_id]
        if mine:
            problems += seat_problems(f"event {event_id}", mine[0][5], [(row[1], row[2], row[3]) for row in mine])
    return problems


def check_mail(url: str, received: list[str]) -> list[str]:
    """Every outbox mail sent and received once; one confirmation request per registration, one answer per
    confirmation."""
    engine = create_engine(url)
    with engine.connect() as connection:
        outbox = connection.execute(
            text(
                "SELECT message_id, recipient, kind, status FROM outbox_messages WHERE recipient LIKE '%@load.example'"
            )
        ).all()
        registrations = connection.execute(
            text(
                "SELECT count(*), count(r.confirmed_at) FROM registrations r JOIN returnee_profiles p"
                " ON p.id = r.profile_id WHERE p.email LIKE '%@load.example'"
            )
        ).one()
    engine.dispose()
    problems = delivery_problems([tuple(row) for row in outbox], received)
    kinds = Counter(row[2] for row in outbox)
    answers = kinds["registration.confirmed"] + kinds["registration.waiting_confirmed"]
    if kinds["registration.confirm_request"] != registrations[0]:
        problems.append(
            f"{kinds['registration.confirm_request']} confirmation requests, {registrations[0]} registrations"
        )
    if answers != registrations[1]:
        problems.append(f"{answers} answers to confirmations, {registrations[1]} confirmed registrations")
    per_recipient = Counter((row[1], row[2]) for row in outbox)
    print(f"mails:          {len(outbox)} in the outbox ({dict(kinds)}), {len(received)} arrived, "
          f"{len(per_recipient)} recipient/kind pairs")  # fmt: skip
    return problems


def main() -> int:
    """Run the load; print the figures and the checks; 1 when a check failed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--jobs", type=int, default=2000, help="vacancies on the board")
    parser.add_argument("--server", default=PG, help="a PostgreSQL URL whose user may create databases")
    parser.add_argument("--database", default="rk_load_run", help="the scratch database (dropped and created)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    args = parser.parse_args()

    with scratch_database(args.database, args.server, args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        maildir = Path(tmp) / "mail"
        maildir.mkdir()
        holder: dict[str, list[int]] = {}
        prepare(url, lambda: holder.update(events=seed(args.jobs)))
        events = holder["events"]
        with running(url, workers=args.workers, redis_url=args.redis, maildir=maildir) as stack:
            print(f"load:           {args.users} users, {args.duration} s, gunicorn ({args.workers} workers), "
                  f"PostgreSQL, Redis, a Celery worker; events {events}")  # fmt: skip
            baseline = alone(stack.port, events[-1])
            out = Path(tmp) / "locust.json"
            code = locust(stack.port, args.users, args.duration, events, args.jobs, maildir, out)
            stack.sink.settle(quiet=5)
            received = [message.message_id for message in stack.sink.messages]
        result = json.loads(out.read_text())
        figures = result["figures"]
        print_table(figures, baseline)
        total = figures["Aggregated"]
        print(f"throughput:     {total['rps']:.1f} requests/s over the run")
        submitted, confirmed = successes(figures, SUBMIT), successes(figures, CONFIRM)
        print(f"registrations:  {submitted} submitted, {confirmed} confirmed")
        problems = [f"Locust: {error}" for error in result["errors"][:10]]
        if total["failures"] or code:
            problems.append(f"{total['failures']} errors (Locust exited {code})")
        problems += check_database(url, events, submitted, confirmed)
        problems += check_mail(url, received)
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
