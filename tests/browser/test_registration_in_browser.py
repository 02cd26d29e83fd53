"""The registration journey in headless Chromium, by keyboard alone, on a phone; axe on every page of it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from rueckkehr.events.models import Event
from tests.support.browser import after_submit
from tests.support.registrations import form_data
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """A phone."""
    return {"viewport": {"width": 390, "height": 844}, "locale": "de-DE", "is_mobile": True, "has_touch": True}


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus (proving it is reachable by keyboard)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def choose(page: Any, selector: str, label: str) -> None:
    """Pick an option of a focused select by typing its first letters, as keyboard users do."""
    tab_to(page, selector)
    page.keyboard.type(label)
    assert page.eval_on_selector(selector, "s => s.options[s.selectedIndex].text").startswith(label)


def link(mail: Any, path: str) -> str:
    return re.search(r"http://rueckkehr\.test(" + re.escape(path) + r"\S*)", mail.text_body()).group(1)


def test_the_whole_journey_by_keyboard_on_a_phone(
    page: Any,
    make_event: Callable[..., Event],
    smtp: SMTPServer,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
) -> None:
    event = make_event(title="Rückkehrertag Großräschen", capacity=1)
    page.goto(f"/events/{event.id}")
    tab_to(page, "a.kern-btn")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{event.id}/register")

    # Submitting an empty form shows the errors; axe checks that state too.
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Bitte geben Sie Ihren Vornamen an.").first.is_visible()
    assert axe_violations(page) == []

    tab_to(page, "#first_name")
    page.keyboard.type("Jana")
    tab_to(page, "#last_name")
    page.keyboard.type("Müller")
    tab_to(page, "#email")
    page.keyboard.type("jana@example.org")
    tab_to(page, "#postal_code")
    page.keyboard.type("01968")
    tab_to(page, "#city")
    page.keyboard.type("Senftenberg")
    choose(page, "#hometown", "Großr")
    choose(page, "#occupation_group", "81")
    tab_to(page, "input[name=interests][value=partner_job]")
    assert page.locator("#partner-fields").is_hidden()
    page.keyboard.press("Space")
    assert page.locator("#partner-fields").is_visible()
    tab_to(page, "#consent_participation")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{event.id}/register/sent")
    assert page.get_by_text("Wir haben Ihnen eine E-Mail an jana@example.org geschickt.").is_visible()
    assert axe_violations(page) == []

    page.goto(link(smtp.wait_for(1)[0], "/confirm/"))
    assert axe_violations(page) == []
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Vielen Dank – Sie sind angemeldet"

    page.goto(link(smtp.wait_for(2)[1], "/me/"))
    assert page.get_by_text("Angemeldet", exact=True).is_visible()
    assert axe_violations(page) == []
    tab_to(page, "a[href*=cancel]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmeldung stornieren?"  # asked once
    assert page.get_by_text("Ihr Platz wird frei.").is_visible()
    assert axe_violations(page) == []
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Storniert", exact=True).is_visible()


@pytest.mark.parametrize("language", ["de", "en"])
def test_axe_on_form_errors_waiting_list_and_self_service(
    page: Any,
    make_event: Callable[..., Event],
    smtp: SMTPServer,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    language: str,
) -> None:
    full = make_event(capacity=0)
    page.goto(f"/events/{full.id}/register?lang={language}")
    assert axe_violations(page) == []
    # Errors shown, and the waiting list.
    page.goto(f"/events/{full.id}/register?lang={language}")
    page.fill("#email", "x")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".kern-error").count() > 0
    assert axe_violations(page) == []

    page.goto(f"/events/{full.id}/register?lang={language}")
    for name, value in form_data(email=f"wait-{language}@example.org").items():
        if isinstance(value, list) or name in {
            "consent_participation",
            "partner_occupation_group",
            "partner_skill_level",
        }:
            continue
        if page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", value)
        elif page.locator(f"input[name={name}]").count():
            page.fill(f"input[name={name}]", value)
        elif page.locator(f"textarea[name={name}]").count():
            page.fill(f"textarea[name={name}]", value)
    page.check("#consent_participation")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/events/{full.id}/register/sent*")
    assert page.locator(".kern-alert--info").count() == 1  # the waiting-list notice
    assert axe_violations(page) == []

    page.goto(link(smtp.wait_for(1)[0], "/confirm/") + f"?lang={language}")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert axe_violations(page) == []
    page.goto(link(smtp.wait_for(2)[1], "/me/") + f"?lang={language}")
    assert axe_violations(page) == []
    for sub in ("/profile", "/export", "/erase"):
        page.goto(link(smtp.messages[1], "/me/") + sub + f"?lang={language}")
        assert axe_violations(page) == [], sub
    page.goto(link(smtp.messages[1], "/me/") + f"/profile?lang={language}")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    after_submit(page)
    assert page.locator(".flash-list [role=status]").count() == 1  # saved: the message after the redirect
    assert axe_violations(page) == []
    page.goto(f"/link?lang={language}")
    assert axe_violations(page) == []
    page.goto(f"/confirm/invalid?lang={language}")
    assert axe_violations(page) == []
