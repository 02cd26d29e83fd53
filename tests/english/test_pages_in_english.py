"""Every page and every form with its errors, opened in English, shows no German message id of the catalogue.

The pages are opened as a visitor opens them (a client that chose English, or a link with ``?lang=en``), the
forms sent empty or wrong; every page template must have been shown at least once, so a new page cannot slip by.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask, render_template
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.german import GermanMessages
from tests.support.smtp import SMTPServer
from tests.support.world import (
    World,
    en,
    english_client,
    page_templates,
    path_of,
    png,
    registration_form,
    upload,
)


class Reader:
    """Opens pages in English and notes every German message id it meets."""

    def __init__(self, german: GermanMessages) -> None:
        self.german = german
        self.found: dict[str, list[str]] = {}

    def read(self, response: TestResponse, what: str) -> TestResponse:
        """Check one response: English, no German message id, no server error."""
        assert response.status_code < 500, (what, response.status_code)
        if response.mimetype != "text/html":
            return response
        html = response.get_data(as_text=True)
        assert '<html lang="en">' in html, what
        if found := self.german.in_html(html):
            self.found[what] = found
        return response

    def get(self, client: FlaskClient, path: str) -> TestResponse:
        return self.read(client.get(path, follow_redirects=True), f"GET {path}")

    def post(self, client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        response = client.post(path, data=data or {}, follow_redirects=True, **kwargs)
        return self.read(response, f"POST {path} {sorted((data or {}).keys())}")


def mail_with(smtp: SMTPServer, after: int, subject: str) -> Any:
    """The first mail after the first ``after`` whose subject contains ``subject`` (mails arrive in any order)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for mail in smtp.messages[after:]:
            if subject in str(mail.message["Subject"]):
                return mail
        time.sleep(0.05)
    raise AssertionError(f"no mail about {subject!r}")


def code_in(mail: Any) -> str:
    """The six-digit code of an (English) code mail."""
    match = re.search(r"\b(\d{6})\b", mail.text_body())
    assert match, mail.text_body()
    return match.group(1)


def test_every_page_and_every_form_with_its_errors_speaks_english(
    app: Flask, world: World, german: GermanMessages, smtp: SMTPServer, rendered_templates: list[str]
) -> None:
    reader = Reader(german)
    visitor = english_client(app)
    w = world
    for path in [
        "/", "/events", "/events?past=1", "/events?town=schipkau", "/events?month=kaputt",
        *(f"/events/{e.id}" for e in (w.open_event, w.full_event, w.cancelled_event, w.past_event, w.early_event,
                                      w.closed_event)),
        f"/events/{w.open_event.id}/register", f"/events/{w.closed_event.id}/register",
        f"/events/{w.early_event.id}/register", "/confirm/invalid",
        "/impressum", "/datenschutz", "/barrierefreiheit", "/gibt-es-nicht",
        "/jobs", "/jobs?field=99&town=atlantis&level=9&time=never", f"/jobs/{w.published.id}",
        "/employers", f"/employers/{w.employer.id}", "/link", "/login", "/password/forgot",
        f"/password/reset/{w.reset_token}", "/password/reset/nonsense", f"/verify/{w.verify_token}",
        "/employer/signup", "/employer/signup/sent", f"/employer/join/{w.invite_token}",
    ]:  # fmt: skip
        reader.get(visitor, path)

    # The registration form, empty and wrong; then a seat and a waiting place ("sent").
    reader.post(visitor, f"/events/{w.open_event.id}/register")
    reader.post(
        visitor, f"/events/{w.open_event.id}/register", registration_form(email="x", phone="12", reason="a" * 1200)
    )
    reader.post(visitor, f"/events/{w.open_event.id}/register", registration_form(email="tom@example.org"))
    reader.post(visitor, f"/events/{w.full_event.id}/register", registration_form(email="tim@example.org"))

    # A link from a mail, in a fresh browser: the language travels in the link.
    fresh = app.test_client()
    reader.get(fresh, w.confirm_link)
    reader.post(fresh, w.confirm_link)

    # The self-service pages and their forms.
    manage = w.manage
    for path in [
        manage, f"{manage}/profile", f"{manage}/export", f"{manage}/erase", f"{manage}/reconfirm",
        f"{manage}/registrations/{w.confirmed_id}/cancel", f"{manage}/registrations/{w.waiting_id}/cancel",
        f"{manage}/registrations/{w.confirmed_id}/companions", w.calendar_link, f"{w.calendar_link}/cancel",
        w.unsubscribe_link,
    ]:  # fmt: skip
        reader.get(fresh, en(path))
    reader.post(fresh, en(f"{manage}/profile"), {"first_name": "", "postal_code": "12", "country": "DE", "phone": "x"})
    reader.post(fresh, en(f"{manage}/registrations/{w.confirmed_id}/companions"), {"companions": "5"})
    reader.post(fresh, en(f"{manage}/registrations/{w.confirmed_id}/companions"), {"companions": "2"})
    reader.post(fresh, en(f"{manage}/export"), {"code": "12"})
    reader.post(fresh, en(f"{manage}/erase"), {"code": "000000"})
    reader.post(fresh, en(f"{manage}/consents"), {"consent_news": "y"})
    reader.post(fresh, en(f"{manage}/reconfirm"))
    reader.post(fresh, en(w.unsubscribe_link))
    reader.post(fresh, en(f"{manage}/registrations/{w.waiting_id}/cancel"))
    before = len(smtp.messages)
    reader.post(fresh, en(f"{manage}/export"), {"step": "request"})
    code = code_in(mail_with(smtp, before, "code"))
    reader.post(fresh, en(f"{manage}/export"), {"code": code})
    reader.post(visitor, "/link", {"email": "no"})
    reader.post(visitor, "/link", {"email": "jana@example.org"})

    # Accounts and the employers' sign-up, with their errors; a logo chosen in a failed sign-up is kept.
    reader.post(visitor, "/login", {"email": "", "password": ""})
    reader.post(visitor, "/login", {"email": w.user.email, "password": "wrong password 123"})
    reader.post(visitor, "/password/forgot", {"email": "x"})
    reader.post(visitor, "/password/forgot", {"email": "nobody@example.org"})
    reader.post(visitor, f"/password/reset/{w.reset_token}", {"password": "short"})
    reader.post(visitor, f"/password/reset/{w.reset_token}", {"password": "A long new password 2026"})
    reader.post(visitor, f"/verify/{w.verify_token}")
    reader.post(visitor, "/employer/signup")
    signup = reader.post(
        visitor, "/employer/signup", {"logo": upload(png(), "firma.png")}, content_type="multipart/form-data"
    )
    assert "firma.png" in signup.get_data(as_text=True)
    reader.post(visitor, f"/employer/join/{w.invite_token}", {"full_name": "", "password": "x"})

    # The company's own area.
    company = english_client(app)
    new_password = "A long new password 2026"  # chosen through the reset link above
    assert company.post("/login", data={"email": w.user.email, "password": new_password}).status_code == 303
    for path in [
        "/employer", "/employer/profile", "/employer/vacancies/new", f"/employer/vacancies/{w.published.id}",
        f"/employer/vacancies/{w.draft.id}", f"/employer/vacancies/{w.draft.id}/edit", "/employer/stands",
        "/employer/colleagues",
    ]:  # fmt: skip
        reader.get(company, path)
    reader.post(company, "/employer/profile", {"name": "", "postal_code": "1", "website": "no url"})
    reader.post(
        company, "/employer/logo", {"logo": upload(b"not an image", "logo.png")}, content_type="multipart/form-data"
    )
    reader.post(company, "/employer/vacancies/new", {"salary_min": "viel", "valid_until": "gestern"})
    reader.post(company, f"/employer/vacancies/{w.draft.id}/edit", {"title": ""})
    reader.post(company, "/employer/stands", {"event": ""})
    reader.post(company, "/employer/colleagues", {"email": "x"})
    reader.post(company, f"/employer/vacancies/{w.draft.id}/submit")

    # Last, what ends the links: revoking them, and erasing everything.
    before = len(smtp.messages)
    reader.post(fresh, en(f"{manage}/revoke"))
    reader.get(fresh, en(manage))  # revoked: the page that offers a new link
    link_mail = mail_with(smtp, before, "link")  # the fresh self-service link
    new_manage = path_of(re.search(r"http://rueckkehr\.test/me/\S+", link_mail.text_body()).group(0))
    before = len(smtp.messages)
    reader.post(fresh, en(f"{new_manage}/erase"), {"step": "request"})
    code = code_in(mail_with(smtp, before, "code"))
    reader.post(fresh, en(f"{new_manage}/erase"), {"code": code})

    # The error pages no request of the test ends in (rate limits and CSRF are off in tests).
    for code_template in ("errors/403.html", "errors/429.html", "errors/500.html", "errors/generic.html"):
        with app.test_request_context("/?lang=en"):
            html = render_template(code_template, code=418, error=None)
        if found := german.in_html(html):
            reader.found[code_template] = found

    assert reader.found == {}, "\n".join(f"{what}: {found}" for what, found in reader.found.items())
    missing = page_templates() - {name for name in rendered_templates if not name.startswith("email/")}
    assert missing == set(), "open these pages in the test too"


def test_the_reader_finds_the_german_it_must_find(
    app: Flask, world: World, german: GermanMessages, client: FlaskClient
) -> None:
    """The check itself: on the German form with its errors it finds labels, options, hints and messages."""
    html = client.post(f"/events/{world.open_event.id}/register", data={}).get_data(as_text=True)
    found = german.in_html(html)
    expected_ids = (
        "Vorname",
        "Anrede",
        "Bitte geben Sie Ihren Vornamen an.",
        "Pflichtfeld",
        "Schicht/Nacht/Wochenende",
    )
    for expected in expected_ids:
        assert expected in found
    assert german.in_html(html.replace('lang="de"', 'lang="en"')) == found  # the page's own lang is no excuse
    assert german.in_html('<p>Please enter your first name.</p><button lang="de">Deutsch</button>') == []
