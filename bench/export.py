"""Benchmark: 100,000 registrations exported as CSV and XLSX through the app's export path, against plain ``csv``
and openpyxl write-only over the same rows (the same SQL, written as they come), in one run.

Prints the throughput of each, the app's as a share of the plain one by the wall clock and by CPU time (goal: at
least 50 %), and the peak memory
of the process while it exports (goal: under 150 MB). Each export runs in a forked child whose peak resident
size is reset first (``/proc/self/clear_refs``), so one export's peak is not another's.

Run: ``.venv/bin/python -m bench.export`` (a temporary SQLite database) or with ``DATABASE_URL=postgresql://…``
pointing at an empty scratch database.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("APP_ENV", "test")

from flask import Flask
from flask_babel import force_locale
from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import select

from rueckkehr import create_app
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.exports import operations
from rueckkehr.exports.columns import COLUMNS
from rueckkehr.exports.queries import ExportRequest, Format, Purpose
from rueckkehr.extensions import db
from rueckkehr.places.models import Town, Venue
from rueckkehr.registrations.models import Registration, sort_names
from rueckkehr.returnees.models import Consent, ReturneeProfile

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "100000"))
CHUNK = 10_000
GROUPS = ["81", "43", "26", "52", "73", "84", "29", "62"]
INTERESTS = ["housing", "childcare", "partner_job", "business", "advice"]
EXPORTED = [key for key in COLUMNS if key != "wished_towns"]


def fill(count: int) -> int:
    """One event with ``count`` confirmed registrations that consented to take part, inserted in chunks."""
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
    db.session.add(event)
    db.session.flush()
    rng = random.Random(13)
    now = datetime.now(UTC)
    for first in range(1, count + 1, CHUNK):
        numbers = range(first, min(count, first + CHUNK - 1) + 1)
        people = [
            {
                "id": number,
                "email": f"person{number}@example.org",
                "language": "de",
                "first_name": rng.choice(["Änne", "Jonas", "Lea", "Jörg", "Mia", "=Ben"]),
                "last_name": f"Müller{number:06}",
                "phone": f"+49357{number:08}",  # each its own: formatting is not cached away
                "postal_code": "01968",
                "city": rng.choice(["Berlin", "Dresden", "Oslo", "Wien", "Leipzig"]),
                "country": "DE",
                "hometown_id": rng.choice(towns).id if number % 7 else None,
                "occupation_group_code": rng.choice(GROUPS),
                "skill_level": rng.randint(1, 4),
                "working_times": ["full_time", "part_time"],
                "interests": rng.sample(INTERESTS, rng.randint(0, 3)),
                "reason": "Familie; Heimat" if number % 3 else None,
                "link_key": f"k{number}",
                "link_generation": 0,
                "created_at": now,
                "updated_at": now,
            }
            for number in numbers
        ]
        db.session.execute(ReturneeProfile.__table__.insert(), people)
        names = {person["id"]: sort_names(first=person["first_name"], last=person["last_name"]) for person in people}
        db.session.execute(
            Registration.__table__.insert(),
            [
                {
                    "id": number,
                    "profile_id": number,
                    "event_id": event.id,
                    "status": "confirmed",
                    "sort_last_name": names[number][0],
                    "sort_first_name": names[number][1],
                    "companions": rng.randint(0, 2),
                    "submission": {},
                    "confirm_nonce": "",
                    "uid": f"bench-{number}",
                    "sequence": 0,
                    "walk_in": False,
                    "created_at": now - timedelta(minutes=number),
                    "confirmed_at": now,
                }
                for number in numbers
            ],
        )
        db.session.execute(
            Consent.__table__.insert(),
            [
                {
                    "profile_id": number,
                    "registration_id": number,
                    "purpose": "participation",
                    "method": "online",
                    "text_version": "bench",
                    "given_at": now,
                    "confirmed_at": now,
                }
                for number in numbers
            ],
        )
    db.session.commit()
    return event.id


def export_request(event_id: int, file_format: Format) -> ExportRequest:
    """Every column but the wished towns (no profile of the bench has any), of the one event."""
    return ExportRequest(
        scope="event",
        scope_id=event_id,
        event_ids=[event_id],
        filters={},
        columns=EXPORTED,
        purpose=Purpose.EVENT,
        file_format=file_format,
        title="Rückkehrertag",
    )


def app_csv(event_id: int, target: Path) -> int:
    """The app's path: the streamed response body of a CSV export, chunk by chunk, to a file."""
    rows = 0
    with target.open("wb") as output:
        for chunk in operations.csv_stream(export_request(event_id, Format.CSV)):
            rows += chunk.count(b"\r\n")
            output.write(chunk)
    db.session.rollback()  # the audit entry
    return rows - 1


def app_xlsx(event_id: int, target: Path) -> int:
    """The app's path: the XLSX writer of exports."""
    return operations.write_file(export_request(event_id, Format.XLSX), target)


def _plain_rows(event_id: int) -> object:
    """The export's rows as the app reads them: the same SQL, batches and connection settings."""
    for partition in operations.batches(export_request(event_id, Format.CSV)):
        yield from partition


def raw_csv(event_id: int, target: Path) -> int:
    """The baseline: the same SQL, each row's values written as they are by ``csv``."""
    rows = 0
    with target.open("w", newline="", encoding="utf-8-sig") as output:
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(EXPORTED)
        for row in _plain_rows(event_id):
            writer.writerow(row)
            rows += 1
    return rows


def _plain(value: object) -> object:
    """What openpyxl takes as it is: lists joined, times without their zone (it refuses zones), enums as text."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value if value is None or isinstance(value, (int, float, str)) else str(value)


def raw_xlsx(event_id: int, target: Path) -> int:
    """The baseline: the same SQL, each row's values appended by openpyxl write-only."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    sheet.append(EXPORTED)
    rows = 0
    for row in _plain_rows(event_id):
        sheet.append([_plain(value) for value in row])
        rows += 1
    workbook.save(target)
    return rows


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(app: Flask, function: Callable[[int, Path], int], event_id: int, target: Path, out: object) -> None:
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak resident size to the present one
    with app.app_context(), force_locale("de"):
        db.engine.dispose(close=False)  # the parent's connections stay the parent's
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = function(event_id, target)
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    out.send((rows, seconds, cpu, _peak_mb()))  # type: ignore[attr-defined]


def measure(
    app: Flask, function: Callable[[int, Path], int], event_id: int, folder: Path
) -> tuple[int, float, float, float]:
    """Rows, wall-clock seconds, CPU seconds and peak memory (MB) of one export, in a forked child.

    The CPU seconds are the child's own (on SQLite the database works in it too): on a machine that other work
    keeps busy they vary far less than the wall clock, which counts the waits for a core.
    """
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(app, function, event_id, folder / function.__name__, sending))
    process.start()
    sending.close()
    try:
        result: tuple[int, float, float, float] = receiving.recv()
    except EOFError:
        raise SystemExit(f"{function.__name__} failed (exit code {process.join() or process.exitcode})") from None
    process.join()
    return result


def _fill_child(app: Flask, out: object) -> None:
    with app.app_context():
        db.engine.dispose(close=False)
        upgrade()
        started = time.perf_counter()
        event_id = fill(REGISTRATIONS)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    out.send((event_id, seconds))  # type: ignore[attr-defined]


def filled(app: Flask) -> int:
    """Build the schema and fill it in a forked child: the 100,000 rows it builds in Python are never in the
    memory of the process that forks the exports (each export's peak is what the export and the app take)."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_fill_child, args=(app, sending))
    process.start()
    sending.close()
    try:
        event_id, seconds = receiving.recv()
    except EOFError:
        raise SystemExit(f"filling failed (exit code {process.join() or process.exitcode})") from None
    process.join()
    with app.app_context():
        print(f"filled {REGISTRATIONS} registrations in {seconds:.1f} s on {db.engine.dialect.name}")
        db.engine.dispose()
    return int(event_id)


def main() -> None:
    """Fill the database, run the four exports, print throughput ratios and peak memory."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://bench.test"})
    folder = Path(tempfile.mkdtemp())
    event_id = filled(app)
    print(f"{len(EXPORTED)} columns; the process that forks each export holds {_resident_mb():.0f} MB before it")
    for kind, app_path, baseline in (("CSV", app_csv, raw_csv), ("XLSX", app_xlsx, raw_xlsx)):
        app_rows, app_seconds, app_cpu, app_peak = measure(app, app_path, event_id, folder)
        raw_rows, raw_seconds, raw_cpu, raw_peak = measure(app, baseline, event_id, folder)
        assert app_rows == raw_rows == REGISTRATIONS, (app_rows, raw_rows)
        app_rate, raw_rate = app_rows / app_seconds, raw_rows / raw_seconds
        size = (folder / app_path.__name__).stat().st_size / 1024 / 1024
        print(
            f"{kind}: app {app_rate:,.0f} rows/s ({app_seconds:.1f} s wall, {app_cpu:.1f} s CPU, {size:.1f} MB file, "
            f"peak {app_peak:.0f} MB); plain {raw_rate:,.0f} rows/s ({raw_seconds:.1f} s wall, {raw_cpu:.1f} s CPU, "
            f"peak {raw_peak:.0f} MB); throughput ratio {app_rate / raw_rate:.0%} wall, {raw_cpu / app_cpu:.0%} CPU "
            f"(goal >= 50 %); peak memory {'within' if app_peak < 150 else 'OVER'} 150 MB"
        )


if __name__ == "__main__":
    main()
