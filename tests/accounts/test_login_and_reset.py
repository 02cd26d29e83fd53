"""Log-in, log-out, safe redirects, the rate limit, and password reset by mail."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.accounts.operations import password_problems
from rueckkehr.employers.models import Employer
from tests.support.organizers import totp_code
from tests.support.pages import without_form_tokens
from tests.support.smtp import SMTPServer

PASSWORD = "correct horse battery staple"


def test_organizer_logs_in_and_out(client: FlaskClient, make_staff: Callable[..., User]) -> None:
    user = make_staff(role=Role.ORGANIZER, email="wirtschaft@senftenberg.example")
    page = client.get("/login").get_data(as_text=True)
    assert "Für Arbeitgeber und Organisatoren" in page
    response = client.post("/login", data={"email": "Wirtschaft@Senftenberg.example ", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login/second-factor"  # nobody is logged in before the second factor
    assert "Abmelden" not in client.get("/").get_data(as_text=True)
    response = client.post("/login/second-factor", data={"code": totp_code(user)})
    assert response.headers["Location"] == "/organizer"
    home = client.get("/").get_data(as_text=True)
    assert "Abmelden" in home
    assert "Arbeitsbereich" in home
    assert client.post("/logout").status_code == 303
    assert 'href="/login"' in client.get("/").get_data(as_text=True)
    assert user.id


def test_wrong_password_and_unknown_address_read_the_same(client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user(email="admin@finsterwalde.example", role=Role.ADMIN)
    wrong = client.post("/login", data={"email": "admin@finsterwalde.example", "password": "falsch falsch falsch"})
    unknown = client.post("/login", data={"email": "niemand@finsterwalde.example", "password": "falsch falsch"})
    assert wrong.status_code == unknown.status_code == 422
    message = "E-Mail-Adresse oder Passwort stimmen nicht."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/employer/stands", "/employer/stands"),
        ("https://evil.example/", "/employer"),
        ("//evil.example/x", "/employer"),
        ("/\\evil.example", "/employer"),
        ("javascript:alert(1)", "/employer"),
    ],
)
def test_after_login_only_a_path_on_this_site(
    client: FlaskClient, make_employer: Callable[..., Employer], target: str, landing: str
) -> None:
    user = make_employer().users[0]
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == landing


def test_employer_area_sends_visitors_to_login_and_back(
    client: FlaskClient, make_employer: Callable[..., Employer]
) -> None:
    user = make_employer().users[0]
    response = client.get("/employer/stands")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/employer/stands"
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/employer/stands"' in form
    login = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": "/employer/stands"})
    assert login.headers["Location"] == "/employer/stands"


def test_login_is_rate_limited(make_app: Callable[..., Flask], make_user: Callable[..., User]) -> None:
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with limited.app_context():
        make_user(email="wirtschaft@lauchhammer.example")
    client = limited.test_client()
    answers = [
        client.post("/login", data={"email": "wirtschaft@lauchhammer.example", "password": "falsch falsch"}).status_code
        for _ in range(4)
    ]
    assert answers == [422, 422, 422, 429]
    assert client.get("/login").status_code == 200  # only attempts are limited
    # The same account from another host is limited too: guessing a password from many hosts does not help.
    elsewhere = client.post(
        "/login",
        data={"email": "wirtschaft@lauchhammer.example", "password": "falsch falsch"},
        environ_base={"REMOTE_ADDR": "192.0.2.99"},
    )
    assert elsewhere.status_code == 429


def reset_path(mail_text: str) -> str:
    """The reset link's path."""
    match = re.search(r"http://rueckkehr\.test(/password/reset/\S+)", mail_text)
    assert match, mail_text
    return match.group(1)


def test_password_reset_by_mail_works_once(
    client: FlaskClient, smtp: SMTPServer, make_user: Callable[..., User]
) -> None:
    make_user(email="wirtschaft@schipkau.example", full_name="Jana Krüger")
    known = client.post("/password/forgot", data={"email": "wirtschaft@schipkau.example"})
    unknown = client.post("/password/forgot", data={"email": "unbekannt@schipkau.example"})
    assert known.status_code == unknown.status_code == 200
    assert without_form_tokens(known.get_data(as_text=True)) == without_form_tokens(unknown.get_data(as_text=True))
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Neues Passwort für die Rückkehrertage"
    assert "Guten Tag Jana Krüger," in mail.text_body()
    path = reset_path(mail.text_body())

    assert "Neues Passwort wählen" in client.get(path).get_data(as_text=True)
    too_short = client.post(path, data={"password": "kurz"})
    assert too_short.status_code == 422
    assert "mindestens 12 Zeichen" in too_short.get_data(as_text=True)
    done = client.post(path, data={"password": "Kaffee und Stollen am See"})
    assert "Passwort geändert" in done.get_data(as_text=True)
    assert client.get(path).status_code == 404
    assert "Dieser Link gilt nicht mehr" in client.post(path, data={"password": "noch ein neues Passwort"}).get_data(
        as_text=True
    )
    old = client.post("/login", data={"email": "wirtschaft@schipkau.example", "password": PASSWORD})
    assert old.status_code == 422
    new = client.post("/login", data={"email": "wirtschaft@schipkau.example", "password": "Kaffee und Stollen am See"})
    assert new.status_code == 303


def test_reset_link_expires_after_an_hour(
    client: FlaskClient, smtp: SMTPServer, make_user: Callable[..., User]
) -> None:
    make_user(email="wirtschaft@grossraeschen.example")
    start = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.post("/password/forgot", data={"email": "wirtschaft@grossraeschen.example"})
        path = reset_path(smtp.wait_for(1)[0].text_body())  # the link is made beside the response
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert client.get(path).status_code == 404


def test_a_new_reset_link_retires_the_old_one(
    client: FlaskClient, smtp: SMTPServer, make_user: Callable[..., User]
) -> None:
    make_user(email="wirtschaft@schwarzheide.example")
    client.post("/password/forgot", data={"email": "wirtschaft@schwarzheide.example"})
    first = reset_path(smtp.wait_for(1)[0].text_body())
    client.post("/password/forgot", data={"email": "wirtschaft@schwarzheide.example"})
    second = reset_path(smtp.wait_for(2)[1].text_body())
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


@pytest.mark.parametrize(
    ("password", "fine"),
    [
        ("kurz", False),
        ("aaaaaaaaaaaaaaa", False),
        ("password1234", False),
        ("nur kleinbuchstaben sind okay", True),
        ("🐝🐝🐝 Biene Maja im Spreewald", True),
        ("x" * 129, False),
    ],
)
def test_password_rules_ask_for_length_not_composition(app: Flask, password: str, fine: bool) -> None:
    with app.test_request_context("/"):
        assert (password_problems(password) == []) is fine


def test_the_link_to_the_log_in_after_a_reset_says_log_in_in_english(
    client: FlaskClient, smtp: SMTPServer, make_user: Callable[..., User]
) -> None:
    """German says "anmelden" for both logging in and signing up for an event; English must not say "Register"."""
    make_user(email="wirtschaft@schipkau.example", full_name="Jana Krüger", language="en")
    client.post("/password/forgot?lang=en", data={"email": "wirtschaft@schipkau.example"})
    path = reset_path(smtp.wait_for(1)[0].text_body())
    done = client.post(path.split("?")[0] + "?lang=en", data={"password": "Kaffee und Stollen am See"})
    page = done.get_data(as_text=True)
    assert "Log in now" in page
    assert "Register now" not in page
