"""Exports of an event's or a series' registrations: the rows the list's filters and the purpose's consent allow,
streamed as CSV, XLSX or a printable list (the rows: ``queries``; the named presets: ``presets``); large exports made
in the background.

Every export writes one audit entry (who, which event or series, which columns, how many rows). A search text of
the filter may be a name, so it goes into the entry's personal part, which retention blanks.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Row, and_, delete, select

from .. import background
from ..actors import Actor, ActorKind, acting_as
from ..audit.operations import record
from ..dates import utcnow
from ..events.models import Event, EventSeries
from ..extensions import db
from ..spreadsheets import Cell, csv_batches, write_xlsx
from ..transactions import unit_of_work
from . import notifications
from .columns import Column, Lookups, NotCoveredError, chosen, covered, not_covered
from .models import ExportJob, ExportStatus
from .queries import ExportRequest, Format, Purpose, _wished_towns, count_rows, export_statement, small_page_cache

BATCH = 1000


def batches(request: ExportRequest) -> Iterator[Sequence[Row[Any]]]:
    """The export's rows, ``BATCH`` at a time (a server-side cursor on PostgreSQL), in constant memory."""
    with small_page_cache():
        yield from db.session.execute(export_statement(request).execution_options(yield_per=BATCH)).partitions()


def plain_batches(request: ExportRequest, lookups: Lookups, columns: list[Column]) -> Iterator[list[Any]]:
    """The rows as named tuples, batch by batch (with the batch's wished towns in ``lookups`` when a column shows
    them): the columns read a row by name some thirty times, and a named tuple answers that in a tenth of the time
    an SQLAlchemy row takes."""
    wants_towns = any(column.key == "wished_towns" for column in columns)
    plain: Any = namedtuple("ExportRow", export_statement(request).selected_columns.keys(), rename=True)  # type: ignore[misc]
    make = plain._make
    for partition in batches(request):
        rows: list[Any] = list(map(make, partition))
        if wants_towns:
            lookups.wished_towns = _wished_towns([row.profile_id for row in rows])
        yield rows


def cells(request: ExportRequest, columns: list[Column], lookups: Lookups) -> Iterator[list[Cell]]:
    """The cells of every row, batch by batch; memory holds one batch, never the whole export."""
    for rows in plain_batches(request, lookups, columns):
        for row in rows:
            yield [column.read(row, lookups) for column in columns]


def csv_rows(request: ExportRequest, columns: list[Column], lookups: Lookups) -> Iterator[list[list[str]]]:
    """The rows as CSV text, batch by batch: each cell read, formatted and neutralised by one call that each
    column prepares once (``Column.csv_cell``), rather than a reading and a formatting call per cell."""
    writers = [column.csv_cell(lookups) for column in columns]
    for rows in plain_batches(request, lookups, columns):
        yield [[write(row) for write in writers] for row in rows]


def header_of(columns: list[Column]) -> list[str]:
    """The headings in the current language."""
    return [str(column.label) for column in columns]


def columns_of(request: ExportRequest) -> list[Column]:
    """The export's columns, when the consent of its purpose covers them (else ``NotCoveredError``): a list for
    employers holds only the profile the pool's consent names, and is never the door list, which names everyone."""
    if request.purpose == Purpose.EMPLOYERS and request.file_format == Format.PRINT:
        raise NotCoveredError("the door list names everyone; it is not made for employers")
    return covered(request.columns, request.purpose)


def audit_export(request: ExportRequest, rows: int) -> None:
    """The audit entry of an export: who (the actor), which event or series, which columns, how many rows."""
    query = request.filters.get("q")
    record(
        "export.made",
        object_type="event" if request.scope == "event" else "event_series",
        object_id=request.scope_id,
        town_id=request.town_id,
        changes={
            "format": request.file_format.value,
            "purpose": request.purpose.value,
            "columns": [column.key for column in chosen(request.columns)],
            "rows": rows,
            "filters": {key: value for key, value in request.filters.items() if key != "q"},
        },
        personal={"search": query} if query else None,
    )


def csv_stream(request: ExportRequest) -> Iterator[bytes]:
    """The CSV of an export, chunk by chunk; its audit entry is written when the count is known (before the body)."""
    columns = columns_of(request)
    audit_export(request, count_rows(request))
    return csv_batches(header_of(columns), csv_rows(request, columns, Lookups.load()))


def write_file(request: ExportRequest, target: Path | Any, progress: Any = None) -> int:
    """Write an export as CSV or XLSX to ``target`` (a path or a binary file); return how many rows."""
    columns = columns_of(request)
    if request.file_format == Format.XLSX:
        rows = cells(request, columns, Lookups.load())
        if progress is not None:
            rows = progress(rows)
        return write_xlsx(target, request.title, header_of(columns), rows)
    batches_ = csv_rows(request, columns, Lookups.load())
    if progress is not None:  # the reporter counts rows as they pass
        batches_ = _batched(progress(row for batch in batches_ for row in batch))
    count = 0

    def counted() -> Iterator[list[list[str]]]:
        nonlocal count
        for batch in batches_:
            count += len(batch)
            yield batch

    with open(target, "wb") if isinstance(target, (str, Path)) else _kept_open(target) as output:
        for chunk in csv_batches(header_of(columns), counted()):
            output.write(chunk)
    return count


def _batched(rows: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _kept_open:
    def __init__(self, target: Any) -> None:
        self.target = target

    def __enter__(self) -> Any:
        return self.target

    def __exit__(self, *exc: object) -> None:
        return None


# Background exports


def export_folder() -> Path:
    """Where finished background exports wait for their download: ``instance/exports`` unless configured."""
    base = current_app.config.get("EXPORT_FOLDER") or Path(current_app.instance_path) / "exports"
    return Path(base)


def start_background_export(request: ExportRequest, user_id: int, rows: int) -> ExportJob:
    """Queue an export too large for the request; it starts once the request has committed."""
    job = ExportJob(
        user_id=user_id,
        town_id=request.town_id,
        scope=request.scope,
        scope_id=request.scope_id,
        event_ids=request.event_ids,
        filters=request.filters,
        columns=[column.key for column in columns_of(request)],
        file_format=request.file_format.value,
        purpose=request.purpose.value,
        rows_total=rows,
    )
    db.session.add(job)
    db.session.flush()
    background.submit("exports.make", job.id)
    return job


def request_of(job: ExportJob) -> ExportRequest:
    """What a background job exports (named, as in the request, after its event or series)."""
    subject: Event | EventSeries | None = (
        db.session.get(Event, job.scope_id) if job.scope == "event" else db.session.get(EventSeries, job.scope_id)
    )
    return ExportRequest(
        scope=job.scope,
        scope_id=job.scope_id,
        event_ids=list(job.event_ids),
        filters=dict(job.filters),
        columns=list(job.columns),
        purpose=Purpose(job.purpose),
        file_format=Format(job.file_format),
        town_id=job.town_id,
        title=subject.title if subject is not None else "Export",
    )


def _progress_reporter(job_id: int) -> Any:
    """Count rows as they pass and note the count every few thousand (in its own short transaction)."""
    from sqlalchemy import update

    def report(rows: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
        for done, row in enumerate(rows, start=1):
            if done % BATCH == 0:
                with db.engine.begin() as connection:
                    connection.execute(update(ExportJob).where(ExportJob.id == job_id).values(rows_done=done))
            yield row

    return report


@background.task("exports.make")
def make_export(job_id: int) -> None:
    """Make a background export's file, note its progress, and tell the organizer by mail when it is ready."""
    from ..accounts.models import User

    with unit_of_work():
        job = db.session.get(ExportJob, job_id)
        if job is None or job.status != ExportStatus.QUEUED:
            return
        if not_covered(job.columns, job.purpose):  # queued before lists for employers were held to their consent
            job.status = ExportStatus.FAILED
            return
        job.status = ExportStatus.RUNNING
    user = db.session.get(User, job.user_id)
    request = request_of(job)
    folder = export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"export-{job.id}-{job.token[:8]}.{job.file_format}"
    language = user.language if user else "de"
    try:
        with force_locale(language):
            rows = write_file(request, folder / filename, _progress_reporter(job_id))
        db.session.rollback()  # it only read
    except Exception:
        db.session.rollback()
        with unit_of_work():
            failed = db.session.get(ExportJob, job_id)
            if failed is not None:
                failed.status = ExportStatus.FAILED
        raise
    with unit_of_work(), acting_as(Actor(ActorKind.USER, label="organizer", user_id=job.user_id)):
        job = db.session.get(ExportJob, job_id)
        if job is None:  # removed meanwhile
            return
        now = utcnow()
        job.status = ExportStatus.DONE
        job.rows_total = job.rows_done = rows
        job.filename = filename
        job.finished_at = now
        job.expires_at = now + timedelta(hours=current_app.config["EXPORT_LINK_HOURS"])
        audit_export(request, rows)
        if user is not None:
            notifications.export_ready(user, job)


def file_of(job: ExportJob, now: datetime | None = None) -> Path | None:
    """The finished file of a job while its link works, else None."""
    if job.status != ExportStatus.DONE or job.filename is None or job.expires_at is None:
        return None
    if job.expires_at <= (now or utcnow()):
        return None
    path = export_folder() / job.filename
    return path if path.is_file() else None


def forget_expired_exports(now: datetime | None = None) -> int:
    """Delete the files and rows of background exports whose link has expired (a periodic job); return how many."""
    now = now or utcnow()
    old = and_(ExportJob.expires_at.is_not(None), ExportJob.expires_at <= now)
    stale = and_(ExportJob.expires_at.is_(None), ExportJob.created_at <= now - timedelta(days=2))
    jobs = list(db.session.scalars(select(ExportJob).where(old | stale)))
    for job in jobs:
        if job.filename:
            (export_folder() / job.filename).unlink(missing_ok=True)
    if jobs:
        db.session.execute(delete(ExportJob).where(ExportJob.id.in_([job.id for job in jobs])))
    return len(jobs)
