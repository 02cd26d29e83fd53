"""A link from an English reader's mail opens in English in a fresh browser, and so does every page reached from
it: its links, its forms, their errors and the redirect after them. The language switch still wins."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from rueckkehr.accounts.models import Role, User
from rueckkehr.employers.models import Employer
from rueckkehr.events.models import Event, EventSeries
from tests.support.pages import get_form, visible_text
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


def sent_as_a_browser_sends_it(client: FlaskClient, page: str, action: str) -> TestResponse:
    """Open a page and send its GET form to ``action`` unchanged, as a browser does: the form's fields are the whole
    query, whatever query the form's action had (``?lang=en`` too) is dropped."""
    opened = client.get(page)
    assert opened.status_code == 200 and language_of(opened) == "en", page
    answer = client.get(action, query_string=MultiDict(get_form(opened, action)))
    assert answer.status_code == 200, (page, answer.status_code)
    return answer


def assert_every_filter_answers_in_english(client: FlaskClient, forms: list[tuple[str, str, str]]) -> None:
    """Each page (asked in English by its address) sends its GET form; the answer is English, its button too."""
    for page, action, button in forms:
        answer = sent_as_a_browser_sends_it(client, page, action)
        assert language_of(answer) == "en" and button in visible_text(answer), page


def test_the_public_searches_and_filters_answer_in_the_language_the_link_asked_for(
    app: Flask, make_event: Callable[..., Event]
) -> None:
    make_event()
    assert_every_filter_answers_in_english(
        app.test_client(), [("/events?lang=en", "/events", "Filter"), ("/jobs?lang=en", "/jobs", "Search")]
    )


def test_the_employers_pool_search_answers_in_the_language_the_link_asked_for(
    app: Flask, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    company = app.test_client()
    login(company, make_employer(name="Elektro Lausitz").users[0].email)
    assert_every_filter_answers_in_english(company, [("/employer/pool?lang=en", "/employer/pool", "Search")])


def test_the_workspaces_filters_answer_in_the_language_the_link_asked_for_and_the_switch_still_wins(
    app: Flask,
    make_event: Callable[..., Event],
    make_series: Callable[..., EventSeries],
    make_staff: Callable[..., User],
    staff_login: Callable[..., Any],
) -> None:
    series = make_series()
    event = make_event(series=series)
    staff = app.test_client()
    staff_login(staff, make_staff(role=Role.ADMIN))
    registrations, series_registrations = (
        f"/organizer/events/{event.id}/registrations",
        f"/organizer/series/{series.id}/registrations",
    )
    assert_every_filter_answers_in_english(
        staff,
        [
            (f"{registrations}?lang=en", registrations, "Apply"),
            (f"{series_registrations}?lang=en", series_registrations, "Apply"),
            ("/organizer/events?lang=en", "/organizer/events", "Show"),
            ("/organizer/audit?lang=en", "/organizer/audit", "Filter"),
        ],
    )

    # The language switch of a filter's answer overrules the link's language, and the filter then keeps none.
    answer = sent_as_a_browser_sends_it(staff, f"{registrations}?lang=en", registrations)
    switch = re.search(r'name="next" value="([^"]+)"', answer.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert "lang=en" in switch
    switched = staff.post("/sprache", data={"lang": "de", "next": switch})
    german = staff.get(switched.headers["Location"])
    assert language_of(german) == "de"
    assert ("lang", "en") not in get_form(german, registrations)
    assert language_of(staff.get(registrations, query_string=MultiDict(get_form(german, registrations)))) == "de"
    assert ("lang", "xx") not in get_form(staff.get(f"{registrations}?lang=xx"), registrations)  # no such language


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCRIPT_FORMS = {"checkin/door.html"}  # its form has no method: check-in.js reads it, the browser never sends it


def without_comments(template: str) -> str:
    """A template without its Jinja comments (one may show a form's markup)."""
    return re.sub(r"\{#.*?#\}", "", template, flags=re.S)


def test_every_get_form_of_the_templates_carries_the_requested_language() -> None:
    """A new GET form cannot slip by the tests above: every form that is not a POST keeps the language."""
    missing = [
        path.relative_to(TEMPLATES).as_posix()
        for path in sorted(TEMPLATES.rglob("*.html"))
        for opening, body in re.findall(r"(<form\b[^>]*>)(.*?)</form>", without_comments(path.read_text("utf-8")), re.S)
        if 'method="post"' not in opening and "requested_language_field()" not in body
    ]
    assert sorted(set(missing) - SCRIPT_FORMS) == [], "add {{ requested_language_field() }} to their GET forms"


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
