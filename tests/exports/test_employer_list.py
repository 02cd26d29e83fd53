"""A list for employers holds what the consent to the employer pool names, and nothing else: the profile without
name and contact details (field, level, wished towns, earliest return). Any other column is refused beside the
columns, for an export, a saved preset and a background export alike; the door list, which names everyone, is not
made for employers."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr import background
from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.exports import operations, presets
from rueckkehr.exports.columns import NotCoveredError
from rueckkehr.exports.models import ExportJob, ExportPreset, ExportStatus
from rueckkehr.exports.queries import ExportRequest, Format, Purpose
from rueckkehr.extensions import db
from rueckkehr.transactions import unit_of_work
from tests.exports.test_exports import export, read_csv_as_excel
from tests.support.pages import visible_text

PROFILE = ["occupation_group", "skill_level", "wished_towns", "earliest_return"]
REFUSED_DE = (
    "Die Einwilligung zur Weitergabe an Arbeitgeber deckt nur das Profil ohne Namen und Kontaktdaten: Berufsfeld, "
    "Anforderungsniveau, Gewünschte Städte, Frühestmögliche Rückkehr. Bitte wählen Sie diese Spalten ab: "
)
REFUSED_EN = (
    "The consent to passing on to employers covers only the profile without name and contact details: Occupational "
    "field, Skill level, Towns wished for, Earliest possible return. Please untick these columns: "
)


def _error_beside(response: object, field: str) -> str:
    """The error shown beside a field (its ``<p id="…-error">``), as a person reads it."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    start = html.index(f'id="{field}-error"')
    text = html[start : html.index("</p>", start)].split(">", 1)[1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def _exports_made() -> int:
    db.session.rollback()  # a fresh look at what the requests committed
    return int(db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.verb == "export.made")) or 0)


@pytest.fixture
def pool_member(make_event: Callable, register: Callable, town: Callable) -> int:
    """An event with one person in the employer pool (and one who only takes part); its id."""
    event = make_event()
    register(
        event,
        "Arbeitgeber",
        employer_pool=True,
        phone="+4935731234567",
        reason="Familie",
        occupation_group_code="81",
        skill_level=2,
        earliest_return="2027-06",
        wished_towns=[town("lauchhammer"), town("senftenberg")],
    )
    register(event, "Teilnahme", occupation_group_code="26")
    return int(event.id)


def test_a_list_for_employers_holds_the_profile_the_pool_consent_names(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, pool_member: int
) -> None:
    staff_login(client, make_staff())
    path = f"/organizer/events/{pool_member}/export"
    assert (
        "Eine Liste für Arbeitgeber enthält, wie die Einwilligung es sagt, nur das Profil ohne Namen und Kontaktdaten: "
        "Berufsfeld, Anforderungsniveau, Gewünschte Städte und Frühestmögliche Rückkehr."
    ) in visible_text(client.get(path)), "the form says so before anyone chooses"
    response = export(client, path, PROFILE, purpose="employers")
    assert response.status_code == 200
    rows = read_csv_as_excel(response.data)
    assert rows[0] == ["Berufsfeld", "Anforderungsniveau", "Gewünschte Städte", "Frühestmögliche Rückkehr"]
    assert len(rows) == 2 and rows[1][2:] == ["Lauchhammer, Senftenberg", "2027-06"], "only the one in the pool"
    assert rows[1][0].startswith("81 ") and rows[1][1]
    workbook = export(client, path, PROFILE, purpose="employers", file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    assert [row[2:] for row in sheet.iter_rows(values_only=True)][1:] == [("Lauchhammer, Senftenberg", "2027-06")]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_name_or_contact_column_in_a_list_for_employers_is_refused_beside_the_columns(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, pool_member: int, file_format: str
) -> None:
    staff_login(client, make_staff())
    path = f"/organizer/events/{pool_member}/export"
    columns = ["occupation_group", "last_name", "email", "phone", "city", "reason"]
    response = export(client, path, columns, purpose="employers", file_format=file_format)
    assert response.status_code == 422
    assert not response.headers.get("Content-Disposition"), "no file"
    refused = "Nachname, E-Mail-Adresse, Telefon, Wohnort, Grund für die Rückkehr."
    assert _error_beside(response, "columns") == REFUSED_DE + refused
    english = export(client, f"{path}?lang=en", ["last_name", "skill_level"], purpose="employers")
    assert english.status_code == 422
    assert _error_beside(english, "columns") == REFUSED_EN + "Last name."
    assert _exports_made() == 0
    kept = export(client, path, columns, file_format=file_format)
    assert kept.status_code == 200, "for running the event every column stays"


def test_the_door_list_is_not_made_for_employers(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, pool_member: int
) -> None:
    staff_login(client, make_staff())
    path = f"/organizer/events/{pool_member}/export"
    response = export(client, path, ["skill_level"], purpose="employers", file_format="print")
    assert response.status_code == 422
    assert "Arbeitgeber," not in visible_text(response), "no name on the page"
    assert _error_beside(response, "file_format") == (
        "Die Liste zum Ausdrucken nennt jeden mit Namen und ist für den Einlass; für die Weitergabe an Arbeitgeber "
        "wählen Sie bitte CSV oder XLSX."
    )
    english = export(client, f"{path}?lang=en", ["skill_level"], purpose="employers", file_format="print")
    assert _error_beside(english, "file_format") == (
        "The printable list names everyone and is meant for the door; for passing on to employers please choose CSV "
        "or XLSX."
    )
    assert _exports_made() == 0


def test_a_preset_for_employers_holds_only_the_profile_and_an_older_one_exports_nothing_else(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, pool_member: int
) -> None:
    staff = make_staff()
    staff_login(client, staff)
    path = f"/organizer/events/{pool_member}/export"
    refused = export(client, path, ["last_name", "phone"], purpose="employers", action="save", preset_name="AG")
    assert refused.status_code == 422
    assert _error_beside(refused, "columns") == REFUSED_DE + "Nachname, Telefon."
    db.session.rollback()
    assert db.session.scalar(select(func.count(ExportPreset.id))) == 0, "nothing saved"
    saved = export(client, path, PROFILE, purpose="employers", action="save", preset_name="AG")
    assert saved.status_code == 303
    with unit_of_work():  # a preset saved before lists for employers were held to the consent
        older = ExportPreset(town_id=staff.towns[0].id, name="Alt", columns=["last_name", "email"], purpose="employers")
        db.session.add(older)
    page = client.get(f"{path}?preset={older.id}")
    assert page.status_code == 200
    response = export(client, f"{path}?preset={older.id}", ["last_name", "email"], purpose="employers")
    assert response.status_code == 422
    assert _error_beside(response, "columns") == REFUSED_DE + "Nachname, E-Mail-Adresse."
    assert _exports_made() == 0


def test_a_large_list_for_employers_is_refused_before_it_goes_to_the_background(
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
    event = make_event()
    for number in range(3):
        register(event, f"Pool{number}", employer_pool=True, skill_level=1)
    organizer = make_staff()
    staff_login(client, organizer)
    path = f"/organizer/events/{event.id}/export"
    response = export(client, path, ["skill_level", "last_name"], purpose="employers", file_format="xlsx")
    assert response.status_code == 422
    assert _error_beside(response, "columns") == REFUSED_DE + "Nachname."
    assert db.session.scalar(select(func.count(ExportJob.id))) == 0
    with unit_of_work():  # queued before lists for employers were held to the consent
        job = ExportJob(
            user_id=organizer.id,
            scope="event",
            scope_id=event.id,
            event_ids=[event.id],
            columns=["skill_level", "last_name"],
            file_format="xlsx",
            purpose="employers",
            rows_total=3,
        )
        db.session.add(job)
    background.run("exports.make", job.id)
    db.session.rollback()
    assert db.session.get(ExportJob, job.id).status == ExportStatus.FAILED
    assert list(tmp_path.iterdir()) == [], "no file was made"
    assert "Der Export ist fehlgeschlagen" in visible_text(client.get(f"/organizer/exports/{job.id}"))
    assert _exports_made() == 0
    queued = export(client, path, ["skill_level"], purpose="employers", file_format="xlsx")
    assert queued.status_code == 303, "the profile alone goes to the background"
    rows = list(openpyxl.load_workbook(next(tmp_path.iterdir())).active.iter_rows(values_only=True))
    assert rows[0] == ("Anforderungsniveau",) and len(rows) == 4


def test_the_operations_refuse_what_the_form_refuses(app: Flask, pool_member: int) -> None:
    request = ExportRequest(
        scope="event",
        scope_id=pool_member,
        event_ids=[pool_member],
        filters={},
        columns=["skill_level", "email"],
        purpose=Purpose.EMPLOYERS,
        file_format=Format.CSV,
    )
    with pytest.raises(NotCoveredError):
        operations.write_file(request, io.BytesIO())
    with pytest.raises(NotCoveredError):
        operations.csv_stream(request)
    with pytest.raises(NotCoveredError):
        operations.columns_of(replace(request, columns=["skill_level"], file_format=Format.PRINT))
    with pytest.raises(NotCoveredError):
        presets.save_preset(None, "AG", ["skill_level", "email"], Purpose.EMPLOYERS, user_id=1)
    db.session.rollback()
    assert [column.key for column in operations.columns_of(replace(request, purpose=Purpose.EVENT))] == [
        "skill_level",
        "email",
    ]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
