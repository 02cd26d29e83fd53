"""The export page, the figures page and the retention page in real headless Chromium: axe finds nothing, in
German and in English, on a phone and on a desktop; the door list prints on A4."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from rueckkehr.accounts.models import Role, User
from rueckkehr.registrations.models import RegistrationStatus
from tests.support.organizers import PASSWORD, totp_code

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "de-DE", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


@pytest.fixture(params=["phone", "desktop"])
def browser_context_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each test of this module runs on a phone and on a desktop."""
    return PHONE if request.param == "phone" else DESKTOP


def log_in(page: Any, user: User) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").first.fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/login/second-factor")
    page.get_by_label("Code aus Ihrer Authenticator-App", exact=False).fill(totp_code(user))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/organizer")


def test_axe_finds_nothing_on_the_export_figures_and_retention_pages_in_both_languages(
    page: Any,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    make_staff: Callable[..., User],
    make_event: Callable,
    make_series: Callable,
    register: Callable,
) -> None:
    series = make_series("Rückkehrertage 2026")
    event = make_event(title="Herbsttag", series=series, starts_at=datetime(2026, 9, 5, 8, tzinfo=UTC))
    for number in range(9):
        register(event, f"Person{number}", interests=["advice"] if number % 3 else [], commit=False)
    register(event, "Wartend", status=RegistrationStatus.WAITING)
    log_in(page, make_staff(role=Role.ADMIN))
    found: dict[str, Any] = {}
    for language in ("", "?lang=en"):
        paths = [
            f"/organizer/events/{event.id}/export{language}",
            f"/organizer/series/{series.id}/export{language}",
            f"/organizer/figures{language}",
            f"/organizer/figures/events/{event.id}{language}",
            f"/organizer/figures/series/{series.id}{language}",
            f"/organizer/retention{language}",
        ]
        for path in paths:
            page.goto(path)
            if violations := axe_violations(page):
                found[path] = violations
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                found[f"{path} is wider than the screen"] = overflow
        page.goto(f"/organizer/events/{event.id}/export{language}")
        for box in page.locator("input[name=columns]").all():
            box.uncheck()
        page.locator("button[value=export]").click()  # no column: the error beside the field
        page.wait_for_selector("#fehler")
        if violations := axe_violations(page):
            found[f"export with an error{language}"] = violations
    page.goto(f"/organizer/figures/events/{event.id}?lang=en")
    assert page.locator("h1").inner_text() == "Figures: Herbsttag"
    page.locator("img.figure-chart").first.scroll_into_view_if_needed()  # the charts load lazily, on a phone later
    page.wait_for_function("() => document.querySelector('img.figure-chart').complete", timeout=10_000)
    assert page.locator("img.figure-chart").first.evaluate("image => image.naturalWidth") > 0, "the chart loads"
    assert found == {}, json.dumps(found, indent=1)[:3000]
