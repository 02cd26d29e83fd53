"""The main navigation in every page's header: whose links it shows, which one is the page's own, the language a
link asked for, and a log-out button whose form token works (the navigation is written once per app and kind of
visitor, so these are what must still differ from page to page and person to person)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role
from tests.support.employers import PASSWORD


def navigation(client: FlaskClient, path: str) -> list[tuple[str, str, bool]]:
    """The links of the main navigation on a page: (address, text, whether it is marked as the page's own)."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    nav = re.search(r'<ul class="site-nav__list">(.*?)</ul>', html, re.S)
    assert nav is not None
    return [
        (href, text, bool(current))
        for href, current, text in re.findall(
            r'<a class="kern-link" href="([^"]*)"( aria-current="page")?>([^<]*)</a>', nav[1]
        )
    ]


def test_a_visitor_sees_the_public_links_and_the_login_with_the_page_marked(client: FlaskClient) -> None:
    links = navigation(client, "/jobs")
    assert [(href, text) for href, text, _ in links] == [
        ("/", "Start"),
        ("/events", "Veranstaltungen"),
        ("/jobs", "Stellen"),
        ("/towns", "Städte"),
        ("/employers", "Arbeitgeber"),
        ("/login", "Login"),
    ]
    assert [text for _, text, current in links if current] == ["Stellen"]
    assert [text for _, text, current in navigation(client, "/") if current] == ["Start"]
    assert [text for _, text, current in navigation(client, "/login") if current] == ["Login"]
    assert [text for _, text, current in navigation(client, "/towns/senftenberg") if current] == ["Städte"]
    assert [text for _, text, current in navigation(client, "/impressum") if current] == []


def test_a_link_that_asked_for_english_keeps_it_in_every_navigation_link(client: FlaskClient) -> None:
    links = navigation(client, "/events?lang=en")
    assert [(href, text) for href, text, _ in links] == [
        ("/?lang=en", "Home"),
        ("/events?lang=en", "Events"),
        ("/jobs?lang=en", "Jobs"),
        ("/towns?lang=en", "Towns"),
        ("/employers?lang=en", "Employers"),
        ("/login?lang=en", "Log in"),
    ]
    assert [text for _, text, current in links if current] == ["Events"]
    # The same app, asked without the language again, speaks German: nothing of the English visit stays.
    assert [text for _, text, _ in navigation(client, "/events")][:2] == ["Start", "Veranstaltungen"]


def test_staff_see_their_workspace_marked_on_its_pages_and_can_log_out(
    client: FlaskClient, make_staff: Callable[..., Any], staff_login: Callable[..., Any]
) -> None:
    staff_login(client, make_staff(Role.ADMIN))
    links = navigation(client, "/organizer/venues")
    assert [text for _, text, _ in links] == [
        "Start",
        "Veranstaltungen",
        "Stellen",
        "Städte",
        "Arbeitgeber",
        "Arbeitsbereich",
    ]
    assert [text for _, text, current in links if current] == ["Arbeitsbereich"]
    assert [text for _, text, current in navigation(client, "/events") if current] == ["Veranstaltungen"]


def test_the_log_out_button_carries_a_form_token_that_works(
    make_app: Callable[..., Flask], make_employer: Callable[..., Any]
) -> None:
    """With the form tokens checked (the test configuration does not check them): the navigation's button logs
    out, a post without its token or with another does not."""
    employer = make_employer()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token is not None
    form = {"email": employer.users[0].email, "password": PASSWORD, "csrf_token": token[1]}
    assert client.post("/login", data=form).status_code == 303
    html = client.get("/employer").get_data(as_text=True)
    nav = re.search(r'<ul class="site-nav__list">(.*?)</ul>', html, re.S)
    assert nav is not None and ">Abmelden<" in nav[1]
    logout = re.search(r'action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)">', nav[1])
    assert logout is not None
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": logout[1][:-4] + "AAAA"}).status_code == 400
    assert client.get("/employer").status_code == 200  # still logged in
    assert client.post("/logout", data={"csrf_token": logout[1]}).status_code in (302, 303)
    assert client.get("/employer").status_code in (302, 303)  # logged out: the area asks for the login


def test_an_employer_sees_their_area_and_not_the_workspace(
    client: FlaskClient, make_employer: Callable[..., Any], login: Callable[..., Any]
) -> None:
    employer = make_employer()
    login(client, employer.users[0].email)
    links = navigation(client, "/employer")
    texts = [text for _, text, _ in links]
    assert "Mein Bereich" in texts and "Arbeitsbereich" not in texts and "Login" not in texts
    assert [text for _, text, current in links if current] == ["Mein Bereich"]


def footer(client: FlaskClient, path: str) -> list[tuple[str, str]]:
    """The legal links of a page's footer: (address, text)."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert found is not None, path
    return re.findall(r'<a class="kern-link" href="([^"]*)">([^<]*)</a>', found[1])


def test_the_footer_speaks_each_pages_language_and_keeps_a_language_a_link_asked_for(client: FlaskClient) -> None:
    """The footer and the style sheets are written once per language (not on every page): a German page, an
    English one asked by a link, and a German one again each get their own."""
    german = [("/impressum", "Impressum"), ("/datenschutz", "Datenschutz"), ("/barrierefreiheit", "Barrierefreiheit")]
    assert footer(client, "/jobs") == german
    assert footer(client, "/jobs?lang=en") == [
        ("/impressum?lang=en", "Legal notice"),
        ("/datenschutz?lang=en", "Privacy"),
        ("/barrierefreiheit?lang=en", "Accessibility"),
    ]
    assert footer(client, "/events") == german
    page = client.get("/events?lang=en").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/[^"]*app[^"]*\.css">', page), page[:2000]
