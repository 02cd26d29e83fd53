"""The registration window an organizer types: it opens before it closes, closes no later than the event begins (at
the beginning itself is allowed, as a window without a deadline does), and a time has its day; the copy for the next
year keeps a window that worked working, and an event saved with a broken window before shows what to fix."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from rueckkehr.events.operations import EventChangeError, change_event
from rueckkehr.extensions import db
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text

TITLE = "Rückkehrertag Fenster 2027"


@pytest.fixture(autouse=True)
def december_2026() -> Iterator[None]:
    """Every test here happens on 1 December 2026, six weeks before the event day of 15 January 2027."""
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def organizer(client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable) -> FlaskClient:
    """The client, logged in as an organizer of Senftenberg."""
    staff_login(client, make_staff())
    return client


def new_event(venue_id: int, **window: str) -> dict[str, str]:
    """The new-event form for 15 January 2027, 10–15 Uhr, with the window given."""
    return {
        "title": TITLE,
        "summary": "",
        "description": "",
        "series": "",
        "venue": str(venue_id),
        "day": "15.01.2027",
        "starts": "10:00",
        "ends": "15:00",
        "capacity": "100",
        "opens_day": "",
        "closes_day": "",
        "closes_time": "",
        **window,
    }


def details(event: Event, **window: str) -> dict[str, str]:
    """The edit form of an event as it stands, with the window given."""
    fields = {"title": event.title, "summary": event.summary, "description": event.description, "series": ""}
    return {**fields, "capacity": str(event.capacity), "opens_day": "", "closes_day": "", "closes_time": "", **window}


def error_beside(response: object, field: str) -> str:
    """The message shown beside one field ("" when there is none)."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(rf'<p class="kern-error" id="{field}-error">.*?<span class="kern-body">(.*?)</span>', html, re.S)
    return found.group(1) if found else ""


def saved_events() -> int:
    """How many events carry the title the forms type."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Event).where(Event.title == TITLE)) or 0


def test_a_window_that_closes_before_it_opens_is_refused_beside_the_deadline(
    organizer: FlaskClient, make_venue: Callable
) -> None:
    venue = make_venue()
    form = new_event(venue.id, opens_day="10.01.2027", closes_day="05.01.2027")

    german = organizer.post("/organizer/events/new", data=form)
    assert german.status_code == 422
    assert error_beside(german, "closes_day") == "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."
    assert 'value="10.01.2027"' in german.get_data(as_text=True)
    assert 'value="05.01.2027"' in german.get_data(as_text=True)
    english = organizer.post("/organizer/events/new?lang=en", data=form)
    assert english.status_code == 422
    assert error_beside(english, "closes_day") == "Registration must close after it opens."
    assert saved_events() == 0


def test_a_deadline_after_the_beginning_is_refused_and_one_at_the_beginning_is_saved(
    organizer: FlaskClient, make_venue: Callable
) -> None:
    venue = make_venue()
    late = new_event(venue.id, opens_day="01.12.2026", closes_day="20.01.2027")

    german = organizer.post("/organizer/events/new", data=late)
    assert german.status_code == 422
    assert (
        error_beside(german, "closes_day") == "Der Anmeldeschluss darf nicht nach dem Beginn der Veranstaltung liegen."
    )
    english = organizer.post("/organizer/events/new?lang=en", data=late)
    assert error_beside(english, "closes_day") == "Registration cannot close after the event begins."
    hour_late = organizer.post(
        "/organizer/events/new", data={**late, "closes_day": "15.01.2027", "closes_time": "10:01"}
    )
    assert (
        error_beside(hour_late, "closes_day")
        == "Der Anmeldeschluss darf nicht nach dem Beginn der Veranstaltung liegen."
    )
    assert saved_events() == 0

    at_start = organizer.post(
        "/organizer/events/new", data={**late, "closes_day": "15.01.2027", "closes_time": "10:00"}
    )
    assert at_start.status_code == 303
    assert saved_events() == 1


def test_an_event_without_a_window_says_registration_runs_from_publication_until_it_begins(
    organizer: FlaskClient, make_venue: Callable
) -> None:
    created = organizer.post("/organizer/events/new", data=new_event(make_venue().id))
    assert created.status_code == 303
    german = visible_text(organizer.get(created.location))
    assert "Anmeldung ab der Veröffentlichung bis zum Beginn der Veranstaltung (" in german
    assert "15. Januar 2027, 10:00 Uhr)" in german
    english = visible_text(organizer.get(f"{created.location}?lang=en"))
    assert "from publication until the event begins (" in english


def test_a_window_opening_after_the_beginning_is_refused_beside_its_first_day(
    organizer: FlaskClient, make_venue: Callable
) -> None:
    venue = make_venue()
    form = new_event(venue.id, opens_day="16.01.2027")

    german = organizer.post("/organizer/events/new", data=form)
    assert german.status_code == 422
    assert error_beside(german, "opens_day") == "Die Anmeldung muss vor dem Beginn der Veranstaltung öffnen."
    english = organizer.post("/organizer/events/new?lang=en", data=form)
    assert error_beside(english, "opens_day") == "Registration must open before the event begins."
    assert saved_events() == 0


def test_a_deadline_time_without_its_day_is_refused_beside_the_time(
    organizer: FlaskClient, make_event: Callable
) -> None:
    event = make_event(starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC), registration_closes_at=None)
    form = details(event, closes_time="12:00")

    german = organizer.post(f"/organizer/events/{event.id}/edit", data=form)
    assert german.status_code == 422
    assert error_beside(german, "closes_time") == "Bitte geben Sie zur Uhrzeit auch den Tag an."
    assert 'value="12:00"' in german.get_data(as_text=True)
    english = organizer.post(f"/organizer/events/{event.id}/edit?lang=en", data=form)
    assert error_beside(english, "closes_time") == "Please give the day of this time as well."
    db.session.rollback()
    assert db.session.get(Event, event.id).registration_closes_at is None


def test_the_edit_form_refuses_a_broken_window_too(organizer: FlaskClient, make_event: Callable) -> None:
    event = make_event(starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC), registration_opens_at=None)
    before = event.registration_closes_at

    response = organizer.post(
        f"/organizer/events/{event.id}/edit", data=details(event, opens_day="10.01.2027", closes_day="05.01.2027")
    )
    assert response.status_code == 422
    assert error_beside(response, "closes_day") == "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."
    db.session.rollback()
    saved = db.session.get(Event, event.id)
    assert (saved.registration_opens_at, saved.registration_closes_at) == (None, before)


def test_a_window_saved_broken_before_shows_what_to_fix_and_can_be_mended(
    organizer: FlaskClient, make_event: Callable
) -> None:
    event = make_event(
        starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC),
        registration_opens_at=datetime(2027, 1, 9, 23, tzinfo=UTC),  # 10 January, Berlin time
        registration_closes_at=datetime(2027, 1, 4, 23, tzinfo=UTC),  # 5 January
    )
    page = organizer.get(f"/organizer/events/{event.id}/edit")
    assert page.status_code == 200
    assert error_beside(page, "closes_day") == "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."
    kept = organizer.post(
        f"/organizer/events/{event.id}/edit", data=details(event, opens_day="10.01.2027", closes_day="05.01.2027")
    )
    assert kept.status_code == 422
    assert error_beside(kept, "closes_day") == "Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."

    mended = organizer.post(
        f"/organizer/events/{event.id}/edit",
        data=details(event, opens_day="10.01.2027", closes_day="14.01.2027", closes_time="18:00"),
        follow_redirects=True,
    )
    assert mended.status_code == 200
    assert "ab Sonntag, 10. Januar 2027 bis Donnerstag, 14. Januar 2027, 18:00 Uhr" in visible_text(mended)


def test_an_event_cannot_move_before_its_registration_deadline(organizer: FlaskClient, make_event: Callable) -> None:
    event = make_event(
        starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC), registration_closes_at=datetime(2027, 1, 13, 17, tzinfo=UTC)
    )
    move = {"venue": str(event.venue_id), "day": "12.01.2027", "starts": "10:00", "ends": "15:00", "confirmed": "1"}

    german = organizer.post(f"/organizer/events/{event.id}/move", data=move)
    assert german.status_code == 422
    assert error_beside(german, "day") == (
        "Die Anmeldung reicht über diesen Beginn hinaus. Bitte ändern Sie zuerst unter „Bearbeiten“ die Anmeldung."
    )
    english = organizer.post(f"/organizer/events/{event.id}/move?lang=en", data=move)
    assert error_beside(english, "day") == (
        "Registration would run past this beginning. Please first change the registration under “Edit”."
    )
    db.session.rollback()
    assert db.session.get(Event, event.id).starts_at == datetime(2027, 1, 15, 9, tzinfo=UTC)


def test_the_move_itself_refuses_a_start_before_the_deadline_whoever_calls_it(app: Flask, make_event: Callable) -> None:
    """The operation checks under its lock what the form checked before it: a deadline extended meanwhile (or a
    caller without the form) cannot leave the event with a window past its start."""
    event = make_event(
        starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC), registration_closes_at=datetime(2027, 1, 13, 17, tzinfo=UTC)
    )
    db.session.commit()
    with pytest.raises(EventChangeError, match="registration_window"), unit_of_work():
        change_event(
            event.id, starts_at=datetime(2027, 1, 12, 9, tzinfo=UTC), ends_at=datetime(2027, 1, 12, 14, tzinfo=UTC)
        )
    with unit_of_work():  # a start after the deadline is fine
        change_event(
            event.id, starts_at=datetime(2027, 1, 14, 9, tzinfo=UTC), ends_at=datetime(2027, 1, 14, 14, tzinfo=UTC)
        )
    db.session.rollback()
    assert db.session.get(Event, event.id).starts_at == datetime(2027, 1, 14, 9, tzinfo=UTC)


def test_a_window_saved_broken_before_does_not_stop_a_move_it_has_nothing_to_do_with(
    app: Flask, make_event: Callable
) -> None:
    """A window that closes before it opens (saved before such windows were refused) is the edit form's to mend; the
    start it keeps working with is no reason to refuse moving the day."""
    event = make_event(
        starts_at=datetime(2027, 1, 15, 9, tzinfo=UTC),
        registration_opens_at=datetime(2027, 1, 10, 9, tzinfo=UTC),
        registration_closes_at=datetime(2027, 1, 5, 9, tzinfo=UTC),
    )
    db.session.commit()
    with unit_of_work():
        change_event(
            event.id, starts_at=datetime(2027, 1, 16, 9, tzinfo=UTC), ends_at=datetime(2027, 1, 16, 14, tzinfo=UTC)
        )
    db.session.rollback()
    assert db.session.get(Event, event.id).starts_at == datetime(2027, 1, 16, 9, tzinfo=UTC)


def test_the_copy_of_a_window_that_works_works_even_from_the_29th_of_february(
    organizer: FlaskClient, make_event: Callable
) -> None:
    event = make_event(
        title="Schalttag 2028",
        starts_at=datetime(2028, 2, 29, 9, tzinfo=UTC),  # 10 Uhr in Berlin
        registration_opens_at=datetime(2028, 1, 31, 23, tzinfo=UTC),
        registration_closes_at=datetime(2028, 2, 28, 11, tzinfo=UTC),  # the day before, 12 Uhr
    )
    copied = organizer.post(f"/organizer/events/{event.id}/duplicate", follow_redirects=True)
    db.session.rollback()
    copy = db.session.scalar(select(Event).where(Event.title == "Schalttag 2029"))
    assert copy.starts_at == datetime(2029, 2, 28, 9, tzinfo=UTC)
    # 28 February 2029 has to stand in for the 29th: the window keeps its distance to the beginning
    assert copy.registration_opens_at == datetime(2029, 1, 30, 23, tzinfo=UTC)
    assert copy.registration_closes_at == datetime(2029, 2, 27, 11, tzinfo=UTC)
    assert "bis Dienstag, 27. Februar 2029, 12:00 Uhr" in visible_text(copied)
    assert error_beside(organizer.get(f"/organizer/events/{copy.id}/edit"), "closes_day") == ""


def test_a_deadline_given_as_a_day_includes_that_day_and_on_the_event_day_is_the_beginning_that_moves_with_it(
    organizer: FlaskClient, make_venue: Callable
) -> None:
    venue = make_venue()
    created = organizer.post("/organizer/events/new", data=new_event(venue.id, closes_day="10.01.2027"))
    assert created.status_code == 303
    assert "bis Sonntag, 10. Januar 2027, 23:59 Uhr" in visible_text(organizer.get(created.location))
    db.session.rollback()
    event = db.session.scalars(select(Event).where(Event.title == TITLE)).one()
    edited = organizer.post(f"/organizer/events/{event.id}/edit", data=details(event, closes_day="15.01.2027"))
    assert edited.status_code == 303, error_beside(edited, "closes_day")
    db.session.rollback()
    assert db.session.get(Event, event.id).registration_closes_at is None  # the beginning, wherever it moves
    assert "bis zum Beginn der Veranstaltung" in visible_text(organizer.get(f"/organizer/events/{event.id}"))
