"""What the desk refuses, and says so in the organizer's language: a walk-in once the event is over (nothing is
registered or mailed; walk-ins ahead of it and during it stay allowed), and moving someone up who is no longer on
the waiting list (nothing changes, and the page says why rather than asking for more seats)."""

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
from tests.organizer.test_registrations import fill
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
HAS_A_SEAT = {
    "de": "Kim Conrad steht nicht mehr auf der Warteliste: Die Anmeldung hat schon einen Platz, etwa weil die Person "
    "von selbst nachgerückt ist. Es wurde nichts geändert.",
    "en": "Kim Conrad is no longer on the waiting list: the registration has a place already, perhaps because they "
    "moved up by themselves. Nothing was changed.",
}
NOT_WAITING = {
    "de": "Kim Engel steht nicht auf der Warteliste (Stand der Anmeldung: abgesagt). Es wurde nichts geändert.",
    "en": "Kim Engel is not on the waiting list (status of the registration: cancelled). Nothing was changed.",
}
NO_SEATS = {"de": "nicht genug Plätze frei", "en": "not enough free places"}


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


@pytest.mark.parametrize("language", ["de", "en"])
def test_moving_up_someone_no_longer_waiting_says_so_and_changes_nothing(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    language: str,
) -> None:
    event = make_event(capacity=3)  # two confirmed and one unconfirmed hold all three seats; Conrad waits
    people = fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    staff_login(client, make_staff())
    base = f"/organizer/events/{event.id}/registrations"
    query = "?lang=en" if language == "en" else ""
    client.post(f"{base}/{people['Albrecht'].id}/cancel")  # a seat is free: Conrad moves up by themselves
    db.session.rollback()
    assert db.session.get(Registration, people["Conrad"].id).status == RegistrationStatus.CONFIRMED
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage))

    moved = client.post(f"{base}/{people['Conrad'].id}/move-up{query}", follow_redirects=True)  # a page from before
    said = visible_text(moved)
    assert HAS_A_SEAT[language] in said and NO_SEATS[language] not in said, said
    cancelled = visible_text(client.post(f"{base}/{people['Engel'].id}/move-up{query}", follow_redirects=True))
    assert NOT_WAITING[language] in cancelled and NO_SEATS[language] not in cancelled, cancelled
    db.session.rollback()
    conrad = db.session.get(Registration, people["Conrad"].id)
    assert (conrad.status, db.session.get(Registration, people["Engel"].id).status) == (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CANCELLED,
    )
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mails  # nobody told again
