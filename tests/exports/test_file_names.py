"""What an export is called: the XLSX sheet is named after the event as far as Excel allows a sheet name, and the
download carries the date of the day in Berlin."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.spreadsheets import sheet_title
from tests.exports.test_exports import export, read_csv_as_excel


@pytest.mark.parametrize(
    ("title", "sheet"),
    [
        ("27./28.12.: Lauchhammer [Aula]", "27.-28.12. Lauchhammer (Aula)"),
        ("Wer kommt zurück? Rückkehrer*innen", "Wer kommt zurück Rückkehrerinne"),
        ("Tag A\\B", "Tag A-B"),
        ("=Rückkehrertag", "=Rückkehrertag"),
        ("'Sommerfest'", "Sommerfest"),
        ("Rückkehrertag in Schwarzheide-'Nord", "Rückkehrertag in Schwarzheide-"),
        ("[?*:]", "()"),
        ("???", "Export"),
    ],
)
def test_the_sheet_is_named_after_the_event_as_excel_allows(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
    title: str,
    sheet: str,
) -> None:
    event = make_event(title=title)
    register(event, "Weiß", first_name="Änne")
    staff_login(client, make_staff())
    response = export(client, f"/organizer/events/{event.id}/export", ["last_name"], file_format="xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [sheet]
    assert [row for row in workbook.active.iter_rows(values_only=True)] == [("Nachname",), ("Weiß",)]


def test_a_sheet_name_never_holds_what_excel_refuses() -> None:
    assert sheet_title("history") == "Export", "Excel keeps the name History for itself"
    assert sheet_title("", fallback="Tabelle") == "Tabelle"
    assert sheet_title("Zeile\x01eins\nzwei") == "Zeileeins zwei"
    assert len(sheet_title("x" * 100)) == 31


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 12, 27, 23, 30, tzinfo=UTC), "2026-12-28"),  # half past midnight in Berlin (winter time)
        (datetime(2026, 7, 14, 22, 15, tzinfo=UTC), "2026-07-15"),  # a quarter past midnight (summer time)
        (datetime(2026, 12, 28, 22, 59, tzinfo=UTC), "2026-12-28"),  # a minute before midnight
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_carries_the_date_of_the_day_in_berlin(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
    now: datetime,
    day: str,
    file_format: str,
) -> None:
    with time_machine.travel(now, tick=False):
        event = make_event()
        register(event, "Muster")
        staff_login(client, make_staff())
        response = export(client, f"/organizer/events/{event.id}/export", ["last_name"], file_format=file_format)
    assert response.status_code == 200
    name = f"anmeldungen-event-{event.id}-{day}.{file_format}"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    if file_format == "csv":
        assert read_csv_as_excel(response.data)[1:] == [["Muster"]]


def test_a_background_xlsx_names_its_sheet_after_the_event_too(
    app: Flask,
    client: FlaskClient,
    tmp_path: Path,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    app.config["EXPORT_BACKGROUND_ROWS"] = 1
    app.config["EXPORT_FOLDER"] = str(tmp_path)
    event = make_event(title="27./28.12.: Lauchhammer [Aula]")
    register(event, "Erste")
    register(event, "Zweite")
    staff_login(client, make_staff())
    response = export(client, f"/organizer/events/{event.id}/export", ["last_name"], file_format="xlsx")
    assert response.status_code == 303, "made in the background"
    download = client.get(f"{response.location}/download")
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(download.data))
    assert workbook.sheetnames == ["27.-28.12. Lauchhammer (Aula)"]
