"""Calendar invitations in real mail: REQUEST on confirmation, updates when the event moves, CANCEL to remove it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.events.operations import cancel_event, change_event
from rueckkehr.extensions import db
from rueckkehr.mail.delivery import deliver_due
from rueckkehr.places.models import Venue
from rueckkehr.registrations.models import Registration
from rueckkehr.transactions import unit_of_work
from tests.support.calendars import TRICKY_TITLE, invite_of
from tests.support.registrations import link_in
from tests.support.smtp import ReceivedMail, SMTPServer


def alternatives_of(mail: ReceivedMail) -> list[str]:
    """The content types inside the multipart/alternative body."""
    [alternative] = [p for p in mail.message.walk() if p.get_content_type() == "multipart/alternative"]
    return [p.get_content_type() for p in alternative.iter_parts()]


def register_and_confirm(
    client: FlaskClient, smtp: SMTPServer, submit: Callable[..., Any], event: Event, **form: Any
) -> ReceivedMail:
    """Register and confirm by the mailed link; return the confirmation mail."""
    before = len(smtp.messages)
    assert submit(event.id, **form).status_code == 303
    request = smtp.wait_for(before + 1)[before]
    client.post(link_in(request, "/confirm/"))
    return smtp.wait_for(before + 2)[before + 1]


def current(registration_id: int) -> Registration:
    """The registration as committed."""
    db.session.rollback()
    return db.session.get(Registration, registration_id)


def test_confirmation_mail_invites_moving_updates_and_cancelling_removes(
    client: FlaskClient,
    smtp: SMTPServer,
    submit: Callable[..., Any],
    make_event: Callable[..., Event],
    make_venue: Callable[..., Venue],
) -> None:
    event = make_event(title=TRICKY_TITLE)

    confirmed = register_and_confirm(client, smtp, submit, event)

    assert alternatives_of(confirmed) == ["text/plain", "text/html", "text/calendar"]
    invite = invite_of(confirmed, "REQUEST")
    [timezone] = invite.icalendar.walk("VTIMEZONE")
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    [vevent] = invite.events()
    registration = current(current_registration_id())
    uid = str(vevent["UID"])
    assert uid == f"event-{event.id}@rueckkehr.test"  # the public file's UID: one entry in the calendar
    assert vevent["SEQUENCE"] == 0 and vevent["STATUS"] == "CONFIRMED"
    assert vevent["SUMMARY"] == TRICKY_TITLE
    assert vevent.start == event.starts_at and vevent.start.tzinfo.key == "Europe/Berlin"
    assert vevent.end == event.ends_at
    assert "DTSTAMP" in vevent
    assert vevent["LOCATION"] == "Niederlausitzhalle Senftenberg, Ernst-Thälmann-Straße 61, 01968 Senftenberg"
    assert "GEO" in vevent and vevent["URL"] == f"http://rueckkehr.test/events/{event.id}"
    organizer = vevent["ORGANIZER"]
    assert organizer == "mailto:noreply@rueckkehr.test"
    assert organizer.params["CN"] == "Rückkehr – Rückkehrertage im RWK Westlausitz"
    attendee = vevent["ATTENDEE"]
    assert attendee == "mailto:jana.mueller@example.org"
    assert attendee.params["CN"] == "Jana Müller" and attendee.params["RSVP"] == "FALSE"
    [alarm] = vevent.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(days=-1) and alarm["ACTION"] == "DISPLAY"
    description = str(vevent["DESCRIPTION"])
    assert "http://rueckkehr.test/registration/" in description
    assert "/me/" not in description and "/me/" not in invite.raw.decode()
    [second] = invite.vevents()
    assert second.uid.value == uid and second.summary.value == TRICKY_TITLE
    assert second.dtstart.value == event.starts_at and int(second.sequence.value) == 0
    assert second.attendee.params["RSVP"] == ["FALSE"]
    # The link in the calendar shows this one registration and nothing more.
    page = client.get(description.split("http://rueckkehr.test", 1)[1].split()[0])
    assert page.status_code == 200 and "Anmeldung stornieren" in page.get_data(as_text=True)

    # The organizers move the event by an hour and to another hall.
    db.session.rollback()  # end the test's read snapshot before writing beside the delivery thread (SQLite)
    hall = make_venue(name="Stadthalle Senftenberg", street="Markt 1")
    starts_at, ends_at = event.starts_at, event.ends_at
    with unit_of_work():
        change_event(
            event.id,
            starts_at=starts_at + timedelta(hours=1),
            ends_at=ends_at + timedelta(hours=1),
            venue_id=hall.id,
        )
    deliver_due()  # as `flask jobs run` does for changes made outside a request
    update = smtp.wait_for(3)[2]
    assert update.message["Subject"] == f"Geänderter Termin: {' '.join(TRICKY_TITLE.split())}"
    assert "Neue Zeit:" in update.text_body() and "(bisher:" in update.text_body()
    assert "Neuer Ort: Stadthalle Senftenberg, Markt 1, 01968 Senftenberg" in update.text_body()
    [moved] = invite_of(update, "REQUEST").events()
    assert str(moved["UID"]) == uid and moved["SEQUENCE"] == 1
    assert moved.start == starts_at + timedelta(hours=1) and moved.end == ends_at + timedelta(hours=1)
    assert moved["LOCATION"].startswith("Stadthalle Senftenberg")
    assert str(moved["DESCRIPTION"]).startswith("Neue Zeit:")

    # Then they call it off.
    with unit_of_work():
        cancel_event(event.id)
    deliver_due()
    cancellation = smtp.wait_for(4)[3]
    assert cancellation.message["Subject"] == f"Abgesagt: {' '.join(TRICKY_TITLE.split())}"
    calendar = invite_of(cancellation, "CANCEL")
    [gone] = calendar.events()
    assert str(gone["UID"]) == uid and gone["SEQUENCE"] == 2 and gone["STATUS"] == "CANCELLED"
    assert calendar.vevents()[0].uid.value == uid
    assert current(registration.id).sequence == 0  # the event's SEQUENCE rose; the registration took no step


def test_cancelling_removes_the_entry_and_registering_again_brings_it_back_with_a_higher_sequence(
    client: FlaskClient, smtp: SMTPServer, submit: Callable[..., Any], make_event: Callable[..., Event]
) -> None:
    event = make_event()
    confirmed = register_and_confirm(client, smtp, submit, event)
    [invited] = invite_of(confirmed, "REQUEST").events()

    client.post(link_in(confirmed, "/me/") + f"/registrations/{current_registration_id()}/cancel")

    cancelled = smtp.wait_for(3)[2]
    [gone] = invite_of(cancelled, "CANCEL").events()
    assert gone["UID"] == invited["UID"] and gone["SEQUENCE"] == 1 and gone["STATUS"] == "CANCELLED"

    # The same UID again: a SEQUENCE above the CANCEL's, or the calendar would take the invitation for an old one.
    again = register_and_confirm(client, smtp, submit, event)
    [new] = invite_of(again, "REQUEST").events()
    assert new["UID"] == invited["UID"] and new["SEQUENCE"] == 2


def current_registration_id() -> int:
    """The id of the newest registration."""
    db.session.rollback()
    return db.session.scalars(select(Registration.id).order_by(Registration.id.desc())).first()


def test_english_registrants_get_english_calendar_text(
    client: FlaskClient, smtp: SMTPServer, submit: Callable[..., Any], make_event: Callable[..., Event]
) -> None:
    event = make_event(programme=[])
    assert client.post("/sprache", data={"lang": "en", "next": "/"}).status_code in (302, 303)

    confirmed = register_and_confirm(client, smtp, submit, event)

    [vevent] = invite_of(confirmed, "REQUEST").events()
    assert "View or cancel your registration:" in str(vevent["DESCRIPTION"])
    assert str(vevent.walk("VALARM")[0]["DESCRIPTION"]).startswith("Tomorrow: ")


def test_the_reminder_goes_out_once_two_days_before_with_the_invite_again(
    client: FlaskClient,
    smtp: SMTPServer,
    submit: Callable[..., Any],
    make_event: Callable[..., Event],
    runner: Any,
) -> None:
    event = make_event()
    confirmed = register_and_confirm(client, smtp, submit, event)
    [invited] = invite_of(confirmed, "REQUEST").events()

    with time_machine.travel(event.starts_at - timedelta(days=3), tick=False):
        assert "registrations.remind: 0" in runner.invoke(args=["jobs", "run"]).output
    with time_machine.travel(event.starts_at - timedelta(days=2) + timedelta(minutes=5), tick=False):
        assert "registrations.remind: 1" in runner.invoke(args=["jobs", "run"]).output
    [reminder] = reminders(smtp)
    assert reminder.message["Subject"] == f"Bald ist es so weit: {event.title}"
    assert "Anfahrt" in reminder.text_body() and "Ernst-Thälmann-Straße 61, 01968 Senftenberg" in reminder.text_body()
    assert "openstreetmap.org" in reminder.text_body()
    assert "http://rueckkehr.test/me/" in reminder.text_body()
    [again] = invite_of(reminder, "REQUEST").events()
    assert again["UID"] == invited["UID"] and again["SEQUENCE"] == 0

    with time_machine.travel(event.starts_at - timedelta(days=1), tick=False):
        assert "registrations.remind: 0" in runner.invoke(args=["jobs", "run"]).output
    assert len(reminders(smtp)) == 1


def reminders(smtp: SMTPServer) -> list[ReceivedMail]:
    """The reminder mails received so far (`flask jobs run` delivers before it returns)."""
    return [mail for mail in smtp.messages if mail.message["Subject"].startswith("Bald ist es so weit")]


def test_late_seats_get_no_extra_reminder(
    client: FlaskClient, smtp: SMTPServer, submit: Callable[..., Any], make_event: Callable[..., Event], runner: Any
) -> None:
    starts = (datetime.now(UTC) + timedelta(days=1, hours=12)).replace(microsecond=0)
    event = make_event(starts_at=starts, registration_closes_at=starts - timedelta(hours=2))
    register_and_confirm(client, smtp, submit, event)

    assert "registrations.remind: 0" in runner.invoke(args=["jobs", "run"]).output


def test_an_english_invitation_links_the_english_page_of_the_event(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    from tests.support.registrations import form_data

    event = make_event()
    assert client.post(f"/events/{event.id}/register?lang=en", data=form_data()).status_code == 303
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    [vevent] = invite_of(smtp.wait_for(2)[1], "REQUEST").events()
    assert vevent["URL"] == f"http://rueckkehr.test/events/{event.id}?lang=en"
    assert vevent["UID"] == f"event-{event.id}@rueckkehr.test" and vevent["SEQUENCE"] == 0
