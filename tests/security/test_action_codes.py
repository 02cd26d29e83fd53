"""The six-digit codes for a data export or an erasure cannot be guessed: the limit holds per profile however the
link is spelt, a code dies after five wrong tries, and its owner is told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.events.models import Event
from tests.support.pages import visible_text
from tests.support.registrations import code_from, form_data, link_in
from tests.support.smtp import SMTPServer


def manage_path(client: FlaskClient, smtp: SMTPServer, event: Event) -> str:
    client.post(f"/events/{event.id}/register", data=form_data())
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    return link_in(smtp.wait_for(2)[1], "/me/")


def spelt_otherwise(path: str, number: int) -> str:
    """The same self-service link with four characters outside base64's alphabet in its signature: it still opens,
    as the signature is decoded with them left out."""
    payload, signature = path.removeprefix("/me/").rsplit(".", 1)
    cut = 2 + number % (len(signature) - 4)
    return f"/me/{payload}.{signature[:cut]}{'!!!!' * (number + 1)}{signature[cut:]}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_limit_counts_the_profile_not_the_spelling_of_its_link(
    make_app: Callable[..., Flask], smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ACTION_CODE="4 per hour")
    with app.app_context():
        client = app.test_client()
        manage = manage_path(client, smtp, make_event())
        assert client.get(spelt_otherwise(manage, 3)).status_code == 200  # such a link still opens the page
        statuses = [
            client.post(f"{spelt_otherwise(manage, number)}/export", data={"code": "000000"}).status_code
            for number in range(6)
        ]
        assert statuses == [422, 422, 422, 422, 429, 429]
        assert client.post(f"{manage}/export", data={"step": "request"}).status_code == 429  # the original too


def test_a_code_dies_after_five_wrong_tries_and_its_owner_is_told(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = manage_path(client, smtp, make_event())
    client.post(f"{manage}/export", data={"step": "request"})
    code = code_from(smtp.wait_for(3)[2])
    for _try in range(4):
        assert client.post(f"{manage}/export", data={"code": wrong(code)}).status_code == 422
    fifth = client.post(f"{manage}/export", data={"code": wrong(code)})
    assert "fünfmal falsch eingegeben und gilt nicht mehr" in visible_text(fifth)
    right_too_late = client.post(f"{manage}/export", data={"code": code})
    assert right_too_late.status_code == 422
    assert right_too_late.headers.get("Content-Disposition") is None  # no data came out
    notice = smtp.wait_for(4)[3]
    assert notice.message["Subject"] == "Ihr Code wurde mehrfach falsch eingegeben"
    assert (
        "Alle bisherigen Links ungültig" in notice.text_body() or "alle bisherigen Links ungültig" in notice.text_body()
    )

    client.post(f"{manage}/export", data={"step": "request"})  # a new code works again
    fresh = code_from(smtp.wait_for(5)[4])
    export = client.post(f"{manage}/export", data={"code": fresh})
    assert export.status_code == 200 and "Als JSON-Datei herunterladen" in visible_text(export)  # the data, readable


def test_four_wrong_tries_leave_the_code_alive(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = manage_path(client, smtp, make_event())
    client.post(f"{manage}/erase", data={"step": "request"})
    code = code_from(smtp.wait_for(3)[2])
    for _try in range(4):
        client.post(f"{manage}/erase", data={"code": wrong(code)})
    assert "Ihre Daten sind gelöscht" in visible_text(client.post(f"{manage}/erase", data={"code": code}))


def test_unknown_links_share_one_bucket(make_app: Callable[..., Flask], **_: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ACTION_CODE="2 per hour")
    with app.app_context():
        client = app.test_client()
        statuses = [client.post(f"/me/forged{number}/export", data={"code": "1"}).status_code for number in range(3)]
        assert statuses == [410, 410, 429]
