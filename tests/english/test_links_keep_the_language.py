"""A link from an English reader's mail opens in English in a fresh browser, and so does every page reached from
it: its links, its forms, their errors and the redirect after them. The language switch still wins."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.events.models import Event
from tests.support.pages import visible_text
from tests.support.registrations import link_in
from tests.support.smtp import SMTPServer


def language_of(response: Any) -> str:
    return re.search(r'<html lang="(\w+)">', response.get_data(as_text=True)).group(1)


def href(response: Any, text: str) -> str:
    """The address of the link with this text on a page."""
    html = response.get_data(as_text=True)
    match = re.search(r'href="([^"]+)"[^>]*>' + re.escape(text) + "<", html)
    assert match, text
    return match.group(1).replace("&amp;", "&")


def test_mail_links_open_in_english_in_a_fresh_browser_and_the_pages_behind_them_stay_english(
    app: Flask, client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    client.post("/sprache", data={"lang": "en", "next": "/"})
    from tests.support.registrations import form_data

    client.post(f"/events/{event.id}/register", data=form_data())
    confirm_link = link_in(smtp.wait_for(1)[0], "/confirm/")
    assert confirm_link.endswith("?lang=en")

    fresh = app.test_client()  # another browser: no session, no language chosen
    assert language_of(fresh.get(confirm_link)) == "en"
    confirmed = fresh.post(confirm_link)
    assert confirmed.status_code == 303 and "lang=en" in confirmed.headers["Location"]
    confirmed = fresh.get(confirmed.headers["Location"])
    assert language_of(confirmed) == "en" and "Thank you – you are registered" in visible_text(confirmed)

    manage = link_in(smtp.wait_for(2)[1], "/me/")
    other = app.test_client()
    overview = other.get(manage)
    assert language_of(overview) == "en"
    profile_page = other.get(href(overview, "Change my details"))
    assert language_of(profile_page) == "en"
    form_action = re.search(r'<form method="post" novalidate', profile_page.get_data(as_text=True))
    assert form_action  # posts to the page's own address, which asks for English
    wrong = other.post(href(overview, "Change my details"), data={"first_name": ""})
    assert language_of(wrong) == "en" and "Please enter your first name." in visible_text(wrong)
    saved = other.post(href(overview, "Change my details"), data=form_data(first_name="Janne"))
    assert saved.status_code == 303 and "lang=en" in saved.headers["Location"]
    back = other.get(saved.headers["Location"])
    assert language_of(back) == "en" and "Your details have been saved." in visible_text(back)

    # The language switch on such a page overrules the link's language.
    switched = other.post("/sprache", data={"lang": "de", "next": manage.split("http://rueckkehr.test")[-1]})
    assert "lang=" not in switched.headers["Location"]
    assert language_of(other.get(switched.headers["Location"])) == "de"
    assert language_of(app.test_client().get("/events")) == "de"  # nobody else's language changed
