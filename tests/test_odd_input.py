"""Every route answers odd input — out-of-range ids, NUL bytes in the path, in every query parameter and in every
form field, digits that are no number ("²") or a number with a line break after it — with a 404 or a form error,
never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter, Rule
from wtforms.fields.core import UnboundField

import rueckkehr
from rueckkehr.accounts.models import Role

HUGE_IDS = [2**31, 2**63, 10**30]
# What a logged-in walk leaves out: these end the session (or delete the account and with it the session), and every
# route after them in the walk would be sent logged out.
SESSION_ENDING = frozenset({"accounts.logout", "accounts.logout_everywhere", "company_area.delete_account"})
NUL = "\x00"
SUPERSCRIPT_TWO = "\u00b2"
SOURCE = Path(rueckkehr.__file__).parent


def query_parameters() -> set[str]:
    """Every query parameter a view reads (``request.args.get("…")``), and the board's filters."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r'request\.args\.get\("([a-z_]+)"', path.read_text()))
    return names | {"q", "town", "field", "level", "time", "sort", "page", "lang"}


def form_fields() -> set[str]:
    """Every field name of every form of the app."""
    names: set[str] = {"step", "next", "lang"}
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for klass in form.__mro__:
            names |= {name for name, value in vars(klass).items() if isinstance(value, UnboundField)}
    return names


def odd_paths(rule: Rule) -> Iterator[str]:
    """The rule's path with every id out of range, and with a NUL byte in every other part."""
    converters = rule._converters  # the rule's arguments and the converter of each
    if not converters:
        yield rule.rule
        return
    for odd in [*HUGE_IDS, NUL]:
        values = {}
        for name, converter in converters.items():
            values[name] = str(odd) if isinstance(converter, IntegerConverter) else f"x{NUL}y"
        path = rule.rule
        for name, value in values.items():
            path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?" + name + ">", value.replace(NUL, "%00"), path)
        yield path


def every_route(app: Flask, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(method, odd path) for every route of the app (as `flask routes` lists them) but the endpoints in ``skip``,
    GET and POST."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint in skip:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            routes.extend((method, path) for path in odd_paths(rule))
    return routes


def walk(
    client: FlaskClient, app: Flask, odd: str = NUL, skip: frozenset[str] = frozenset()
) -> list[tuple[str, str, int]]:
    """Send every odd request (GET and POST, but to the endpoints in ``skip``), ``odd`` in every query parameter
    and form field (a NUL in the query alone: the app refuses it before any view could read the form); return the
    ones answered with a server error."""
    query = "&".join(f"{name}={quote(odd)}" for name in sorted(query_parameters()))
    data = {name: f"a{odd}b" if odd == NUL else odd for name in form_fields()}
    failures = []
    for method, path in every_route(app, skip):
        if method == "POST" and odd == NUL:  # a NUL in the query is a 404 before any view: the form goes alone
            response = client.post(path, data=data)
        else:
            response = client.open(f"{path}?{query}", method=method, data=data if method == "POST" else None)
        if response.status_code >= 500:
            failures.append((method, path, response.status_code))
        for name, value in (("id", path), ("query", query)):
            assert "Traceback" not in response.get_data(as_text=True), (name, value)
    return failures


def logged_in_walk(client: FlaskClient, app: Flask, home: str, odd: str = NUL) -> list[tuple[str, str, int]]:
    """The walk, logged in from its first request to its last: what ends the session is left out, and the client's
    own start page still opens at the end (logged out, it would send the client to the login)."""
    failures = walk(client, app, odd, skip=SESSION_ENDING)
    assert client.get(home).status_code == 200, "the walk ended the session before its end"
    return failures


def test_no_route_answers_odd_input_with_a_server_error(app: Flask, client: FlaskClient) -> None:
    assert len(every_route(app)) > 60
    assert walk(client, app) == []


@pytest.mark.parametrize("odd", [SUPERSCRIPT_TWO, "2\n"])
def test_nor_a_digit_that_is_no_number_or_a_number_with_a_line_break(
    app: Flask, client: FlaskClient, make_employer: Callable[..., Any], login: Callable[..., Any], odd: str
) -> None:
    """``"²".isdigit()`` is true, and ``int("²")`` fails: a page number "²" answered /jobs with a 500."""
    assert walk(client, app, odd) == []
    login(client, make_employer().users[0].email)
    assert logged_in_walk(client, app, "/employer", odd) == []  # the pool's page "²" was a 500


def test_nor_for_an_admin(
    app: Flask, client: FlaskClient, make_staff: Callable[..., Any], staff_login: Callable[..., Any]
) -> None:
    staff_login(client, make_staff(Role.ADMIN))
    for odd in (NUL, SUPERSCRIPT_TWO):  # the audit trail's page "²" was a 500
        assert logged_in_walk(client, app, "/organizer", odd) == [], odd


def test_nor_for_a_logged_in_employer(
    app: Flask, client: FlaskClient, make_employer: Callable[..., Any], login: Callable[..., Any]
) -> None:
    login(client, make_employer().users[0].email)
    assert logged_in_walk(client, app, "/employer") == []


@pytest.mark.parametrize("value", ["[", "http://[::1", "https://exa mple.de", "javascript:alert(1)", "http://"])
def test_a_broken_web_address_is_a_form_error(client: FlaskClient, value: str) -> None:
    response = client.post("/employer/signup", data={"website": value, "name": "Firma"})
    assert response.status_code == 422
    assert "Bitte geben Sie eine Webadresse an" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_field_is_an_error_beside_that_field(client: FlaskClient, make_event: Any) -> None:
    from tests.support.registrations import form_data

    event = make_event()
    response = client.post(f"/events/{event.id}/register", data=form_data(city=f"Oslo{NUL}", email=f"a{NUL}@b.de"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Bitte entfernen Sie die Steuerzeichen aus diesem Feld." in page
    assert 'value="Oslo"' in page  # what was typed stays, without the NUL
