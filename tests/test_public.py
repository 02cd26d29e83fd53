"""Home, legal pages, language switch, health check, error pages and security headers."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.events.models import Event
from tests.support.pages import visible_text

LEGAL_PAGES = {
    "/impressum": ("Impressum", "§ 5 Digitale-Dienste-Gesetz"),
    "/datenschutz": ("Datenschutzerklärung", "Art. 13"),
    "/barrierefreiheit": ("Erklärung zur Barrierefreiheit", "teilweise"),
}


def test_home_shows_the_next_returnee_days_the_towns_and_the_way_to_register(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(title="Rückkehrertag Finsterwalde")
    response = client.get("/")
    text = visible_text(response)
    assert "Willkommen zurück in der Westlausitz" in text
    assert "Rückkehrertag Finsterwalde" in text
    for name in ["Finsterwalde", "Großräschen", "Lauchhammer", "Schwarzheide", "Senftenberg", "Schipkau"]:
        assert name in text
    assert "Warum zurückkommen?" in text
    html = response.get_data(as_text=True)
    assert "Termin wählen und anmelden" in text
    assert f'href="/events/{event.id}"' in html
    assert 'href="/events?town=grossraeschen"' in html


@pytest.mark.parametrize("path", ["/", "/events", *LEGAL_PAGES])
def test_every_page_links_the_legal_pages_in_its_footer(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    footer = html.split("<footer", 1)[1]
    for legal in LEGAL_PAGES:
        assert f'href="{legal}"' in footer


@pytest.mark.parametrize(("path", "expected"), LEGAL_PAGES.items())
def test_legal_pages_in_german(client: FlaskClient, path: str, expected: tuple[str, str]) -> None:
    response = client.get(path)
    assert response.status_code == 200
    text = visible_text(response)
    for fragment in expected:
        assert fragment in text


def test_accessibility_statement_follows_the_eu_model_without_claiming_full_conformity(client: FlaskClient) -> None:
    text = visible_text(client.get("/barrierefreiheit"))
    for section in ["Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte", "Feedback", "Durchsetzungsverfahren"]:
        assert section in text
    assert "teilweise barrierefrei" in text
    assert "vollständig barrierefrei" not in text.replace("nicht vollständig barrierefrei", "")


def test_legal_pages_in_english(client: FlaskClient) -> None:
    assert "Legal notice" in visible_text(client.get("/impressum?lang=en"))
    assert "Privacy" in visible_text(client.get("/datenschutz?lang=en"))
    assert "Accessibility statement" in visible_text(client.get("/barrierefreiheit?lang=en"))


def test_language_switch_is_a_post_that_remembers_the_choice(client: FlaskClient) -> None:
    assert 'lang="de"' in client.get("/events").get_data(as_text=True)
    response = client.post("/sprache", data={"lang": "en", "next": "/events?past=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/events?past=1"
    english = client.get("/events?past=1")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Past events" in visible_text(english)
    client.post("/sprache", data={"lang": "de", "next": "/"})
    assert "Willkommen zurück" in visible_text(client.get("/"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_language_switch_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post("/sprache", data={"lang": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_get_never_changes_the_language(client: FlaskClient) -> None:
    assert client.get("/sprache?lang=en").status_code == 405
    client.get("/events?lang=en")
    assert '<html lang="de">' in client.get("/events").get_data(as_text=True)


def test_healthz_reports_ok_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable(make_app: Callable[..., Flask], tmp_path: object) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_unexpected_errors_show_a_friendly_german_page_without_a_trace(make_app: Callable[..., Flask]) -> None:
    app = make_app()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Ein Fehler ist aufgetreten" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_csrf_protects_forms(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/sprache", data={"lang": "en", "next": "/"})
    assert refused.status_code == 400
    assert "Die Anfrage konnte nicht bearbeitet werden" in visible_text(refused)
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post("/sprache", data={"lang": "en", "next": "/", "csrf_token": token})
    assert accepted.status_code == 303


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for path in ["/", "/events", "/healthz", "/does-not-exist"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_and_lax(client: FlaskClient) -> None:
    response = client.post("/sprache", data={"lang": "en", "next": "/"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_load_nothing_from_other_hosts(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event()
    for path in ["/", "/events", f"/events/{event.id}", *LEGAL_PAGES]:
        html = client.get(path).get_data(as_text=True)
        for attribute in re.findall(r'(?:src|href)="([^"]+)"', html.split("</head>")[0]):
            assert attribute.startswith("/"), (path, attribute)
        assert not re.findall(r'src="(?!/)', html), path


def test_unknown_paths_give_the_german_404_page(client: FlaskClient) -> None:
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in visible_text(response)
    assert "Page not found" in visible_text(client.get("/gibt-es-nicht?lang=en"))
