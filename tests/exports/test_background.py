"""A large export runs in the background: a progress bar, a mail to the organizer in their language through the
outbox when it is ready, a download link that works for its owner only and expires."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.dates import utcnow
from rueckkehr.exports import operations
from rueckkehr.exports.models import ExportJob, ExportStatus
from rueckkehr.extensions import db
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer


@pytest.fixture
def small_threshold(app: Flask, tmp_path: Path) -> Path:
    """Exports of more than three rows go to the background; files land in a temporary folder."""
    app.config["EXPORT_BACKGROUND_ROWS"] = 3
    app.config["EXPORT_FOLDER"] = str(tmp_path)
    return tmp_path


def test_a_large_export_runs_in_the_background_with_progress_a_mail_and_an_expiring_link(
    app: Flask,
    client: FlaskClient,
    small_threshold: Path,
    smtp: SMTPServer,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(operations, "BATCH", 2)  # progress is noted every two rows
    noted: list[int] = []
    original = operations._progress_reporter

    def watching(job_id: int) -> Any:
        report = original(job_id)

        def rows(cells: Any) -> Any:
            for row in report(cells):
                noted.append(_rows_done(job_id))
                yield row

        return rows

    monkeypatch.setattr(operations, "_progress_reporter", watching)
    event = make_event(title="Großer Tag")
    for number in range(5):
        register(event, f"Person{number}")
    organizer = make_staff(language="en", email="orga@senftenberg.example")
    staff_login(client, organizer)
    response = client.post(
        f"/organizer/events/{event.id}/export",
        data={"columns": ["last_name", "registered_at"], "purpose": "event", "file_format": "xlsx", "action": "export"},
    )
    assert response.status_code == 303
    job_page = response.location
    assert re.fullmatch(r"/organizer/exports/\d+", job_page)
    assert max(noted) >= 4, "the job noted its progress while it ran"
    page = client.get(job_page)
    text = visible_text(page)
    assert "100 % fertig: 5 von 5 Zeilen" in text
    assert 'value="100"' in page.get_data(as_text=True)
    mail = smtp.wait_for(1)[0]
    assert mail.envelope_to == ["orga@senftenberg.example"]
    assert mail.message["Subject"] == "Your export is ready", "in the organizer's language"
    link = re.search(r"http://rueckkehr\.test(/organizer/exports/\d+)", mail.text_body()).group(1)
    assert link == job_page
    download = client.get(f"{job_page}/download")
    assert download.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(download.data)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["Last name", "Person0", "Person1", "Person2", "Person3", "Person4"], (
        "made in the organizer's language"
    )
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "export.made")).one()
    assert entry.actor_user_id == organizer.id and entry.changes["rows"] == 5
    assert entry.changes["columns"] == ["last_name", "registered_at"]
    colleague = app.test_client()
    staff_login(colleague, make_staff())
    assert colleague.get(job_page).status_code == 404, "the link is the organizer's own"
    assert colleague.get(f"{job_page}/download").status_code == 404
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        expired = client.get(f"{job_page}/download")
        assert expired.status_code == 410
        assert "Der Link ist abgelaufen" in visible_text(expired)
        with unit_of_work():
            assert operations.forget_expired_exports() == 1
    assert list(small_threshold.iterdir()) == [], "the file is gone"


def _rows_done(job_id: int) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(select(ExportJob.rows_done).where(ExportJob.id == job_id)) or 0)


def test_the_progress_bar_of_a_running_export(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    organizer = make_staff()
    with unit_of_work():
        job = ExportJob(
            user_id=organizer.id,
            scope="event",
            scope_id=1,
            file_format="csv",
            purpose="event",
            status=ExportStatus.RUNNING,
            rows_total=5000,
            rows_done=2000,
        )
        db.session.add(job)
    staff_login(client, organizer)
    page = client.get(f"/organizer/exports/{job.id}")
    html = page.get_data(as_text=True)
    assert '<progress id="fortschritt" max="100" value="40" data-running="1">' in html
    assert "40 % fertig: 2000 von 5000 Zeilen" in visible_text(page)
    assert "export-progress.js" in html
    assert client.get(f"/organizer/exports/{job.id}/download").status_code == 410
