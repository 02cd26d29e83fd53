"""Hypothesis fuzzes every public form: whatever is typed (or left out, or sent twice), the answer is never a 500.

The fields come from the page itself, as a browser sees them: every input, select and textarea of the form, with
the choices the page offers, odd text (NUL bytes, huge numbers, formulas, markup, long strings) or nothing at all.
Twenty examples per form keep this within seconds; ``derandomize`` makes every run try the same ones.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.returnees.links import manage_token
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.registrations import form_data, link_in
from tests.support.smtp import SMTPServer

ODD = ["\x00", "a\x00b", "9" * 30, "-1", "0", "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", "ü" * 3000,
       " ", "\r\nBcc: x@example.org", "%s%n", "../../etc/passwd", "2026-02-30", "NaN"]  # fmt: skip


class FormFields(HTMLParser):
    """The fields of the form that posts to ``action`` (or of the page's only form), with the values it offers."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.in_form = False
        self.select: str | None = None
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            posts = (values.get("method") or "get").lower() == "post"
            self.in_form = posts and (values.get("action") or self.action) == self.action
        elif not self.in_form:
            return
        name = values.get("name")
        if tag in ("input", "textarea") and name and values.get("type") not in ("submit", "button"):
            offered = self.fields.setdefault(name, [])
            if values.get("type") in ("checkbox", "radio", "hidden") and values.get("value") is not None:
                offered.append(str(values["value"]))
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and values.get("value") is not None:
            self.fields[self.select].append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None


def fields_of(client: FlaskClient, page: str, action: str) -> dict[str, list[str]]:
    response = client.get(page)
    assert response.status_code == 200, page
    parser = FormFields(action)
    parser.feed(response.get_data(as_text=True))
    parser.fields.pop("csrf_token", None)
    assert parser.fields, f"no form posting to {action} on {page}"
    return parser.fields


def value(offered: list[str]) -> st.SearchStrategy[Any]:
    one = st.one_of(
        *([st.sampled_from(offered)] if offered else []),
        st.sampled_from(ODD),
        st.text(max_size=40),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))  # a field sent twice, as a checkbox group is


def submissions(fields: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={name: value(offered) for name, offered in fields.items()})


FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def public_forms(
    app: Flask, client: FlaskClient, make_event: Callable[..., Event], smtp: SMTPServer
) -> list[tuple[str, str]]:
    """(page, action) of every form the public can send, with a returnee's own link for the self-service ones."""
    event_id = make_event().id
    assert client.post(f"/events/{event_id}/register", data=form_data()).status_code == 303
    assert client.post(link_in(smtp.wait_for(1)[0], "/confirm/")).status_code < 400
    db.session.rollback()
    token = manage_token(db.session.scalars(select(ReturneeProfile)).one())
    return [
        (f"/events/{event_id}/register", f"/events/{event_id}/register"),
        ("/link", "/link"),
        ("/login", "/login"),
        ("/password/forgot", "/password/forgot"),
        ("/jobs/alert", "/jobs/alert"),
        ("/employer/signup", "/employer/signup"),
        (f"/me/{token}/profile", f"/me/{token}/profile"),
        (f"/me/{token}", f"/me/{token}/consents"),
        (f"/me/{token}/alerts", f"/me/{token}/alerts"),
        ("/", "/sprache"),
    ]


def test_no_public_form_answers_any_input_with_a_500(client: FlaskClient, public_forms: list[tuple[str, str]]) -> None:
    for page, action in public_forms:
        fuzz_form(client, action, fields_of(client, page, action))


def fuzz_form(client: FlaskClient, action: str, fields: dict[str, list[str]]) -> None:
    @FUZZ
    @given(data=submissions(fields))
    def fuzz(data: dict[str, Any]) -> None:
        response = client.post(action, data=data)
        assert response.status_code < 500, (action, data)

    fuzz()
