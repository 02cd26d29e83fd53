"""The summary above a form that was sent with errors lists them in the order the page shows the fields, on every
kind of form page: the workspace's, the companies' and the public ones, including pages with two forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.events.models import Event
from tests.support.world import upload

TEMPLATES = Path(__file__).parent.parent / "templates"
SUMMARY = re.compile(r'<div class="kern-alert kern-alert--danger" role="alert" id="fehler"[^>]*>(.*?)</ul>', re.S)


def summary_links(page: str) -> list[list[str]]:
    """The targets (``href="#id"``) of each error summary on the page, in the order of its links."""
    return [re.findall(r'href="#([^"]+)"', found.group(1)) for found in SUMMARY.finditer(page)]


def assert_summary_follows_the_page(page: str, at_least: int) -> None:
    """The first summary's links jump to ids that the page below it shows in the same order."""
    found = SUMMARY.search(page)
    assert found, "no error summary on the page"
    targets = re.findall(r'href="#([^"]+)"', found.group(1))
    assert len(targets) >= at_least, targets
    below = page[found.end() :]
    positions = []
    for target in targets:
        position = below.find(f'id="{target}"')
        assert position >= 0, f"#{target} is not on the page below the summary"
        positions.append(position)
    page_order = [target for _position, target in sorted(zip(positions, targets, strict=True))]
    assert targets == page_order


@dataclass
class Pages:
    staff: FlaskClient
    company: FlaskClient
    visitor: FlaskClient
    event: Event
    organizer: User


@pytest.fixture
def pages(
    app: Flask,
    make_event: Callable[..., Event],
    make_staff: Callable[..., User],
    staff_login: Callable[..., Any],
    make_employer: Callable[..., Any],
    login: Callable[..., Any],
) -> Pages:
    """An admin, a company and a visitor, each with a client of their own, and an open event."""
    event = make_event()
    staff = app.test_client()
    staff_login(staff, make_staff(role=Role.ADMIN))
    company = app.test_client()
    login(company, make_employer().users[0].email)
    return Pages(staff, company, app.test_client(), event, make_staff(role=Role.ORGANIZER))


FORMS: list[tuple[str, str, str, dict[str, Any], int]] = [
    # (who, path, what to send, how many errors at least)
    ("staff", "/organizer/events/new", {"title": "", "day": "31.02.2031", "starts": "25:00", "capacity": "-1"}, 4),
    ("staff", "/organizer/events/{event}/edit", {"title": "", "capacity": "-1", "closes_time": "x"}, 2),
    ("staff", "/organizer/events/{event}/move", {"day": "gestern", "starts": "x"}, 2),
    ("staff", "/organizer/events/{event}/programme", {"title": "", "starts": "x"}, 2),
    ("staff", "/organizer/venues/new", {"name": "", "postal_code": "x", "latitude": "north"}, 3),
    ("staff", "/organizer/series", {"title": ""}, 1),
    ("staff", "/organizer/events/{event}/registrations/walk-in", {"first_name": "", "email": "x"}, 3),
    ("staff", "/organizer/events/{event}/mail", {"audience": "nobody", "subject_de": "", "body_de": ""}, 3),
    ("staff", "/organizer/accounts", {"full_name": "", "email": "x", "role": "organizer"}, 3),
    ("staff", "/organizer/accounts/{organizer}", {"role": "nobody", "towns": ["atlantis"]}, 2),
    ("staff", "/organizer/towns/senftenberg", {"page_intro": "", "contact_email": "x", "contact_phone": "y"}, 2),
    ("visitor", "/events/{event}/register", {"email": "x", "phone": "12"}, 5),
    ("visitor", "/employer/signup", {"website": "x", "email": "x"}, 5),
    ("visitor", "/password/forgot", {"email": ""}, 1),
    ("visitor", "/jobs/alert", {"email": "x"}, 2),
    ("company", "/employer/profile", {"name": "", "website": "x", "postal_code": "x"}, 3),
    ("company", "/employer/vacancies/new", {"title": "", "salary_min": "x", "apply_url": "x"}, 3),
    ("company", "/employer/colleagues", {"email": "x"}, 1),
]


@pytest.mark.parametrize(("who", "path", "data", "at_least"), FORMS, ids=[form[1] for form in FORMS])
def test_the_error_summary_lists_the_errors_in_the_order_of_the_fields(
    pages: Pages, who: str, path: str, data: dict[str, Any], at_least: int
) -> None:
    client = getattr(pages, who)
    response = client.post(path.format(event=pages.event.id, organizer=pages.organizer.id), data=data)
    assert response.status_code == 422, response.status_code
    assert_summary_follows_the_page(response.get_data(as_text=True), at_least)


def test_a_page_with_two_forms_sums_up_the_errors_of_the_form_that_was_sent(pages: Pages) -> None:
    profile = pages.company.post("/employer/profile", data={"name": "", "website": "x"}).get_data(as_text=True)
    assert len(summary_links(profile)) == 1
    assert_summary_follows_the_page(profile, 2)
    not_an_image = {"logo": upload(b"GIF89a, not a png", "logo.png")}
    logo = pages.company.post("/employer/logo", data=not_an_image, content_type="multipart/form-data")
    assert logo.status_code == 422
    page = logo.get_data(as_text=True)
    assert summary_links(page) == [["logo"]]
    assert page.index('id="fehler"') > page.index('id="name"')  # above the logo form, below the profile's fields


def test_every_form_page_draws_its_fields_before_its_summary() -> None:
    """A summary that is drawn before the fields knows no order but the form class's: every page wraps its form."""
    direct = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.name != "_forms.html" and "f.error_summary(" in path.read_text()
    ]
    assert direct == []


# Pages whose form is answered by another page (which has the summary), never shown again with errors here.
ANSWERED_ELSEWHERE = {
    "selfservice/link_invalid.html": "posts to the resend page, which shows its errors",
    "selfservice/overview.html": "its consent boxes post to their own page, which redirects back",
}


def test_every_page_that_draws_form_fields_wraps_them_in_a_summary() -> None:
    """A page that draws fields with the form macros shows the summary when they come back with errors (partials,
    whose names begin with an underscore, are drawn inside the pages that include them)."""
    drawing = re.compile(r"f\.(input|textarea|select|radios|checkbox|checkboxes)\(")
    unwrapped = [
        name
        for path in TEMPLATES.rglob("*.html")
        if not path.name.startswith("_") or path.name == "_code_form.html"
        if drawing.search(text := path.read_text()) and "f.with_error_summary(" not in text
        if (name := str(path.relative_to(TEMPLATES))) not in ANSWERED_ELSEWHERE
    ]
    assert unwrapped == []
