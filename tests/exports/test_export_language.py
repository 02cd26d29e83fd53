"""The values of an English export are English: occupational fields as the rest of the site names them, countries
by their name in the export's language (as the registration form's list), also when made in the background."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from tests.exports.test_exports import export, read_csv_as_excel
from tests.support.pages import visible_text

ENGLISH_FIELD = "43 Computer science, information and communication technology occupations"
ENGLISH_PARTNER_FIELD = "26 Mechatronics, energy and electrical occupations"
LANGUAGE_COLUMNS = ["last_name", "country", "occupation_group", "partner_occupation_group"]


def _norwegian(register: Callable, event: Event) -> None:
    register(
        event,
        "Nordmann",
        country="NO",
        postal_code="0150",
        city="Oslo",
        occupation_group_code="43",
        partner_occupation_group_code="26",
    )


def test_an_english_export_names_fields_and_countries_in_english(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event()
    _norwegian(register, event)
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/export"
    rows = read_csv_as_excel(export(client, f"{path}?lang=en", LANGUAGE_COLUMNS).data)
    assert rows == [
        ["Last name", "Country", "Occupational field", "Partner's occupational field"],
        ["Nordmann", "Norway", ENGLISH_FIELD, ENGLISH_PARTNER_FIELD],
    ]
    sheet = openpyxl.load_workbook(
        io.BytesIO(export(client, f"{path}?lang=en", LANGUAGE_COLUMNS, file_format="xlsx").data)
    ).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Nordmann", "Norway", ENGLISH_FIELD, ENGLISH_PARTNER_FIELD)
    ]
    printed = visible_text(export(client, f"{path}?lang=en", LANGUAGE_COLUMNS, file_format="print"))
    assert "Norway" in printed and ENGLISH_FIELD in printed
    german = read_csv_as_excel(export(client, path, LANGUAGE_COLUMNS).data)
    assert german[1] == [
        "Nordmann",
        "Norwegen",
        "43 Informatik-, Informations- und Kommunikationstechnologieberufe",
        "26 Mechatronik-, Energie- und Elektroberufe",
    ]


def test_a_background_export_names_them_in_the_organizers_language(
    app: Flask,
    client: FlaskClient,
    tmp_path: Path,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    app.config["EXPORT_BACKGROUND_ROWS"] = 0
    app.config["EXPORT_FOLDER"] = str(tmp_path)
    event = make_event()
    _norwegian(register, event)
    staff_login(client, make_staff(language="en"))
    data: dict[str, Any] = {"file_format": "csv"}
    response = export(client, f"/organizer/events/{event.id}/export", LANGUAGE_COLUMNS, **data)
    assert response.status_code == 303
    download = client.get(f"{response.location}/download")
    assert download.status_code == 200
    assert read_csv_as_excel(download.data)[1] == ["Nordmann", "Norway", ENGLISH_FIELD, ENGLISH_PARTNER_FIELD]
