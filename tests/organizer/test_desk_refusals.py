"""What the desk refuses, and says so in the organizer's language: a walk-in once the event is over (nothing is
registered or mailed; walk-ins ahead of it and during it stay allowed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.desk import EventOverError, WalkIn, add_walk_in
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ConsentMethod, ReturneeProfile
from tests.support.pages import form_value, visible_text
from tests.support.units import committed

TYPED = {"first_name": "Tom", "last_name": "Schulz", "email": "tom@example.org", "postal_code": "01968",
         "city": "Senftenberg", "country": "DE", "companions": "1", "consent_method": "oral"}  # fmt: skip
OVER = {
    "de": ("Diese Veranstaltung ist vorbei: Sie endete am", "Am Einlass lässt sich niemand mehr eintragen."),
    "en": ("This event is over: it ended on", "Nobody can be added at the door any more."),
}
NOT_SAVED = {
    "de": "Die Angaben unten sind nicht gespeichert, und niemand erhielt eine E-Mail.",
    "en": "The details below were not saved, and nobody was sent an e-mail.",
}


def nothing_registered_or_mailed() -> None:
    db.session.rollback()
    assert db.session.scalars(select(Registration)).all() == []
    assert db.session.scalars(select(ReturneeProfile)).all() == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("language", ["de", "en"])
def test_nobody_walks_in_once_the_event_is_over(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, language: str
) -> None:
    event = make_event(starts_at=datetime.now(UTC) - timedelta(days=400))  # last year's
    staff_login(client, make_staff())
    query = "?lang=en" if language == "en" else ""
    listed = client.get(f"/organizer/events/{event.id}/registrations{query}")
    path = f"/organizer/events/{event.id}/registrations/walk-in"
    assert listed.status_code == 200 and path not in listed.get_data(as_text=True)  # not offered

    asked = client.get(f"{path}{query}")
    said = visible_text(asked)
    assert asked.status_code == 200 and all(part in said for part in OVER[language]), said
    posted = client.post(f"{path}{query}", data=TYPED)  # a form opened before the end, sent after it
    said = visible_text(posted)
    assert posted.status_code == 422 and all(part in said for part in OVER[language]), said
    assert NOT_SAVED[language] in said
    assert (form_value(posted, "first_name"), form_value(posted, "email")) == ("Tom", "tom@example.org")  # kept
    if language == "en":
        assert OVER["de"][0] not in said and NOT_SAVED["de"] not in said
    nothing_registered_or_mailed()

    door = WalkIn("Tom", "Schulz", "tom@example.org", "01968", "Senftenberg", "DE", 0, ConsentMethod.ORAL)
    with pytest.raises(EventOverError):  # the operation refuses too, under the event's lock
        committed(add_walk_in, event.id, door)
    nothing_registered_or_mailed()


@pytest.mark.parametrize("started_hours_ago", [-48, 1])  # paper sign-ups ahead of the day, and the day itself
def test_walk_ins_ahead_of_the_event_and_during_it_are_seated(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    started_hours_ago: int,
) -> None:
    event = make_event(starts_at=datetime.now(UTC) - timedelta(hours=started_hours_ago))
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/registrations/walk-in"
    assert path in client.get(f"/organizer/events/{event.id}/registrations").get_data(as_text=True)
    assert client.get(path).status_code == 200
    added = client.post(path, data=TYPED, follow_redirects=True)
    assert "Tom Schulz ist eingetragen." in visible_text(added)
    db.session.rollback()
    assert db.session.scalars(select(Registration)).one().status == RegistrationStatus.CONFIRMED
