"""The workspace in real headless Chromium: axe on every organizer page on a phone and a desktop, and an
organizer's morning by keyboard alone (log-in with the second factor, an event created, published and resized,
an employer approved, a mail to the attendees)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.dates import BERLIN
from rueckkehr.employers.models import EmployerStatus
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from tests.organizer.test_access_matrix import requests_for
from tests.support.browser import after_submit
from tests.support.organizers import PASSWORD, totp_code
from tests.support.units import start_writing

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "de-DE", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture(params=["phone", "desktop"])
def browser_context_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each test of this module runs on a phone and on a desktop."""
    return PHONE if request.param == "phone" else DESKTOP


def log_in_by_keyboard(page: Any, user: User) -> None:
    """Password, then the code of the app, typed and sent with Enter."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Code aus Ihrer Authenticator-App", exact=False).focus()
    page.keyboard.type(totp_code(user))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/organizer")


def test_axe_finds_no_violations_on_any_organizer_page(
    page: Any,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    request: pytest.FixtureRequest,
    make_staff: Callable[..., User],
    make_user: Callable[..., User],
    town: Callable,
) -> None:
    objects = request.getfixturevalue("finsterwalde")
    found: dict[str, Any] = {}

    newcomer = make_user(role=Role.ORGANIZER, towns=[town("senftenberg")], email="neu@senftenberg.example")
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(newcomer.email)
    page.get_by_label("Passwort").first.fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/login/enrol")
    if violations := axe_violations(page):
        found["/login/enrol"] = violations
    page.context.clear_cookies()

    admin = make_staff(role=Role.ADMIN)
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(admin.email)
    page.get_by_label("Passwort").first.fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/login/second-factor")
    page.get_by_role("button", name="Bestätigen").click()  # empty: the error state
    after_submit(page)
    if violations := axe_violations(page):
        found["/login/second-factor with an error"] = violations
    page.get_by_label("Code aus Ihrer Authenticator-App", exact=False).fill(totp_code(admin))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/organizer")

    files = (".csv", ".svg", "/download")  # files, not pages: a browser downloads or shows them
    paths = sorted(
        {
            path
            for method, path, _scope, _data in requests_for(objects)
            if method == "GET" and ".json" not in path and not path.endswith(files)
        }
    )
    assert len(paths) >= 30
    event_id = objects["event_id"]
    paths += [
        f"/organizer/events/{event_id}/registrations?hometown=senftenberg&hometown_op=not",
        "/towns",
        "/towns/finsterwalde",
        "/organizer/events?past=1",
    ]
    for path in paths:
        page.goto(path)
        if violations := axe_violations(page):
            found[path] = violations
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found[f"{path} is wider than the screen"] = overflow
    for path, button in [("/organizer/events/new", "Speichern"), (f"/organizer/events/{event_id}/mail", "Vorschau")]:
        page.goto(path)
        page.get_by_role("button", name=button).click()  # the form with its errors beside the fields
        after_submit(page)
        if violations := axe_violations(page):
            found[f"{path} with errors"] = violations
    page.goto(f"/organizer/events/{event_id}/mail")
    page.get_by_label("Betreff (Deutsch)").fill("Parken")
    page.get_by_label("Text (Deutsch)").fill("Bitte am Markt parken.")
    page.get_by_role("button", name="Vorschau").click()
    after_submit(page)
    if violations := axe_violations(page):
        found["mail preview"] = violations
    page.goto("/organizer/security")
    page.get_by_role("button", name="Zehn neue Wiederherstellungscodes").click()
    after_submit(page)
    if violations := axe_violations(page):
        found["recovery codes"] = violations
    assert found == {}


def test_an_organizers_morning_by_keyboard_alone(
    page: Any,
    make_staff: Callable[..., User],
    make_venue: Callable,
    make_employer: Callable,
    make_event: Callable,
    smtp: Any,
) -> None:
    organizer = make_staff(email="orga@senftenberg.example")
    make_venue(name="Niederlausitzhalle")
    employer = make_employer(name="Lausitzer Solarwerk", status=EmployerStatus.PENDING)
    attended = make_event(title="Job-Dating Senftenberg")
    start_writing()
    profile = ReturneeProfile(
        email="gast@example.org",
        first_name="Gabi",
        last_name="Gast",
        postal_code="01968",
        city="Senftenberg",
        country="DE",
        confirmed_at=datetime.now(UTC),
    )
    db.session.add(
        Registration(
            profile=profile, event_id=attended.id, status=RegistrationStatus.CONFIRMED, confirmed_at=datetime.now(UTC)
        )
    )
    db.session.commit()

    log_in_by_keyboard(page, organizer)

    page.goto("/organizer/events/new")
    page.get_by_label("Titel").focus()
    page.keyboard.type("Rückkehrertag am Hafen")
    page.locator("#day").focus()
    page.keyboard.type((datetime.now(BERLIN) + timedelta(days=40)).strftime("%d.%m.%Y"))
    page.get_by_label("Plätze").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("80")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#fehler").count() == 0, page.locator("#fehler").all_inner_texts()
    assert page.get_by_role("heading", level=1).inner_text() == "Rückkehrertag am Hafen"

    page.get_by_role("button", name="Veröffentlichen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Die Veranstaltung ist veröffentlicht.").is_visible()

    page.get_by_role("link", name="Bearbeiten").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Plätze").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("60")
    page.get_by_role("button", name="Speichern").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("0 von 60 vergeben").is_visible()

    page.goto("/organizer/approvals")
    page.get_by_role("button", name="Freigeben: Lausitzer Solarwerk").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Das Unternehmen ist freigegeben.").is_visible()

    page.goto(f"/organizer/events/{attended.id}/mail")
    page.get_by_label("Betreff (Deutsch)").focus()
    page.keyboard.type("Parken am Markt")
    page.keyboard.press("Tab")
    page.keyboard.type("Bitte parken Sie am Markt.")
    page.get_by_role("button", name="Vorschau").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Bitte parken Sie am Markt.", exact=False).first.is_visible()
    page.get_by_role("button", name="Jetzt senden").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Die E-Mail geht an 1 Personen", exact=False).is_visible()

    db.session.rollback()
    event = db.session.scalar(select(Event).where(Event.title == "Rückkehrertag am Hafen"))
    assert event.status == EventStatus.PUBLISHED and event.capacity == 60
    assert db.session.get(type(employer), employer.id).status == EmployerStatus.APPROVED
