"""The public event list and event pages, as a visitor sees them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from flask.testing import FlaskClient

from rueckkehr.events.models import Event, EventStatus
from rueckkehr.places.models import Town, Venue
from tests.support.pages import visible_text


@time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
def test_event_page_shows_the_german_long_date_venue_programme_and_seats(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    start = datetime(2026, 12, 27, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    event = make_event(
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        capacity=37,
        programme=[
            (start, start + timedelta(minutes=30), "Begrüßung durch die Bürgermeisterin"),
            (start + timedelta(hours=1), None, "Arbeitgebermesse"),
        ],
    )
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Sonntag, 27. Dezember 2026, 10:00–15:00 Uhr" in text
    assert "Niederlausitzhalle Senftenberg Ernst-Thälmann-Straße 61 01968 Senftenberg" in text
    assert "noch 37 Plätze frei" in text
    assert "10:00–10:30 Begrüßung durch die Bürgermeisterin" in text
    assert "11:00 Arbeitgebermesse" in text
    html = response.get_data(as_text=True)
    assert 'href="https://www.openstreetmap.org/?mlat=51.51970&amp;mlon=14.00210' in html
    assert "<iframe" not in html
    assert f'href="/events/{event.id}/register"' in html


@time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
def test_event_page_in_english(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    start = datetime(2026, 12, 27, 9, 0, tzinfo=UTC)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=5), capacity=1)
    text = visible_text(client.get(f"/events/{event.id}?lang=en"))
    assert "Sunday 27 December 2026, 10:00–15:00" in text  # British English: returnees abroad read it so
    assert "1 seat left" in text
    assert "Register now" in text


def test_full_event_offers_the_waiting_list(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event(capacity=0)
    text = visible_text(client.get(f"/events/{event.id}"))
    assert "ausgebucht – Warteliste" in text
    assert "Auf die Warteliste setzen" in text


def test_registration_window_is_respected(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    now = datetime.now(UTC)
    not_yet = make_event(registration_opens_at=now + timedelta(days=3))
    closed = make_event(registration_closes_at=now - timedelta(hours=1))
    assert "Die Anmeldung beginnt am" in visible_text(client.get(f"/events/{not_yet.id}"))
    closed_text = visible_text(client.get(f"/events/{closed.id}"))
    assert "Die Online-Anmeldung ist geschlossen" in closed_text
    assert "Jetzt anmelden" not in closed_text


def test_cancelled_event_says_so_and_points_to_the_others(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(status=EventStatus.CANCELLED)
    text = visible_text(client.get(f"/events/{event.id}"))
    assert "Diese Veranstaltung wurde abgesagt." in text
    assert "Zu den anderen Veranstaltungen" in text
    assert "Jetzt anmelden" not in text


def test_register_button_leads_to_the_registration_form(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event()
    response = client.get(f"/events/{event.id}/register")
    assert response.status_code == 200
    text = visible_text(response)
    assert "Ihre Kontaktdaten" in text and "Verbindlich anmelden" in text


def test_drafts_and_unknown_ids_give_the_german_404_page(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    draft = make_event(status=EventStatus.DRAFT)
    for url in [f"/events/{draft.id}", "/events/999999", f"/events/{draft.id}/register", "/events/abc"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Seite nicht gefunden" in visible_text(response)


def test_list_shows_upcoming_published_events_soonest_first(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    now = datetime.now(UTC)
    later = make_event(title="Später", starts_at=now + timedelta(days=20))
    sooner = make_event(title="Früher", starts_at=now + timedelta(days=5))
    make_event(title="Entwurf", status=EventStatus.DRAFT)
    make_event(title="Vorbei", starts_at=now - timedelta(days=5))
    text = visible_text(client.get("/events"))
    assert "2 Veranstaltungen gefunden" in text
    assert text.index(sooner.title) < text.index(later.title)
    assert "Entwurf" not in text and "Vorbei" not in text


def test_past_events_are_listed_separately(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    now = datetime.now(UTC)
    make_event(title="Rückkehrertag im Vorjahr", starts_at=now - timedelta(days=300))
    make_event(title="Bald", starts_at=now + timedelta(days=3))
    text = visible_text(client.get("/events?past=1"))
    assert "Vergangene Veranstaltungen" in text
    assert "Rückkehrertag im Vorjahr" in text
    assert "Bald" not in text


def test_filter_by_town_uses_ascii_slugs(
    client: FlaskClient,
    make_event: Callable[..., Event],
    make_venue: Callable[..., Venue],
    town: Callable[[str], Town],
) -> None:
    kurmaerker = make_venue(name="Kurmärker", town=town("grossraeschen"), locality="Großräschen")
    make_event(title="Brunch in Großräschen", venue=kurmaerker)
    make_event(title="Messe in Senftenberg")
    text = visible_text(client.get("/events?town=grossraeschen"))
    assert "Brunch in Großräschen" in text
    assert "Messe in Senftenberg" not in text
    assert client.get("/events?town=gro%C3%9Fr%C3%A4schen").status_code == 404
    assert client.get("/events?town=berlin").status_code == 404


@time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
def test_filter_by_month_in_berlin_time(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    # 31 Dec 23:30 UTC is already 1 January in Berlin.
    make_event(title="Silvester-Treffen", starts_at=datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    make_event(title="Neujahrsempfang", starts_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    december = visible_text(client.get("/events?month=2026-12"))
    assert "Silvester-Treffen" in december and "Neujahrsempfang" not in december
    january = visible_text(client.get("/events?month=2027-01"))
    assert "Neujahrsempfang" in january and "Silvester-Treffen" not in january


def test_empty_result_says_so(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    make_event()
    text = visible_text(client.get("/events?town=schipkau"))
    assert "0 Veranstaltungen gefunden" in text
    assert "Für Ihre Auswahl sind keine kommenden Veranstaltungen geplant." in text


def test_malformed_month_shows_the_list_with_a_message(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    make_event(title="Rückkehrertag Finsterwalde")
    for value in ["abc", "2026-13", "99999-01", "2026-12'--", "<script>"]:
        response = client.get("/events", query_string={"month": value})
        assert response.status_code == 200, value
        text = visible_text(response)
        assert "ist kein gültiger Monat" in text
        assert "Rückkehrertag Finsterwalde" in text
    assert "<script>" not in client.get("/events?month=<script>").get_data(as_text=True).split("<main")[1]
