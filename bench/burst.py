"""The opening burst: hundreds of sign-ups released at once for one event, against gunicorn on PostgreSQL.

    .venv/bin/python -m bench.burst [--count 300] [--workers 4] [--capacity 200] [--timing] [--app-root DIR]
        [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--database rk_load_burst]
        [--redis redis://127.0.0.1:6379/8]

Builds a database of its own (migrated, the demo data in it, one open event with ``--capacity`` seats), starts
gunicorn (``--workers`` sync workers, production settings, rate limits in Redis) and a Celery worker that delivers
to a loopback SMTP sink. Each of ``--count`` returnees opens the form first (its own session, CSRF token and
address); then all submissions are released at once. Prints p50/p95/max of the submissions and registrations per
second (from the release until the last answer), then checks what must hold whatever the speed:

- every submission was answered 303 and has its row (rows = successful submissions), nothing lost;
- seats exact: seats of unconfirmed and confirmed registrations <= capacity, and no party waits that would fit
  into the seats still free (seats only fill up during the burst, so it would have fitted when it came too);
- every registrant got exactly one confirmation request through the worker (sink against outbox).

``--timing`` runs gunicorn with ``bench/gunicorn_timing.py`` and prints how long each registration held the event's
lock and what the database statements and the commit took of it. Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from bench import cpu
from bench.checks import delivery_problems, report, seat_problems
from bench.stack import ROOT, prepare, request, running, scratch_database
from bench.support import registration_form

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def open_event(capacity: int) -> int:
    """Seed the demo data and make one event open now, without registrations yet, with ``capacity`` seats; its id."""
    from datetime import timedelta

    from sqlalchemy import select

    from rueckkehr.dates import utcnow
    from rueckkehr.demo import seed_demo
    from rueckkehr.events.models import Event, RegistrationState, registration_state
    from rueckkehr.extensions import db
    from rueckkehr.registrations.models import Registration

    seed_demo()
    now = utcnow()
    events = db.session.scalars(select(Event).where(Event.starts_at > now + timedelta(days=7)).order_by(Event.id))
    taken = set(db.session.scalars(select(Registration.event_id)))
    event = next(e for e in events if registration_state(e, now) == RegistrationState.OPEN and e.id not in taken)
    event.capacity = capacity
    return event.id


class Returnee:
    """One person at the form: their session cookie, CSRF token and address, then the answer to their submission."""

    def __init__(self, port: int, event_id: int, number: int) -> None:
        self.port = port
        self.path = f"/events/{event_id}/register"
        self.email = f"burst{number}@example.org"
        self.companions = 1 if number % 3 == 0 else 0
        self.headers = {
            "X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.7",
            "Referer": "https://rueckkehr.test" + self.path,
        }
        self.status = 0
        self.seconds = 0.0
        self.finished = 0.0

    def open_form(self) -> None:
        status, headers, page = request(self.port, "GET", self.path, self.headers)
        assert status == 200, status
        cookies = [value.split(";", 1)[0] for value in headers.get("set-cookie", [])]
        self.headers["Cookie"] = "; ".join(cookies)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "the form has no CSRF token"
        data = {**registration_form(self.email), "companions": str(self.companions), "csrf_token": token.group(1)}
        self.body = urlencode(data, doseq=True)

    def submit(self, start: threading.Event) -> None:
        start.wait()
        began = time.perf_counter()
        try:
            headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
            self.status = request(self.port, "POST", self.path, headers, self.body, timeout=120)[0]
        except OSError as error:
            print(f"  {self.email}: {error}", file=sys.stderr)
        self.finished = time.perf_counter()
        self.seconds = self.finished - began


def baseline(port: int, event_id: int, count: int) -> float:
    """Form pages per second when ``count`` GETs of the registration form are released at once: what the machine
    serves right now without any lock (the same form, the same event lookup), to set the burst against."""
    start = threading.Event()
    finished: list[float] = []

    def get(number: int) -> None:
        start.wait()
        headers = {"X-Forwarded-For": f"10.250.{number // 250 % 250}.{number % 250 + 1}"}
        status = request(port, "GET", f"/events/{event_id}/register", headers, timeout=120)[0]
        assert status == 200, status
        finished.append(time.perf_counter())

    threads = [threading.Thread(target=get, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    released = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    return len(finished) / (max(finished) - released)


def seats_exact(url: str, event_id: int, capacity: int, submitted: int) -> list[str]:
    """What is wrong with the event's registrations, seats and waiting list (nothing: an empty list)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT status, companions, waitlist_position FROM registrations WHERE event_id = :e ORDER BY id"),
            {"e": event_id},
        ).all()
    engine.dispose()
    problems = []
    if len(rows) != submitted:
        problems.append(f"{len(rows)} registrations in the database, {submitted} submissions answered 303")
    return problems + seat_problems("seats", capacity, [tuple(row) for row in rows])


def mails_once(url: str, received: list[str], expected: Counter[str]) -> list[str]:
    """Every outbox mail sent and arrived exactly once (by Message-ID), and each registrant got one confirmation
    request."""
    engine = create_engine(url)
    with engine.connect() as connection:
        outbox = connection.execute(text("SELECT message_id, recipient, kind, status FROM outbox_messages")).all()
    engine.dispose()
    problems = delivery_problems([tuple(row) for row in outbox], received)
    requests = Counter(row[1] for row in outbox if row[2] == "registration.confirm_request")
    if requests != expected:
        problems.append("not every registrant got exactly one confirmation request")
    print(f"mails:          {len(outbox)} in the outbox, {len(received)} arrived at the sink")
    return problems


def lock_timing(directory: Path) -> None:
    """Summarise what the workers wrote about the time they held the event's lock."""
    lines = [json.loads(line) for file in directory.glob("*.jsonl") for line in file.read_text().splitlines()]
    if not lines:
        print("lock timing:    nothing recorded")
        return
    held = [line["held"] * 1000 for line in lines]
    sql = [line["sql"] * 1000 for line in lines]
    commit = [line["commit"] * 1000 for line in lines]
    waited = [line["waited"] * 1000 for line in lines]
    print(f"lock held:      mean {statistics.mean(held):6.1f} ms, p50 {percentile(held, 0.5):6.1f}, "
          f"p95 {percentile(held, 0.95):6.1f} ({len(lines)} units)")  # fmt: skip
    between = statistics.mean(held) - statistics.mean(sql) - statistics.mean(commit)
    print(f"  of it:        statements {statistics.mean(sql):6.1f} ms, Python between them {between:6.1f} ms, "
          f"last statement to committed {statistics.mean(commit):5.1f} ms")  # fmt: skip
    print(f"  wait for it:  mean {statistics.mean(waited):6.1f} ms, max {max(waited):6.1f}")
    totals: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for line in lines:
        for shape, seconds in line["statements"].items():
            totals[shape] += seconds * 1000 / len(lines)
            counts[shape] += 1
    for shape, ms in totals.most_common(8):
        print(f"    {shape:28} {ms:6.2f} ms per registration")


def main() -> int:
    """Run the burst; print the figures and the checks; 1 when a check failed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--capacity", type=int, default=200)
    parser.add_argument("--server", default=PG, help="a PostgreSQL URL whose user may create databases")
    parser.add_argument("--database", default="rk_load_burst", help="the scratch database (dropped and created)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument(
        "--app-root", type=Path, default=ROOT, help="run the app of this checkout (e.g. one before a change)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--timing", action="store_true", help="time the work done under the event's lock")
    args = parser.parse_args()

    with scratch_database(args.database, args.server, args.keep) as url, tempfile.TemporaryDirectory() as timing:
        holder: dict[str, int] = {}
        prepare(url, lambda: holder.update(event=open_event(args.capacity)))
        event_id = holder["event"]
        config = str(ROOT / "bench" / "gunicorn_timing.py") if args.timing else "gunicorn.conf.py"
        with running(url, workers=args.workers, redis_url=args.redis, gunicorn_config=config, root=args.app_root,
                     BURST_TIMING_DIR=timing) as stack:  # fmt: skip
            form_rate = baseline(stack.port, event_id, args.count)
            returnees = [Returnee(stack.port, event_id, number) for number in range(args.count)]
            for returnee in returnees:
                returnee.open_form()
            for file in Path(timing).glob("*.jsonl"):
                file.unlink()
            start = threading.Event()
            threads = [threading.Thread(target=r.submit, args=(start,)) for r in returnees]
            for thread in threads:
                thread.start()
            time.sleep(0.5)  # every thread waits at the line
            before = cpu.reading()
            released = time.perf_counter()
            start.set()
            for thread in threads:
                thread.join()
            during = cpu.spent(before, cpu.reading())
            elapsed = max(r.finished for r in returnees) - released
            ok = [r for r in returnees if r.status == 303]
            seconds = [r.seconds for r in returnees]
            print(f"burst:          {args.count} sign-ups released at once, gunicorn {args.workers} workers, "
                  f"PostgreSQL, capacity {args.capacity}")  # fmt: skip
            others = dict(Counter(r.status for r in returnees if r.status != 303))
            print(f"answered 303:   {len(ok)} of {args.count}" + (f" (others: {others})" if others else ""))
            print(f"latency:        p50 {percentile(seconds, 0.5):.2f} s, p95 {percentile(seconds, 0.95):.2f} s, "
                  f"max {max(seconds):.2f} s")  # fmt: skip
            print(
                f"throughput:     {len(ok) / elapsed:.1f} registrations/s ({elapsed:.2f} s from release to last answer)"
            )
            print(f"baseline:       {form_rate:.1f} form pages/s for {args.count} GETs released at once (same run)")
            print(f"ratio:          {len(ok) / elapsed / form_rate:.3f} (registrations/s ÷ form pages/s)")
            print(f"CPU ms per sign-up, release to last answer: {cpu.describe(during, args.count)}")
            problems = [f"{args.count - len(ok)} submissions not answered 303"] if len(ok) != args.count else []
            problems += seats_exact(url, event_id, args.capacity, len(ok))
            stack.sink.wait_for(len(ok), timeout=120)
            stack.sink.settle()
            expected = Counter(r.email for r in ok)
            problems += mails_once(url, [m.message_id for m in stack.sink.messages], expected)
            if args.timing:
                lock_timing(Path(timing))
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
