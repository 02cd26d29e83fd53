"""A walk-in whose address the platform knows already: the registration joins that person, whose own details are
kept (what staff type at the door never overwrites them), and the organizer is told so, in their language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.events.models import EventStatus
from rueckkehr.extensions import db
from rueckkehr.registrations.desk import NotOpenForWalkInsError, WalkIn, add_walk_in
from rueckkehr.registrations.models import Registration
from rueckkehr.returnees.models import ConsentMethod, ReturneeProfile
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed, start_writing

TOLD = {
    "de": "Diese E-Mail-Adresse war schon bei uns registriert: Die Anmeldung ist bei Jana Müller eingetragen. Die "
    "gespeicherten Angaben der Person bleiben, wie sie sind; Name, Postleitzahl, Wohnort und Land aus dem Formular "
    "wurden nicht übernommen.",
    "en": "This e-mail address was already registered with us: the registration has been added to Jana Müller. "
    "Their saved details stay as they are; the name, postcode, place of residence and country from the form were "
    "not taken over.",
}


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_known_address_keeps_its_details_and_the_organizer_is_told(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    smtp: SMTPServer,
    language: str,
) -> None:
    event = make_event()
    start_writing()
    profile = ReturneeProfile(email="jana@example.org", first_name="Jana", last_name="Müller", postal_code="0150",
                              city="Oslo", country="NO", confirmed_at=datetime.now(UTC))  # fmt: skip
    db.session.add(profile)
    db.session.commit()
    staff_login(client, make_staff())
    typed = {"first_name": "Janina", "last_name": "Mustermann", "email": "Jana@Example.org", "postal_code": "01968",
             "city": "Senftenberg", "country": "DE", "companions": "0", "consent_method": "paper"}  # fmt: skip
    query = "?lang=en" if language == "en" else ""
    added = client.post(f"/organizer/events/{event.id}/registrations/walk-in{query}", data=typed)
    assert added.status_code == 303
    page = client.get(added.location)
    assert TOLD[language] in visible_text(page)
    assert "Oslo" in visible_text(page)  # the person's page, with the details that were kept
    db.session.rollback()
    kept = db.session.scalars(select(ReturneeProfile)).one()
    assert (kept.first_name, kept.last_name, kept.postal_code, kept.city, kept.country) == (
        "Jana", "Müller", "0150", "Oslo", "NO"
    )  # fmt: skip
    [registration] = db.session.scalars(select(Registration)).all()
    assert registration.profile_id == kept.id and registration.walk_in
    assert f"/registrations/{registration.id}" in added.location
    assert smtp.wait_for(1)[0].envelope_to == ["jana@example.org"]


def test_a_new_address_is_entered_as_typed_and_told_as_before(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    typed = {"first_name": "Willi", "last_name": "Walk", "email": "willi@example.org", "postal_code": "01968",
             "city": "Senftenberg", "country": "DE", "companions": "0", "consent_method": "paper"}  # fmt: skip
    added = client.post(f"/organizer/events/{event.id}/registrations/walk-in", data=typed, follow_redirects=True)
    text = visible_text(added)
    assert "Willi Walk ist eingetragen." in text and "schon bei uns registriert" not in text


@pytest.mark.parametrize("status", ["cancelled", "draft"])
def test_nobody_walks_in_to_a_called_off_or_unpublished_event(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, status: str
) -> None:
    event = make_event(status=EventStatus(status), cancelled_at=datetime.now(UTC) if status == "cancelled" else None)
    staff_login(client, make_staff())
    typed = {"first_name": "Tom", "last_name": "Schulz", "postal_code": "01968", "city": "Senftenberg",
             "country": "DE", "companions": "0", "consent_method": "oral"}  # fmt: skip
    path = f"/organizer/events/{event.id}/registrations/walk-in"
    page = client.get(path)
    assert page.status_code == 303
    told = visible_text(client.get(page.headers["Location"]))
    assert "Nur zu einer veröffentlichten Veranstaltung, die nicht abgesagt ist, kommen Gäste ohne Anmeldung." in told
    assert client.post(path, data=typed).status_code == 303
    door = WalkIn("Tom", "Schulz", None, "01968", "Senftenberg", "DE", 0, ConsentMethod.ORAL)
    with pytest.raises(NotOpenForWalkInsError):  # the operation refuses too, under the lock (a cancel meanwhile)
        committed(add_walk_in, event.id, door)
    db.session.rollback()
    assert db.session.scalars(select(Registration)).all() == []


def test_the_list_offers_walk_ins_only_for_a_published_event(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    published, draft = make_event(), make_event(status=EventStatus.DRAFT)
    staff_login(client, make_staff())
    assert "Person am Einlass eintragen" in visible_text(client.get(f"/organizer/events/{published.id}/registrations"))
    assert "Person am Einlass eintragen" not in visible_text(client.get(f"/organizer/events/{draft.id}/registrations"))
