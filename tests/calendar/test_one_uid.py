"""One UID per event: the public ``/events/<id>.ics`` and every invitation to the event name the same entry, so a
returnee who adds both keeps one. Read by icalendar and vobject, and by a client that keeps entries by UID and
takes the one with the higher SEQUENCE (RFC 5546 3.2.2: a REQUEST with a lower SEQUENCE is an old one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.events.operations import change_event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration
from rueckkehr.returnees.operations import erase_profile
from tests.support.calendars import ParsedCalendar, invite_of, parse
from tests.support.registrations import form_data, link_in
from tests.support.smtp import SMTPServer
from tests.support.units import committed


class Client:
    """A calendar client as RFC 5546 describes it: one entry per UID; an update counts only if its SEQUENCE is not
    lower than the one it holds; a CANCEL of the UID removes the entry."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, str]] = {}

    def add(self, calendar: ParsedCalendar) -> None:
        """Import a file or take an invitation, reading each VEVENT with both parsers."""
        method = str(calendar.icalendar.get("METHOD", "PUBLISH"))
        for vevent, other in zip(calendar.events(), calendar.vevents(), strict=True):
            uid, sequence = str(vevent["UID"]), int(vevent["SEQUENCE"])
            assert (other.uid.value, int(other.sequence.value)) == (uid, sequence)  # both parsers agree
            held = self.entries.get(uid)
            if held is not None and sequence < held[0]:
                continue  # an old message: ignored
            if method == "CANCEL":
                self.entries.pop(uid, None)
            else:
                self.entries[uid] = (sequence, str(vevent["DTSTART"].to_ical().decode()))


def public_file(client: FlaskClient, event: Event) -> ParsedCalendar:
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200
    return parse(response.get_data())


def registered_and_confirmed(client: FlaskClient, smtp: SMTPServer, event: Event, **form: Any) -> Any:
    before = len(smtp.messages)
    client.post(f"/events/{event.id}/register", data=form_data(**form))
    client.post(link_in(smtp.wait_for(before + 1)[before], "/confirm/"))
    return smtp.wait_for(before + 2)[before + 1]


def test_the_public_file_and_the_invitation_make_one_entry_through_changes_cancelling_and_coming_back(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    calendar = Client()
    calendar.add(public_file(client, event))  # the returnee adds the day from the event page first
    confirmed = registered_and_confirmed(client, smtp, event)
    invitation = invite_of(confirmed, "REQUEST")
    [vevent] = invitation.events()
    assert {"ATTENDEE", "SEQUENCE"} <= set(vevent) and invitation.icalendar["METHOD"] == "REQUEST"
    calendar.add(invitation)
    assert list(calendar.entries) == [f"event-{event.id}@rueckkehr.test"]  # one entry, not two

    # The event moves: the file and the update both rise; whichever comes first, the entry follows.
    committed(change_event, event.id, starts_at=event.starts_at + timedelta(hours=1),
              ends_at=event.ends_at + timedelta(hours=1))  # fmt: skip
    [update] = [m for m in smtp.wait_for(3)[2:] if "Geänderter Termin" in m.message["Subject"]]
    moved_file, moved_invite = public_file(client, event), invite_of(update, "REQUEST")
    assert int(moved_invite.events()[0]["SEQUENCE"]) >= int(moved_file.events()[0]["SEQUENCE"]) == 1
    calendar.add(moved_file)
    calendar.add(invitation)  # a late copy of the first invitation: older, so ignored
    calendar.add(moved_invite)
    [(sequence, start)] = calendar.entries.values()
    assert start == moved_file.events()[0]["DTSTART"].to_ical().decode()

    # Cancelling removes the one entry, also the one the returnee imported from the file.
    manage = link_in(confirmed, "/me/")
    db.session.rollback()
    first = db.session.scalars(select(Registration)).one()
    client.post(f"{manage}/registrations/{first.id}/cancel")
    cancel = next(m for m in smtp.wait_for(4)[3:] if "storniert" in m.message["Subject"])
    calendar.add(invite_of(cancel, "CANCEL"))
    assert calendar.entries == {}

    # Registering again brings the entry back: the new invitation is not taken for an old one.
    again = registered_and_confirmed(client, smtp, event)
    calendar.add(invite_of(again, "REQUEST"))
    assert list(calendar.entries) == [f"event-{event.id}@rueckkehr.test"]
    assert calendar.entries[f"event-{event.id}@rueckkehr.test"][0] > sequence


def test_a_walk_in_after_a_cancelled_registration_brings_the_entry_back(
    app: Flask,
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    make_staff: Callable[..., Any],
    staff_login: Callable[..., Any],
) -> None:
    """Someone who cancelled (the CANCEL removed the entry) comes to the door after all: the walk-in's invitation
    for the same UID rises above the CANCEL, or the calendar would take it for an old message and ignore it."""
    event = make_event()
    calendar = Client()
    confirmed = registered_and_confirmed(client, smtp, event)
    calendar.add(invite_of(confirmed, "REQUEST"))
    db.session.rollback()
    first = db.session.scalars(select(Registration)).one()
    client.post(f"{link_in(confirmed, '/me/')}/registrations/{first.id}/cancel")
    cancel = next(m for m in smtp.wait_for(3)[2:] if "storniert" in m.message["Subject"])
    calendar.add(invite_of(cancel, "CANCEL"))
    cancelled_at = int(invite_of(cancel, "CANCEL").events()[0]["SEQUENCE"])
    assert calendar.entries == {}

    staff = app.test_client()
    staff_login(staff, make_staff())
    walk_in = {"first_name": "Jana", "last_name": "Müller", "email": "jana.mueller@example.org",
               "postal_code": "01968", "city": "Senftenberg", "country": "DE", "companions": "0",
               "consent_method": "oral"}  # fmt: skip
    assert staff.post(f"/organizer/events/{event.id}/registrations/walk-in", data=walk_in).status_code == 303
    seated = smtp.wait_for(4)[3]
    assert seated.envelope_to == ["jana.mueller@example.org"]
    invitation = invite_of(seated, "REQUEST")
    [vevent], [other] = invitation.events(), invitation.vevents()
    assert int(vevent["SEQUENCE"]) == int(other.sequence.value) > cancelled_at  # both parsers read the same
    calendar.add(invitation)
    assert list(calendar.entries) == [f"event-{event.id}@rueckkehr.test"]


def test_registering_again_after_an_erasure_rises_above_the_erasures_cancel(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    """The erasure's CANCEL outlives the data: the address registering again (a new person to the platform, whose
    earlier registrations are gone) gets an invitation above it, or the calendar would ignore it."""
    event = make_event()
    calendar = Client()
    calendar.add(invite_of(registered_and_confirmed(client, smtp, event), "REQUEST"))
    db.session.rollback()
    profile_id = db.session.scalars(select(Registration.profile_id)).one()
    committed(erase_profile, profile_id)
    erased = smtp.wait_for(3)[2]
    cancelled_at = int(invite_of(erased, "CANCEL").events()[0]["SEQUENCE"])
    calendar.add(invite_of(erased, "CANCEL"))
    assert calendar.entries == {} and cancelled_at > 0

    again = invite_of(registered_and_confirmed(client, smtp, event), "REQUEST")
    [vevent], [other] = again.events(), again.vevents()
    assert int(vevent["SEQUENCE"]) == int(other.sequence.value) > cancelled_at
    calendar.add(again)
    assert list(calendar.entries) == [f"event-{event.id}@rueckkehr.test"]


def test_an_erasure_leaves_the_events_public_calendar_as_it_was(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    """The step an erasure keeps is the invitations' business: the public file and feed (their ETag, DTSTAMP and
    LAST-MODIFIED) do not tell anyone that a registrant was erased."""
    event = make_event()
    registered_and_confirmed(client, smtp, event)
    before = client.get(f"/events/{event.id}.ics")
    feed_before = client.get("/events.ics")
    db.session.rollback()
    profile_id = db.session.scalars(select(Registration.profile_id)).one()
    committed(erase_profile, profile_id)
    after = client.get(f"/events/{event.id}.ics")
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.get_data() == before.get_data()
    assert client.get("/events.ics").headers["ETag"] == feed_before.headers["ETag"]
