"""The organizers' event screens: create, publish (news subscribers invited), capacity, the confirmation steps of
moving and cancelling, copying last year's day, the programme, series and venues."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.dates import BERLIN
from rueckkehr.events.models import Event, EventSeries, EventStatus
from rueckkehr.events.operations import EventChangeError, cancel_event, delete_draft
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile
from rueckkehr.returnees.news import send_news_batches
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed, start_writing

SUBSCRIBERS = 200


def seat(event: Event, status: RegistrationStatus, number: int, **values: object) -> Registration:
    """A registration with its profile, straight into the database."""
    start_writing()
    profile = ReturneeProfile(
        email=values.pop("email", f"gast{number}@example.org"),
        first_name=f"Gast{number}",
        last_name="Test",
        postal_code="01968",
        city="Senftenberg",
        country="DE",
        confirmed_at=datetime.now(UTC),
        language=values.pop("language", "de"),
    )
    db.session.add(profile)
    registration = Registration(
        profile=profile,
        event_id=event.id,
        status=status,
        confirmed_at=datetime.now(UTC),
        waitlist_position=number if status == RegistrationStatus.WAITING else None,
        **values,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def event_form(venue_id: int, day: str, **overrides: object) -> dict[str, object]:
    data = {
        "title": "Rückkehrertag Senftenberg 2031",
        "summary": "Arbeitgeber stellen sich vor",
        "description": "",
        "series": "",
        "venue": str(venue_id),
        "day": day,
        "starts": "10:00",
        "ends": "15:00",
        "capacity": "120",
        "opens_day": "",
        "closes_day": "",
        "closes_time": "",
    }
    data.update(overrides)
    return data


def test_an_organizer_creates_a_draft_and_publishing_invites_news_subscribers(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_venue: Callable,
    smtp: SMTPServer,
) -> None:
    venue = make_venue()
    start_writing()
    fan = ReturneeProfile(
        email="fan@example.org",
        first_name="Fanny",
        last_name="Fan",
        postal_code="10115",
        city="Berlin",
        country="DE",
        confirmed_at=datetime.now(UTC),
    )
    fan.consents.append(Consent(purpose=ConsentPurpose.NEWS, text_version="v", confirmed_at=datetime.now(UTC)))
    quiet = ReturneeProfile(
        email="leise@example.org",
        first_name="Lea",
        last_name="Leise",
        postal_code="10115",
        city="Berlin",
        country="DE",
        confirmed_at=datetime.now(UTC),
    )
    db.session.add_all([fan, quiet])
    db.session.commit()
    staff_login(client, make_staff())
    day = (datetime.now(BERLIN) + timedelta(days=60)).strftime("%d.%m.%Y")

    bad = client.post("/organizer/events/new", data=event_form(venue.id, "31.02.2031", ends="09:00"))
    assert bad.status_code == 422
    assert "Bitte geben Sie ein Datum wie 27.12.2026 an." in visible_text(bad)
    assert "Das Ende muss nach dem Beginn liegen." in visible_text(bad)
    assert 'value="Rückkehrertag Senftenberg 2031"' in bad.get_data(as_text=True)
    past = client.post("/organizer/events/new", data=event_form(venue.id, "01.01.2020"))
    assert past.status_code == 422
    assert "Dieser Tag ist schon vorbei. Bitte wählen Sie heute oder einen späteren Tag." in visible_text(past)
    assert 'value="01.01.2020"' in past.get_data(as_text=True)

    created = client.post("/organizer/events/new", data=event_form(venue.id, day))
    assert created.status_code == 303
    db.session.rollback()
    event = db.session.scalar(select(Event).where(Event.title == "Rückkehrertag Senftenberg 2031"))
    assert event.status == EventStatus.DRAFT
    assert event.starts_at.astimezone(BERLIN).hour == 10
    assert client.get(f"/events/{event.id}").status_code == 404  # a draft is not public

    assert client.post(f"/organizer/events/{event.id}/publish").status_code == 303
    assert client.get(f"/events/{event.id}").status_code == 200
    assert committed(send_news_batches) == 1  # the invitations go out with the next run of `flask jobs run`
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["fan@example.org"]
    assert "Rückkehrertag Senftenberg 2031" in mail.text_body()
    unsubscribe = mail.message["List-Unsubscribe"].strip("<>")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe.replace("http://rueckkehr.test", "")
    from flask import current_app

    current_app.config["WTF_CSRF_ENABLED"] = True  # as in production: the mail client's POST has no form token
    try:
        one_click = current_app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        current_app.config["WTF_CSRF_ENABLED"] = False
    assert one_click.status_code == 200
    db.session.rollback()
    assert db.session.get(ReturneeProfile, fan.id).active_consent(ConsentPurpose.NEWS) is None


def test_publishing_invites_a_few_hundred_subscribers_in_batches_each_once(
    app: Flask,
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
    smtp: SMTPServer,
) -> None:
    series = make_series("Rückkehrertage 2031")
    first = make_event(status=EventStatus.DRAFT, series=series, title="Sommertag")
    second = make_event(status=EventStatus.DRAFT, series=series, title="Wintertag")
    start_writing()
    now = datetime.now(UTC)
    profiles = [
        ReturneeProfile(
            email=f"news{number:03}@example.org",
            first_name="Nina",
            last_name=f"News{number:03}",
            postal_code="10115",
            city="Berlin",
            country="DE",
            confirmed_at=now,
            language="en" if number % 10 == 0 else "de",
            consents=[Consent(purpose=ConsentPurpose.NEWS, text_version="v", confirmed_at=now)],
        )
        for number in range(SUBSCRIBERS)
    ]
    withdrawn = profiles[7].consents[0]
    withdrawn.withdrawn_at = now  # asked for news once, not any more
    db.session.add_all(profiles)
    db.session.commit()
    staff_login(client, make_staff())
    app.config["NEWS_BATCH_SIZE"] = 80

    assert client.post(f"/organizer/series/{series.id}/publish").status_code == 303
    assert smtp.messages == []  # the request queues nothing: it only announces
    assert [committed(send_news_batches) for _ in range(4)] == [80, 80, SUBSCRIBERS - 1 - 160, 0]
    mails = smtp.wait_for(SUBSCRIBERS - 1)
    recipients = [mail.envelope_to[0] for mail in mails]
    assert len(recipients) == len(set(recipients)) == SUBSCRIBERS - 1  # each once, everyone but the one who left
    assert "news007@example.org" not in recipients
    assert len({mail.peer for mail in mails}) == 3  # one SMTP connection per batch
    assert all("Sommertag" in mail.text_body() and "Wintertag" in mail.text_body() for mail in mails)  # one mail
    english = next(mail for mail in mails if mail.envelope_to == ["news010@example.org"])
    assert english.message["Content-Language"] == "en"

    assert client.post(f"/organizer/series/{series.id}/publish").status_code == 303  # again: nothing new
    assert client.post(f"/organizer/events/{first.id}/publish").status_code == 303
    assert client.post(f"/organizer/events/{second.id}/publish").status_code == 303
    assert committed(send_news_batches) == 0
    time.sleep(0.5)  # anything wrongly queued would have arrived by now
    assert len(smtp.messages) == SUBSCRIBERS - 1
    db.session.rollback()
    outbox = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "profile.news")).all()
    assert len(outbox) == len(set(outbox)) == SUBSCRIBERS - 1


def test_lowering_the_capacity_keeps_every_held_seat_and_raising_it_moves_the_line(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event(capacity=3)
    held = [seat(event, RegistrationStatus.CONFIRMED, number) for number in range(3)]
    waiting = seat(event, RegistrationStatus.WAITING, 10)
    staff_login(client, make_staff())
    form = {
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "series": "",
        "capacity": "1",
        "opens_day": "",
        "closes_day": "",
        "closes_time": "",
    }
    response = client.post(f"/organizer/events/{event.id}/edit", data=form, follow_redirects=True)
    text = visible_text(response)
    assert "3 Plätze sind vergeben, mehr als die neue Zahl von 1: Alle bleiben bestehen." in text
    db.session.rollback()
    assert all(db.session.get(Registration, r.id).status == RegistrationStatus.CONFIRMED for r in held)

    form["capacity"] = "4"
    client.post(f"/organizer/events/{event.id}/edit", data=form)
    db.session.rollback()
    assert db.session.get(Registration, waiting.id).status == RegistrationStatus.CONFIRMED  # moved up at once


@time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False)
def test_the_move_question_names_the_new_venue_and_the_time_in_the_pages_language(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable,
    make_venue: Callable,
) -> None:  # fmt: skip
    event = make_event(
        starts_at=datetime(2026, 12, 27, 9, 0, tzinfo=UTC), ends_at=datetime(2026, 12, 27, 14, tzinfo=UTC)
    )
    other = make_venue(name="Rathaus Senftenberg", street="Markt 1")
    staff_login(client, make_staff())
    both = {"venue": str(other.id), "day": "29.12.2026", "starts": "17:00", "ends": "19:00"}
    german = visible_text(client.post(f"/organizer/events/{event.id}/move", data=both))
    assert (
        "Neue Zeit: Dienstag, 29. Dezember 2026, 17:00–19:00 Uhr (bisher: Sonntag, 27. Dezember 2026, 10:00–15:00 Uhr)"
        in german
    )
    assert (
        "Neuer Ort: Rathaus Senftenberg, Markt 1, 01968 Senftenberg (bisher: Niederlausitzhalle Senftenberg" in german
    )
    english = visible_text(client.post(f"/organizer/events/{event.id}/move?lang=en", data=both))
    assert "New time: Tuesday 29 December 2026, 17:00–19:00 (was: Sunday 27 December 2026, 10:00–15:00)" in english
    assert "New place: Rathaus Senftenberg, Markt 1, 01968 Senftenberg (was: Niederlausitzhalle Senftenberg" in english
    assert "29.12.2026" not in english and "Uhr" not in english
    same_place = {**both, "venue": str(event.venue_id)}
    only_time = visible_text(client.post(f"/organizer/events/{event.id}/move", data=same_place))
    assert "Neue Zeit: Dienstag, 29. Dezember 2026" in only_time and "Neuer Ort" not in only_time


def test_moving_an_event_says_how_many_are_told_before_it_tells_them(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_venue: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event()
    for number in range(2):
        seat(event, RegistrationStatus.CONFIRMED, number)
    seat(event, RegistrationStatus.WAITING, 5)
    other = make_venue(name="Rathaus Senftenberg", street="Markt 1")
    staff_login(client, make_staff())
    day = event.starts_at.astimezone(BERLIN) + timedelta(days=1)
    data = {"venue": str(other.id), "day": f"{day:%d.%m.%Y}", "starts": "11:00", "ends": "16:00"}
    gone = client.post(f"/organizer/events/{event.id}/move", data={**data, "day": "01.01.2020", "confirmed": "1"})
    assert gone.status_code == 422 and "Dieser Tag ist schon vorbei." in visible_text(gone)
    past = make_event(starts_at=datetime(2020, 5, 2, 8, tzinfo=UTC))  # its own day may stay, the times change
    kept_day = client.post(f"/organizer/events/{past.id}/move", data={**data, "day": "02.05.2020"})
    assert kept_day.status_code == 200 and "Dieser Tag ist schon vorbei." not in visible_text(kept_day)
    first = client.post(f"/organizer/events/{event.id}/move", data=data)
    assert first.status_code == 200
    assert "2 Personen erhalten eine aktualisierte Einladung." in visible_text(first)
    db.session.rollback()
    assert db.session.get(Event, event.id).venue_id != other.id  # nothing changed yet
    assert smtp.messages == []

    done = client.post(f"/organizer/events/{event.id}/move", data={**data, "confirmed": "1"})
    assert done.status_code == 303
    mails = smtp.wait_for(2)
    assert {mail.envelope_to[0] for mail in mails} == {"gast0@example.org", "gast1@example.org"}
    db.session.rollback()
    moved = db.session.get(Event, event.id)
    assert moved.venue_id == other.id and moved.starts_at.astimezone(BERLIN).hour == 11


def test_cancelling_says_how_many_are_told_and_a_get_changes_nothing(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, smtp: SMTPServer
) -> None:
    event = make_event()
    seat(event, RegistrationStatus.CONFIRMED, 1)
    seat(event, RegistrationStatus.WAITING, 2)
    staff_login(client, make_staff())
    page = client.get(f"/organizer/events/{event.id}/cancel")
    assert "2 Personen werden über die Absage informiert." in visible_text(page)
    db.session.rollback()
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED
    assert client.post(f"/organizer/events/{event.id}/cancel").status_code == 303
    assert len(smtp.wait_for(2)) == 2
    db.session.rollback()
    assert db.session.get(Event, event.id).status == EventStatus.CANCELLED


def test_the_questions_before_calling_off_or_moving_count_only_those_a_mail_reaches(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_venue: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event()
    seat(event, RegistrationStatus.CONFIRMED, 1)
    seat(event, RegistrationStatus.WAITING, 2)
    for number in range(3, 6):  # walk-ins who gave no address
        seat(event, RegistrationStatus.CONFIRMED, number, email=None, walk_in=True)
    staff_login(client, make_staff())
    other = make_venue(name="Rathaus Senftenberg", street="Markt 1")
    day = event.starts_at.astimezone(BERLIN)
    data = {"venue": str(other.id), "day": f"{day:%d.%m.%Y}", "starts": "11:00", "ends": "16:00"}
    moving = visible_text(client.post(f"/organizer/events/{event.id}/move", data=data))
    assert "1 Person erhält eine aktualisierte Einladung." in moving
    assert "3 Angemeldete haben keine E-Mail-Adresse und erfahren es nicht." in moving
    assert "Ja, Veranstaltung verlegen" in moving and "Nein, Zeit und Ort beibehalten" in moving
    english = visible_text(client.post(f"/organizer/events/{event.id}/move?lang=en", data=data))
    assert "Yes, move the event" in english and "No, keep its time and place" in english and "Cancel" not in english
    moved = client.post(f"/organizer/events/{event.id}/move", data={**data, "confirmed": "1"}, follow_redirects=True)
    assert (
        "Die Veranstaltung ist verlegt; 1 Person erhält eine aktualisierte Einladung. "
        "3 Angemeldete haben keine E-Mail-Adresse und erfahren es nicht."
    ) in visible_text(moved)
    assert len(smtp.wait_for(1)) == 1
    asked = visible_text(client.get(f"/organizer/events/{event.id}/cancel"))
    assert "2 Personen werden über die Absage informiert." in asked
    assert "3 Angemeldete haben keine E-Mail-Adresse und erfahren es nicht." in asked
    assert "Ja, Veranstaltung absagen" in asked and "Nein, Veranstaltung beibehalten" in asked
    english = visible_text(client.get(f"/organizer/events/{event.id}/cancel?lang=en"))
    assert "Yes, call off the event" in english and "No, keep the event" in english and "Cancel" not in english
    done = visible_text(client.post(f"/organizer/events/{event.id}/cancel", follow_redirects=True))
    assert (
        "Die Veranstaltung ist abgesagt; 2 Personen werden benachrichtigt. "
        "3 Angemeldete haben keine E-Mail-Adresse und erfahren es nicht."
    ) in done
    assert "alle Angemeldeten" not in done
    assert len(smtp.wait_for(3)) == 3


def test_a_draft_is_not_cancelled_into_public_view(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    draft = make_event(title="Geheimer Entwurf", status=EventStatus.DRAFT)
    staff_login(client, make_staff())
    detail = visible_text(client.get(f"/organizer/events/{draft.id}"))
    assert "Absagen" not in detail
    page = visible_text(client.get(f"/organizer/events/{draft.id}/cancel?lang=en"))
    assert "This draft is not public: nobody needs to be told." in page
    assert "Yes, cancel" not in page
    response = client.post(f"/organizer/events/{draft.id}/cancel")
    assert response.status_code == 303
    assert "Ein Entwurf ist nicht öffentlich" in visible_text(client.get(response.headers["Location"]))
    db.session.rollback()
    assert db.session.get(Event, draft.id).status == EventStatus.DRAFT
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert "Geheimer Entwurf" not in client.get("/events.ics").get_data(as_text=True)
    with pytest.raises(EventChangeError):
        committed(cancel_event, draft.id)


def test_a_draft_made_by_mistake_is_deleted_after_one_question(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    start = datetime.now(UTC) + timedelta(days=30)
    published = make_event(title="Rückkehrertag")
    # made last, so that it has the highest number, which SQLite gives out again after the delete
    draft = make_event(title="Kopie aus Versehen", status=EventStatus.DRAFT, starts_at=start,
                       programme=[(start, None, "Begrüßung")])  # fmt: skip
    draft_id = draft.id
    staff_login(client, make_staff())
    assert "Entwurf löschen" in visible_text(client.get(f"/organizer/events/{draft.id}"))
    assert "Entwurf löschen" not in visible_text(client.get(f"/organizer/events/{published.id}"))
    asked = visible_text(client.get(f"/organizer/events/{draft.id}/cancel?lang=en"))
    assert "You can delete it; this cannot be undone." in asked and "Yes, delete the draft" in asked
    db.session.rollback()
    assert db.session.get(Event, draft.id) is not None  # the question changed nothing
    response = client.post(f"/organizer/events/{draft.id}/delete")
    assert response.status_code == 303
    assert "Der Entwurf „Kopie aus Versehen“ ist gelöscht." in visible_text(client.get(response.headers["Location"]))
    db.session.rollback()
    assert db.session.get(Event, draft_id) is None
    assert client.post(f"/organizer/events/{published.id}/delete").status_code == 404  # only drafts go
    assert db.session.get(Event, published.id) is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "event.deleted")).one()
    assert entry.object_id == draft_id
    with pytest.raises(EventChangeError):
        committed(delete_draft, published.id)
    successor = make_event(title="Neu angelegt", status=EventStatus.DRAFT)  # on SQLite it may take the same number
    trail = visible_text(client.get(f"/organizer/audit?object_type=event&object_id={draft_id}"))
    assert f"Veranstaltung Nr. {draft_id}" in trail and "Neu angelegt" not in trail
    assert successor.id


def test_a_draft_holding_registrations_stays_and_says_why(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    draft = make_event(title="Entwurf mit Gast", status=EventStatus.DRAFT)
    seat(draft, RegistrationStatus.CONFIRMED, 1, walk_in=True)  # taken at the door before drafts were refused
    staff_login(client, make_staff())
    response = client.post(f"/organizer/events/{draft.id}/delete")
    assert response.status_code == 303
    told = visible_text(client.get(response.headers["Location"]))
    assert "Dieser Entwurf lässt sich nicht löschen: Er ist inzwischen veröffentlicht oder hat Anmeldungen." in told
    db.session.rollback()
    assert db.session.get(Event, draft.id) is not None


def test_last_years_day_is_copied_to_this_year_with_its_programme_and_series(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
) -> None:
    with time_machine.travel(datetime(2030, 6, 1, 10, tzinfo=UTC), tick=False):
        series = make_series("Rückkehrertage 2029")
        start = datetime(2029, 12, 28, 9, tzinfo=UTC)
        event = make_event(
            title="Rückkehrertag Senftenberg 2029",
            series=series,
            starts_at=start,
            programme=[(start, start + timedelta(hours=1), "Begrüßung")],
        )
        staff_login(client, make_staff())
        response = client.post(f"/organizer/events/{event.id}/duplicate")
        assert response.status_code == 303
        db.session.rollback()
        copy = db.session.get(Event, int(response.location.rsplit("/", 1)[1]))
        assert copy.status == EventStatus.DRAFT
        assert copy.title == "Rückkehrertag Senftenberg 2030"
        assert copy.starts_at == datetime(2030, 12, 28, 9, tzinfo=UTC)
        assert [item.title for item in copy.programme] == ["Begrüßung"]
        assert copy.series.title == "Rückkehrertage 2030"
        assert db.session.scalar(select(EventSeries).where(EventSeries.title == "Rückkehrertage 2029")) is not None
        again = client.post(f"/organizer/events/{event.id}/duplicate", follow_redirects=True)
        assert "Am Samstag, 28. Dezember 2030 gibt es an diesem Ort schon eine Veranstaltung: diese hier." in (
            visible_text(again)
        ), "a second click leads to the copy made before"
        assert again.request.path == f"/organizer/events/{copy.id}"
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Event).where(Event.starts_at == copy.starts_at)) == 1


def test_programme_items_series_and_venues(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, town: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    wrong = client.post(
        f"/organizer/events/{event.id}/programme", data={"starts": "12:00", "ends": "11:00", "title": "Quiz"}
    )
    assert wrong.status_code == 422 and "Das Ende muss nach dem Beginn liegen." in visible_text(wrong)
    client.post(f"/organizer/events/{event.id}/programme", data={"starts": "12:00", "ends": "12:30", "title": "Quiz"})
    page = client.get(f"/organizer/events/{event.id}").get_data(as_text=True)
    assert "12:00–12:30 Quiz" in re.sub(r"\s+", " ", page)
    db.session.rollback()
    item_id = db.session.get(Event, event.id).programme[0].id
    client.post(f"/organizer/events/{event.id}/programme/{item_id}/delete")
    db.session.rollback()
    assert db.session.get(Event, event.id).programme == []

    assert client.post("/organizer/series", data={"title": "Sommerfeste 2031"}).status_code == 303
    assert client.post("/organizer/series", data={"title": "Sommerfeste 2031"}).status_code == 422
    venue = {
        "town": str(town("senftenberg").id),
        "name": "Hafen",
        "street": "Am Hafen 1",
        "postal_code": "01968",
        "locality": "Senftenberg",
        "latitude": "51,52",
        "longitude": "14.01",
    }
    assert client.post("/organizer/venues/new", data=venue).status_code == 303
    foreign = {**venue, "town": str(town("finsterwalde").id)}
    assert client.post("/organizer/venues/new", data=foreign).status_code == 422  # not one of the choices
