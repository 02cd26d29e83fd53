"""Bad input gets a clear message beside the field and keeps what was typed; abuse is slowed down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.pages import visible_text
from tests.support.registrations import form_data
from tests.support.services import require_redis
from tests.support.smtp import SMTPServer


def registration_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Registration))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Bitte geben Sie Ihren Vornamen an."),
        ({"email": "kein-at-zeichen"}, "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ({"email": "Jana <jana@example.org>"}, "Bitte geben Sie nur die E-Mail-Adresse ein"),
        ({"email": "zoë@example.org"}, "Vor dem @ kann diese Adresse keine Umlaute oder Akzente tragen"),
        ({"email": "jana@example.org\r\nBcc: all@example.org"}, "Bitte geben Sie nur die E-Mail-Adresse ein"),
        ({"phone": "12"}, "Bitte geben Sie eine gültige Telefonnummer an"),
        ({"country": "DE", "postal_code": "1234"}, "Eine deutsche Postleitzahl hat fünf Ziffern."),
        ({"hometown": "other", "hometown_other": ""}, "Bitte nennen Sie Ihren früheren Heimatort."),
        ({"reason": "x" * 1001}, "Bitte kürzen Sie den Text auf höchstens 1000 Zeichen."),
        ({"last_name": "Mül\x00ler"}, "Bitte entfernen Sie die Steuerzeichen"),
        ({"consent_participation": None}, "Ohne diese Einwilligung können wir Ihre Anmeldung nicht annehmen."),
    ],
)
def test_bad_input_is_answered_beside_the_field(
    client: FlaskClient, make_event: Callable[..., Event], overrides: dict[str, Any], message: str
) -> None:
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(city="Tromsø", **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in visible_text(response) or message in html
    assert 'class="kern-error"' in html and 'aria-invalid="true"' in html
    assert 'value="Tromsø"' in html  # what was typed stays
    assert registration_count() == 0


def test_a_refused_phone_number_stays_as_typed(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(phone="0357 3", first_name=""))
    assert 'value="0357 3"' in response.get_data(as_text=True)


def test_invalid_choices_get_a_german_message(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(companions="9"))
    assert "Bitte wählen Sie nur aus den angebotenen Möglichkeiten." in visible_text(response)


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "Zoë 👋", "מרים", "O'Brien; DROP TABLE users;--", "‮evil"],
)
def test_html_emoji_rtl_and_quotes_are_stored_safely(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], name: str
) -> None:
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(first_name=name))
    assert response.status_code == 303
    mail = smtp.wait_for(1)[0]
    assert name in mail.text_body()
    assert "<script>" not in mail.html_body()
    db.session.rollback()
    assert db.session.scalars(select(ReturneeProfile)).one().first_name == name


def test_the_honeypot_answers_like_success_but_stores_nothing(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(website="http://spam.example"))
    assert response.status_code == 303
    assert "Wir haben Ihnen eine E-Mail an" in visible_text(client.get(response.headers["Location"]))
    assert registration_count() == 0
    assert smtp.messages == []


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.PUBLISHED])
def test_closed_or_cancelled_events_say_why(
    client: FlaskClient, make_event: Callable[..., Event], status: EventStatus
) -> None:
    from datetime import UTC, datetime, timedelta

    event = make_event(status=status, registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    for response in (
        client.get(f"/events/{event.id}/register"),
        client.post(f"/events/{event.id}/register", data=form_data()),
    ):
        text = visible_text(response)
        expected = "abgesagt" if status == EventStatus.CANCELLED else "Die Online-Anmeldung ist geschlossen."
        assert expected in text
        assert "Zu den anderen Veranstaltungen" in text
    assert registration_count() == 0


def test_registration_is_rate_limited_per_address_and_per_client(
    make_app: Callable[..., Flask], make_event: Callable[..., Event]
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="3 per hour")
    event_id = make_event(capacity=100).id
    client = app.test_client()
    statuses = [
        client.post(f"/events/{event_id}/register", data=form_data(email="same@example.org")).status_code
        for _ in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    limited = client.post(f"/events/{event_id}/register", data=form_data(email="other@example.org"))
    assert limited.status_code == 429  # the client address is used up too
    assert "Zu viele Anfragen" in visible_text(limited)
    other_client = app.test_client()
    by_address = other_client.post(
        f"/events/{event_id}/register",
        data=form_data(email="same@example.org"),
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert by_address.status_code == 429  # same address from another host
    fresh = other_client.post(
        f"/events/{event_id}/register",
        data=form_data(email="new@example.org"),
        environ_base={"REMOTE_ADDR": "192.0.2.8"},
    )
    assert fresh.status_code == 303


def test_answers_that_point_at_a_mistake_do_not_use_up_the_registration_limit(
    make_app: Callable[..., Flask], make_event: Callable[..., Event]
) -> None:
    """Someone who corrects one field after the other must still get in; only submissions that were taken count."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="3 per hour")
    event_id = make_event(capacity=100).id
    client = app.test_client()
    mistakes = [
        client.post(f"/events/{event_id}/register", data={**form_data(email="fix@example.org"), "city": ""})
        for _ in range(5)
    ]
    assert [answer.status_code for answer in mistakes] == [422] * 5
    assert client.post(f"/events/{event_id}/register", data=form_data(email="fix@example.org")).status_code == 303


def test_resend_is_rate_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_RESEND="2 per hour")
    client = app.test_client()
    statuses = [client.post("/link", data={"email": f"x{n}@example.org"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_proxy_count_gives_each_user_behind_the_proxy_their_own_bucket(
    make_app: Callable[..., Flask], make_event: Callable[..., Event]
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_RESEND="1 per hour", PROXY_COUNT=1)
    client = app.test_client()
    first = client.post("/link", data={"email": "a@example.org"}, headers={"X-Forwarded-For": "198.51.100.1"})
    second = client.post("/link", data={"email": "b@example.org"}, headers={"X-Forwarded-For": "198.51.100.2"})
    third = client.post("/link", data={"email": "c@example.org"}, headers={"X-Forwarded-For": "198.51.100.1"})
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)


def test_with_redis_the_limits_live_in_redis(make_app: Callable[..., Flask], make_event: Callable[..., Event]) -> None:
    import uuid

    import redis

    url = require_redis()
    prefix = f"rk-test-{uuid.uuid4().hex}"
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_RESEND="1 per hour", RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix
    )
    client = app.test_client()
    assert client.post("/link", data={"email": "r@example.org"}).status_code == 200
    assert client.post("/link", data={"email": "s@example.org"}).status_code == 429
    store = redis.Redis.from_url(url)
    keys = store.keys(f"*{prefix}*")
    assert keys  # the counters are in Redis, shared by every worker
    store.delete(*keys)


def test_an_address_at_a_domain_with_umlauts_is_written_as_mail_servers_read_it(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    """As browsers send it from an e-mail field: the domain in its ASCII form (IDNA), so that the mail can go out."""
    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(email="jana@müller-bäckerei.de"))
    assert response.status_code == 303
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["jana@xn--mller-bckerei-hfb76a.de"]
    db.session.rollback()
    assert db.session.scalar(select(ReturneeProfile.email)) == "jana@xn--mller-bckerei-hfb76a.de"
