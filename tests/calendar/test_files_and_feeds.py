"""The calendar file of one event and the subscribable feeds, as calendar clients read them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from flask.testing import FlaskClient

from rueckkehr.events.calendar import berlin_timezone
from rueckkehr.events.models import Event, EventStatus, ProgrammeItem
from rueckkehr.events.operations import cancel_event, change_event
from rueckkehr.extensions import db
from rueckkehr.places.models import Town, Venue
from rueckkehr.transactions import unit_of_work
from tests.support.calendars import TRICKY_TITLE, parse
from tests.support.pages import visible_text

BERLIN = ZoneInfo("Europe/Berlin")


def december_morning(days_ahead: int = 20) -> datetime:
    """10:00 Berlin time, some days from now (whatever today is)."""
    day = (datetime.now(UTC) + timedelta(days=days_ahead)).astimezone(BERLIN).date()
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=BERLIN).astimezone(UTC)


def test_event_file_is_a_publish_calendar_with_timezone_place_and_escaped_text(
    client: FlaskClient, make_event: Callable[..., Event], make_venue: Callable[..., Venue]
) -> None:
    starts = december_morning()
    event = make_event(
        title=TRICKY_TITLE,
        summary="Arbeitgeber, Wohnen; Kita\\Schule",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        programme=[(starts, starts + timedelta(hours=1), "Begrüßung durch die Bürgermeisterin")],
    )

    response = client.get(f"/events/{event.id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith('.ics"')
    assert "senftenberg" in disposition and disposition.isascii()
    calendar = parse(response.data)
    assert calendar.icalendar["METHOD"] == "PUBLISH"
    assert calendar.icalendar["VERSION"] == "2.0" and calendar.icalendar["PRODID"]
    [timezone] = calendar.icalendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    [vevent] = calendar.events()
    assert vevent["UID"] == f"event-{event.id}@rueckkehr.test"
    assert vevent["SUMMARY"] == TRICKY_TITLE
    assert vevent.start == starts and vevent.start.tzinfo.key == "Europe/Berlin"
    assert vevent.start.hour == 10 and vevent.end.hour == 15
    assert b"DTSTART;TZID=Europe/Berlin:" in response.data
    assert vevent["LOCATION"] == "Niederlausitzhalle Senftenberg, Ernst-Thälmann-Straße 61, 01968 Senftenberg"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (51.5197, 14.0021)
    assert vevent["URL"] == f"http://rueckkehr.test/events/{event.id}"
    assert vevent["STATUS"] == "CONFIRMED"
    description = str(vevent["DESCRIPTION"])
    assert "Arbeitgeber, Wohnen; Kita\\Schule" in description
    assert "10:00–11:00 Begrüßung durch die Bürgermeisterin" in description
    assert "Alle Angaben und Anmeldung:" in description

    [second] = calendar.vevents()
    assert second.summary.value == TRICKY_TITLE
    assert second.dtstart.value == starts
    assert second.location.value == vevent["LOCATION"]
    assert second.description.value == description
    assert second.uid.value == vevent["UID"]


def test_the_timezone_rules_agree_with_zoneinfo_every_year() -> None:
    """The VTIMEZONE, read back by icalendar, gives Berlin's offset at every switch from 2000 to 2037."""
    calendar = icalendar.Calendar.from_ical(berlin_timezone().to_ical())
    tz = calendar.to_tz()
    for year in range(2000, 2038):
        for month, day in ((1, 15), (3, 31), (4, 2), (7, 1), (10, 24), (10, 31), (11, 2), (12, 28)):
            local = datetime(year, month, day, 12, 0)
            assert local.replace(tzinfo=tz).utcoffset() == local.replace(tzinfo=BERLIN).utcoffset(), local


def test_feed_holds_public_events_from_ninety_days_back_and_keeps_a_cancelled_one(
    client: FlaskClient, make_event: Callable[..., Event], make_venue: Callable[..., Venue], town: Callable[[str], Town]
) -> None:
    upcoming = make_event(title="Kommend", starts_at=december_morning(20))
    recent = make_event(title="Vor einem Monat", starts_at=december_morning(-30))
    make_event(title="Zu alt", starts_at=december_morning(-120))
    make_event(title="Entwurf", starts_at=december_morning(25), status=EventStatus.DRAFT)
    elsewhere = make_event(
        title="In Finsterwalde",
        starts_at=december_morning(22),
        venue=make_venue(name="Stadthalle Finsterwalde", town=town("finsterwalde"), locality="Finsterwalde"),
    )
    called_off = make_event(title="Fällt aus", starts_at=december_morning(24))
    with unit_of_work():
        cancel_event(called_off.id)

    response = client.get("/events.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="rueckkehrertage.ics"'
    calendar = parse(response.data)
    assert calendar.icalendar["METHOD"] == "PUBLISH"
    assert calendar.icalendar["X-WR-CALNAME"] == "Rückkehrertage im RWK Westlausitz"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in response.data
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in response.data
    uids = {str(v["UID"]): v for v in calendar.events()}
    assert set(uids) == {f"event-{e.id}@rueckkehr.test" for e in (upcoming, recent, elsewhere, called_off)}
    cancelled = uids[f"event-{called_off.id}@rueckkehr.test"]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == 1
    assert cancelled["SUMMARY"] == "Abgesagt: Fällt aus"
    assert {v.uid.value for v in calendar.vevents()} == set(uids)

    senftenberg = parse(client.get("/events.ics?town=senftenberg").data)
    assert f"event-{elsewhere.id}@rueckkehr.test" not in {str(v["UID"]) for v in senftenberg.events()}
    assert senftenberg.icalendar["X-WR-CALNAME"] == "Rückkehrertage im RWK Westlausitz – Senftenberg"
    assert client.get("/events.ics?town=atlantis").status_code == 404


def test_cancelled_events_leave_the_feed_after_a_while(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event(starts_at=december_morning(60))
    recent = make_event(title="Kürzlich abgesagt", starts_at=december_morning(61))
    with unit_of_work():
        cancel_event(event.id, now=datetime.now(UTC) - timedelta(days=31))
    with unit_of_work():
        cancel_event(recent.id, now=datetime.now(UTC) - timedelta(days=29))

    response = client.get("/events.ics")
    assert response.status_code == 200
    [vevent] = parse(response.data).events()  # only the one cancelled within the last 30 days
    assert str(vevent["SUMMARY"]).endswith("Kürzlich abgesagt") and vevent["STATUS"] == "CANCELLED"


def test_feed_speaks_english_when_asked(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    make_event(title="Rückkehrertag", starts_at=december_morning())

    calendar = parse(client.get("/events.ics?lang=en", headers={"Accept-Language": "de"}).data)

    assert calendar.icalendar["X-WR-CALNAME"] == "Returnee Days in the RWK Westlausitz"
    assert "Details and registration:" in str(calendar.events()[0]["DESCRIPTION"])


def test_calendars_for_an_english_reader_link_the_english_page(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(title="Rückkehrertag", starts_at=december_morning())
    page = f"http://rueckkehr.test/events/{event.id}"
    for path in (f"/events/{event.id}.ics?lang=en", "/events.ics?lang=en", "/events.ics?lang=en&town=senftenberg"):
        [vevent] = parse(client.get(path).data).events()
        assert vevent["URL"] == f"{page}?lang=en", path
        assert f"Details and registration:\n{page}?lang=en" in str(vevent["DESCRIPTION"]), path
        assert vevent["UID"] == f"event-{event.id}@rueckkehr.test" and vevent["SEQUENCE"] == 0
    for path in (f"/events/{event.id}.ics", "/events.ics"):  # German needs no parameter
        [vevent] = parse(client.get(path).data).events()
        assert vevent["URL"] == page and str(vevent["DESCRIPTION"]).endswith(f"Alle Angaben und Anmeldung:\n{page}")


def test_a_conditional_get_returns_304_without_a_body_until_the_event_changes(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=december_morning())
    for path in ("/events.ics", f"/events/{event.id}.ics", "/events.ics?town=senftenberg"):
        first = client.get(path)
        etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag
        since = client.get(path, headers={"If-Modified-Since": last_modified})
        assert since.status_code == 304 and since.data == b""

    with unit_of_work():
        change_event(
            event.id, starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at + timedelta(hours=1)
        )

    changed = client.get("/events.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    [vevent] = parse(changed.data).events()
    assert vevent["SEQUENCE"] == 1 and vevent.start.hour == 11


def test_a_new_event_changes_the_feed_version(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    make_event(starts_at=december_morning())
    etag = client.get("/events.ics").headers["ETag"]
    make_event(title="Neu dazu", starts_at=december_morning() + timedelta(days=1))
    fresh = client.get("/events.ics", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert [str(vevent["SUMMARY"]) for vevent in parse(fresh.data).events()][-1] == "Neu dazu"


def test_event_list_and_event_page_offer_webcal_subscriptions(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=december_morning())

    listing = client.get("/events?town=senftenberg").get_data(as_text=True)
    assert 'href="webcal://rueckkehr.test/events.ics?town=senftenberg"' in listing
    assert "Kalender abonnieren" in visible_text(client.get("/events"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}.ics"' in page
    assert 'href="webcal://rueckkehr.test/events.ics?town=senftenberg"' in page
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert 'href="webcal://rueckkehr.test/events.ics?town=senftenberg&amp;lang=en"' in english


@pytest.mark.parametrize(
    "edit",
    ["programme title", "programme item added", "programme item removed", "venue address", "venue name"],
)
def test_edits_of_the_programme_and_the_venue_change_feed_and_file(
    client: FlaskClient, make_event: Callable[..., Event], edit: str
) -> None:
    start = december_morning()
    event = make_event(
        starts_at=start, programme=[(start, None, "Begrüßung"), (start + timedelta(hours=1), None, "Talk")]
    )
    paths = ("/events.ics", f"/events/{event.id}.ics", "/events.ics?town=senftenberg")
    before = {path: client.get(path) for path in paths}

    later = datetime.now(UTC) + timedelta(seconds=2)  # a change time later than the event's own
    with time_machine.travel(later, tick=False), unit_of_work():
        item = db.session.get(Event, event.id).programme[0]
        venue = db.session.get(Event, event.id).venue
        if edit == "programme title":
            item.title = "Begrüßung durch die Bürgermeisterin"
        elif edit == "programme item added":
            db.session.add(ProgrammeItem(event_id=event.id, starts_at=start + timedelta(hours=2), title="Führung"))
        elif edit == "programme item removed":
            db.session.delete(item)
        elif edit == "venue address":
            venue.street = "Markt 1"
        else:
            venue.name = "Rathaus Senftenberg"

    for path in paths:
        old = before[path]
        assert client.get(path, headers={"If-None-Match": old.headers["ETag"]}).status_code == 200, path
        changed = client.get(path)
        assert changed.headers["ETag"] != old.headers["ETag"], path
        assert changed.data != old.data, path
        assert client.get(path, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304, path
