"""Exports as German Excel reads them: CSV with ``;``, BOM and CRLF, XLSX with typed dates, a frozen header and a
filter; formula cells neutralised; only people whose consent covers the purpose; the list's filters; presets; the
audit entry; the printable door list; another town's event is a 404."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.extensions import db
from rueckkehr.registrations.models import RegistrationStatus
from tests.support.pages import visible_text

ALL = ["last_name", "first_name", "email", "phone", "city", "hometown", "registered_at", "status", "reason"]


def read_csv_as_excel(data: bytes) -> list[list[str]]:
    """As German Excel opens a CSV: UTF-8 only when a BOM says so, ``;`` between cells, CRLF between rows."""
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would read the umlauts as Latin-1"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def export(client: FlaskClient, path: str, columns: list[str], **form: str) -> Any:
    data: dict[str, Any] = {"columns": columns, "purpose": "event", "file_format": "csv", "action": "export", **form}
    return client.post(path, data=data)


def test_csv_reads_back_in_german_excel_with_umlauts_and_neutralised_formulas(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Rückkehrertag Senftenberg")
    register(
        event, "Özdemir", first_name="Jörg", city="München", reason='Heimweh; Familie "nah"', phone="+4935731234567"
    )
    register(event, '=HYPERLINK("http://evil.example")', first_name="+SUM(A1)", city="@evil", reason="-2+3")
    register(event, "Ohne", first_name="Einwilligung", participation=False)
    staff_login(client, make_staff())
    response = export(client, f"/organizer/events/{event.id}/export", ALL)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv_as_excel(response.data)
    assert rows[0] == [
        "Nachname",
        "Vorname",
        "E-Mail-Adresse",
        "Telefon",
        "Wohnort",
        "Früherer Heimatort",
        "Angemeldet am",
        "Stand",
        "Grund für die Rückkehr",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Özdemir", '\'=HYPERLINK("http://evil.example")'}, "the one without consent is left out"
    ozdemir = by_name["Özdemir"]
    assert ozdemir[1] == "Jörg" and ozdemir[4] == "München" and ozdemir[5] == "Senftenberg"
    assert ozdemir[6] == "20.11.2026 10:30", "Berlin time, as German Excel parses a date"
    assert ozdemir[7] == "bestätigt"
    assert ozdemir[8] == 'Heimweh; Familie "nah"', "a ; and quotes inside a cell survive"
    assert ozdemir[3] == "'+49 3573 1234567", "a cell starting with + is neutralised like any other"
    evil = by_name['\'=HYPERLINK("http://evil.example")']
    assert evil[1] == "'+SUM(A1)" and evil[4] == "'@evil" and evil[8] == "'-2+3"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_xlsx_has_typed_dates_a_frozen_header_and_a_filter(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event()
    register(event, "Weiß", first_name="Änne", companions=2)
    register(event, "=cmd|' /C calc'!A0", first_name="Eve")
    staff_login(client, make_staff())
    columns = ["last_name", "first_name", "registered_at", "party_size", "event_starts_at"]
    response = export(client, f"/organizer/events/{event.id}/export", columns, file_format="xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nachname", "Vorname", "Angemeldet am", "Personen", "Beginn der Veranstaltung")
    weiss = next(row for row in rows[1:] if row[0] == "Weiß")
    assert weiss[1] == "Änne"
    assert weiss[2] == datetime(2026, 11, 20, 10, 30), "a real date cell in Berlin time"
    assert weiss[3] == 3, "a real number"
    assert isinstance(weiss[4], datetime)
    assert sheet.cell(row=2, column=3).number_format == "DD.MM.YYYY HH:MM"
    evil = next(row for row in rows[1:] if row[1] == "Eve")
    assert evil[0] == "'=cmd|' /C calc'!A0"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "no formula anywhere"


def test_only_people_whose_consent_covers_the_purpose(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event()
    register(event, "Teilnahme", earliest_return="2027-01")
    register(event, "Arbeitgeber", employer_pool=True, earliest_return="2027-02")
    register(event, "Unbestaetigt", status=RegistrationStatus.UNCONFIRMED, participation=False)
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/export"
    names = [row[0] for row in read_csv_as_excel(export(client, path, ["last_name"]).data)[1:]]
    assert sorted(names) == ["Arbeitgeber", "Teilnahme"]
    employers = export(client, path, ["earliest_return"], purpose="employers")  # for employers: no names
    assert read_csv_as_excel(employers.data)[1:] == [["2027-02"]], "only the one in the employer pool"
    page = visible_text(client.get(f"{path}?purpose=employers"))
    assert "Der Export enthält 2 Anmeldungen" in page


def test_the_filters_of_the_list_apply_and_the_audit_trail_says_who_what_and_how_many(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event()
    register(event, "Senft", hometown="senftenberg")
    register(event, "Finster", hometown="finsterwalde")
    register(event, "Lauch", hometown="lauchhammer")
    register(event, "Warte", hometown="lauchhammer", status=RegistrationStatus.WAITING)
    staff = make_staff()
    staff_login(client, staff)
    listing = client.get(
        f"/organizer/events/{event.id}/registrations?hometown=senftenberg&hometown_op=not&status=confirmed"
    )
    assert f"/organizer/events/{event.id}/export?" in listing.get_data(as_text=True)
    path = f"/organizer/events/{event.id}/export?hometown=senftenberg&hometown_op=not&status=confirmed&q=e"
    rows = read_csv_as_excel(export(client, path, ["last_name", "hometown"]).data)
    assert rows[1:] == [["Finster", "Finsterwalde"], ["Lauch", "Lauchhammer"]], "sorted by name, filtered as the list"
    db.session.rollback()  # a fresh look at what the requests committed
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "export.made")).one()
    assert entry.actor_user_id == staff.id
    assert (entry.object_type, entry.object_id) == ("event", event.id)
    assert entry.changes["columns"] == ["last_name", "hometown"]
    assert entry.changes["rows"] == 2
    assert entry.changes["format"] == "csv" and entry.changes["purpose"] == "event"
    assert entry.changes["filters"] == {"hometown": "senftenberg", "hometown_op": "not", "status": "confirmed"}
    assert entry.personal == {"search": "e"}, "a search text may be a name: it goes where retention blanks it"


def test_a_series_exports_every_event_of_the_organizers_towns(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
    make_venue: Callable,
    town: Callable,
    register: Callable,
) -> None:
    series = make_series("Rückkehrertage 2026")
    first = make_event(series=series, title="Sommer")
    second = make_event(series=series, title="Winter")
    elsewhere = make_event(series=series, venue=make_venue(town=town("finsterwalde"), name="Aula"), title="Fremd")
    register(first, "Erster")
    register(second, "Zweiter")
    register(elsewhere, "Fremder")
    staff_login(client, make_staff())
    response = export(client, f"/organizer/series/{series.id}/export", ["last_name", "event"])
    rows = read_csv_as_excel(response.data)
    assert rows[1:] == [["Erster", "Sommer"], ["Zweiter", "Winter"]]
    db.session.rollback()  # a fresh look at what the requests committed
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "export.made")).one()
    assert (entry.object_type, entry.object_id) == ("event_series", series.id)


def test_named_presets_are_shared_by_the_towns_team_and_not_seen_by_another_town(
    client: FlaskClient,
    app: Any,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    register: Callable,
) -> None:
    event = make_event()
    register(event, "Muster")
    path = f"/organizer/events/{event.id}/export"
    staff_login(client, make_staff())
    refused = client.post(
        path, data={"columns": ["last_name"], "purpose": "event", "file_format": "csv", "action": "save"}
    )
    assert refused.status_code == 422
    assert "Bitte geben Sie der Vorlage einen Namen." in visible_text(refused)
    saved = client.post(
        path,
        data={
            "columns": ["occupation_group", "earliest_return"],
            "purpose": "employers",
            "file_format": "csv",
            "action": "save",
            "preset_name": "Liste für Arbeitgeber",
        },
    )
    assert saved.status_code == 303
    colleague = app.test_client()
    staff_login(colleague, make_staff())
    assert "Vorlage „Liste für Arbeitgeber“ löschen" in visible_text(colleague.get(path))
    db.session.rollback()
    preset_id = db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.verb == "export_preset.saved")).one()
    chosen = colleague.get(f"{path}?preset={preset_id}").get_data(as_text=True)
    ticked = set(re.findall(r'<input checked [^>]*value="([a-z_]+)"', chosen))
    assert ticked == {"occupation_group", "earliest_return", "employers", "csv"}
    other = app.test_client()
    staff_login(other, make_staff(towns=[town("finsterwalde")]))
    assert other.get(path).status_code == 404
    assert other.post(f"/organizer/exports/presets/{preset_id}/delete").status_code == 404
    gone = colleague.post(f"/organizer/exports/presets/{preset_id}/delete", data={"next": path})
    assert gone.status_code == 303
    assert "Vorlage „Liste für Arbeitgeber“ löschen" not in visible_text(colleague.get(path))


def test_no_columns_is_an_error_beside_the_field(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    response = client.post(
        f"/organizer/events/{event.id}/export", data={"purpose": "event", "file_format": "csv", "action": "export"}
    )
    assert response.status_code == 422
    assert "Bitte wählen Sie mindestens eine Spalte." in visible_text(response)


def test_the_door_list_is_sorted_by_last_name_with_a_box_to_tick(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Rückkehrertag")
    register(event, "Zander", first_name="Zoe", companions=1)
    register(event, "Ahrens", first_name="Ali")
    register(event, "<script>alert(1)</script>", first_name="Mallory")
    staff_login(client, make_staff())
    response = export(
        client, f"/organizer/events/{event.id}/export?sort=-registered", ["party_size"], file_format="print"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "door-list.css" in html
    assert response.mimetype == "text/html", "a browser shows it as a page to print, not as its source"
    assert "<script>alert" not in html
    text = visible_text(response)
    assert text.index("Ahrens, Ali") < text.index("Zander, Zoe"), "by last name whatever the list's order"
    assert html.count('class="box"') == 3
    assert "Personen" in text
