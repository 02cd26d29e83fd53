"""The API's 422 as a client reads it: every bad parameter of the request at once, each message in the client's
language (German unless ``Accept-Language`` asks for English), never marshmallow's stock English."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Flask
from flask.testing import FlaskClient

API = "/api/v1"
ENGLISH = {"Accept-Language": "en"}


def refused(client: FlaskClient, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(API + path, headers=headers or {})
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()


def test_every_bad_parameter_is_named_at_once_in_german(client: FlaskClient) -> None:
    answer = refused(client, "/events?town=atlantis&month=2026-13&page=abc")
    assert answer["message"] == "Die Anfrage enthält ungültige Werte."
    assert answer["errors"] == {
        "query": {
            "town": ["Diese Stadt kennen wir nicht."],
            "month": ["Dieser Wert hat nicht die erwartete Form."],
            "page": ["Bitte geben Sie eine ganze Zahl an."],
        }
    }


def test_and_in_english_when_the_client_reads_english(client: FlaskClient) -> None:
    answer = refused(client, "/events?town=atlantis&month=2026-13&page=abc", ENGLISH)
    assert answer["message"] == "The request holds values that are not valid."
    assert answer["errors"] == {
        "query": {
            "town": ["We do not know this town."],
            "month": ["This value does not have the expected form."],
            "page": ["Please give a whole number."],
        }
    }


def test_the_jobs_filters_and_the_page_size_are_refused_together(client: FlaskClient) -> None:
    path = "/jobs?level=9&q=" + "x" * 201 + "&field=99&time=always&sort=oldest&page_size=0&town=atlantis"
    assert refused(client, path)["errors"]["query"] == {
        "level": ["Bitte geben Sie eine Zahl von 1 bis 4 an."],
        "q": ["Bitte kürzen Sie auf höchstens 200 Zeichen."],
        "field": ["Dieses Berufsfeld kennen wir nicht."],
        "time": ["Bitte wählen Sie einen dieser Werte: full_time, part_time, shifts, remote, mini_job."],
        "sort": ["Bitte wählen Sie einen dieser Werte: relevance, newest."],
        "page_size": ["Bitte geben Sie eine Zahl von 1 bis 100 an."],
        "town": ["Diese Stadt kennen wir nicht."],
    }
    english = refused(client, "/jobs?level=zwei&page=0&q=" + "x" * 201, ENGLISH)["errors"]["query"]
    assert english == {
        "level": ["Please give a whole number."],
        "page": ["Please give a number from 1 to 10000."],
        "q": ["Please shorten this to at most 200 characters."],
    }


def test_a_yes_or_no_and_a_page_list_without_filters(client: FlaskClient) -> None:
    assert refused(client, "/events?past=vielleicht")["errors"]["query"] == {
        "past": ["Bitte geben Sie „true“ oder „false“ an."]
    }
    assert refused(client, "/employers?page=99999&page_size=x", ENGLISH)["errors"]["query"] == {
        "page": ["Please give a number from 1 to 10000."],
        "page_size": ["Please give a whole number."],
    }


def stock_messages(schema: ma.Schema) -> set[str]:
    """Every message marshmallow has for the schema's fields and validators, as its templates (``{max}`` unfilled)."""
    messages = set(schema.error_messages.values())
    for field in schema.fields.values():
        messages |= set(field.error_messages.values())
        for validator in field.validators:
            for name in ("error", "message_min", "message_max", "message_all", "message_equal"):
                if isinstance(text := getattr(validator, name, None), str):
                    messages.add(text)
    return messages


def test_every_message_the_api_parameters_can_show_has_a_text_of_our_own(app: Flask) -> None:
    """A parameter added later with another field or validator must not answer in marshmallow's English."""
    from rueckkehr.api.messages import STOCK_MESSAGES

    found = set()
    for view in app.view_functions.values():
        for schema in getattr(view, "query_schemas", ()):
            found |= stock_messages(schema() if isinstance(schema, type) else schema)
    assert len(found) > 5
    assert found - set(STOCK_MESSAGES) == set()
