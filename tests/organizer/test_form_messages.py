"""What the organizers' forms say about odd input, beside the field and in the reader's language: coordinates that
are no number or lie off the globe, postcodes that are not German, and wtforms' stock texts replaced by our own."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.extensions import db
from rueckkehr.places.models import Venue
from tests.support.pages import form_value


def field_error(response: object, field_id: str) -> str:
    """The error the page shows beside the field ``field_id`` ("" when none)."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(rf'id="{re.escape(field_id)}-error">.*?<span class="kern-body">(.*?)</span>', html, re.S)
    return unescape(found.group(1)) if found else ""


def venue(town_id: int, **overrides: str) -> dict[str, str]:
    data = {
        "town": str(town_id),
        "name": "Hafen",
        "street": "Am Hafen 1",
        "postal_code": "01968",
        "locality": "Senftenberg",
        "latitude": "51.52",
        "longitude": "14.01",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "typed", ["NaN", "nan", "sNaN", "inf", "-Infinity", "Infinity", "1e999999999", "1e-99999", "0." + "1" * 20000]
)
def test_a_coordinate_that_is_no_number_is_a_message_beside_the_field(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable, typed: str
) -> None:
    staff_login(client, make_staff())
    data = venue(town("senftenberg").id, latitude=typed, longitude=typed)
    page = client.post("/organizer/venues/new", data=data)
    assert page.status_code == 422
    assert field_error(page, "latitude") == "Bitte geben Sie den Breitengrad als Zahl von -90 bis 90 an, z. B. 51.5197."
    assert (
        field_error(page, "longitude") == "Bitte geben Sie den Längengrad als Zahl von -180 bis 180 an, z. B. 14.0103."
    )
    assert form_value(page, "latitude") == typed and form_value(page, "longitude") == typed
    english = client.post("/organizer/venues/new?lang=en", data=data)
    assert field_error(english, "latitude") == "Please enter the latitude as a number from -90 to 90, e.g. 51.5197."
    assert field_error(english, "longitude") == "Please enter the longitude as a number from -180 to 180, e.g. 14.0103."


def test_a_latitude_lies_between_the_poles_and_a_venue_has_a_german_postcode(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    staff_login(client, make_staff())
    senftenberg = town("senftenberg").id
    data = venue(senftenberg, latitude="120", longitude="-180", postal_code="ABCDEFGHIJ")
    page = client.post("/organizer/venues/new", data=data)
    assert page.status_code == 422
    assert "-90 bis 90" in field_error(page, "latitude") and field_error(page, "longitude") == ""
    assert field_error(page, "postal_code") == "Eine deutsche Postleitzahl hat fünf Ziffern."
    assert form_value(page, "postal_code") == "ABCDEFGHIJ" and form_value(page, "latitude") == "120"
    english = client.post("/organizer/venues/new?lang=en", data={**data, "postal_code": "１２３４５"})
    assert field_error(english, "postal_code") == "A German postcode has five digits."
    edges = venue(senftenberg, latitude="-90", longitude="180,0")
    assert client.post("/organizer/venues/new", data=edges).status_code == 303


def test_a_walk_in_from_germany_has_a_five_digit_postcode(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/registrations/walk-in"
    data = {"first_name": "Willi", "last_name": "Walk", "email": "", "postal_code": "abc", "city": "Senftenberg",
            "country": "DE", "companions": "0", "consent_method": "paper"}  # fmt: skip
    page = client.post(path, data=data)
    assert page.status_code == 422
    assert field_error(page, "postal_code") == "Eine deutsche Postleitzahl hat fünf Ziffern."
    assert form_value(page, "postal_code") == "abc"
    english = client.post(f"{path}?lang=en", data=data)
    assert field_error(english, "postal_code") == "A German postcode has five digits."
    assert client.post(path, data={**data, "country": "NO", "postal_code": "0150"}).status_code == 303
    assert client.post(path, data={**data, "postal_code": " 01968 "}).status_code == 303


STOCK_CASES = [
    # path (with {event}), field, typed, German message, English message
    ("/organizer/events/{event}/edit", "capacity", "abc",
     "Bitte geben Sie eine ganze Zahl ein.", "Please enter a whole number."),
    ("/organizer/events/{event}/edit", "series", "999999",
     "Bitte wählen Sie nur aus den angebotenen Möglichkeiten.", "Please choose only from the options given."),
    ("/organizer/events/{event}/edit", "description", "x" * 10_001,
     "Bitte kürzen Sie auf höchstens 10000 Zeichen.", "Please shorten this to at most 10000 characters."),
    ("/organizer/events/{event}/registrations/walk-in", "companions", "zwei",
     "Bitte geben Sie eine ganze Zahl ein.", "Please enter a whole number."),
    ("/organizer/events/{event}/registrations/walk-in", "companions", "11",
     "Bitte geben Sie eine Zahl von 0 bis 10 ein.", "Please enter a number from 0 to 10."),
    ("/organizer/events/{event}/registrations/walk-in", "first_name", "x" * 101,
     "Bitte kürzen Sie auf höchstens 100 Zeichen.", "Please shorten this to at most 100 characters."),
    ("/organizer/events/{event}/registrations/walk-in", "country", "XX",
     "Bitte wählen Sie nur aus den angebotenen Möglichkeiten.", "Please choose only from the options given."),
]  # fmt: skip


@pytest.mark.parametrize(("path", "field", "typed", "german", "english"), STOCK_CASES)
def test_no_stock_wtforms_message_reaches_a_page(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    path: str,
    field: str,
    typed: str,
    german: str,
    english: str,
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    url = path.format(event=event.id)
    page = client.post(url, data={field: typed})
    assert page.status_code == 422 and field_error(page, field) == german
    assert field_error(client.post(f"{url}?lang=en", data={field: typed}), field) == english


def test_every_message_wtforms_can_show_has_a_text_of_our_own() -> None:
    """Every message id in wtforms' own catalogue that a validator or field can show (not the two that only
    a mistake in our code raises) is one of ours, so a newly used field or validator says something clear too."""
    from rueckkehr.form_messages import STOCK_MESSAGES

    template = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    with template.open("rb") as file:
        catalog = read_po(file)
    developer_only = {"Invalid field name '%s'.", "Choices cannot be None."}
    ids = set()
    for message in catalog:
        if message.id and message.id not in developer_only:
            ids.update(message.id if isinstance(message.id, tuple) else [message.id])
    assert ids - set(STOCK_MESSAGES) == set()


def test_a_coordinate_pasted_from_a_map_is_kept_to_six_decimals(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    staff_login(client, make_staff())
    data = venue(town("senftenberg").id, latitude="51.51972346835296", longitude="14,010345678912345")
    assert client.post("/organizer/venues/new", data=data).status_code == 303
    db.session.rollback()
    saved = db.session.scalars(select(Venue).where(Venue.latitude.is_not(None))).one()
    assert (str(saved.latitude), str(saved.longitude)) == ("51.519723", "14.010346")
