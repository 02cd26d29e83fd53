"""The public pages in real headless Chromium: accessibility (axe), keyboard, phone size, no foreign requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rueckkehr.events.models import Event, EventStatus
from tests.support.browser import refuse_other_hosts

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(make_event: Callable[..., Event]) -> list[str]:
    """Every page of the foundation, with events to show."""
    event = make_event(capacity=12)
    make_event(title="Ausgebuchter Rückkehrertag", capacity=0)
    cancelled = make_event(title="Abgesagter Rückkehrertag", status=EventStatus.CANCELLED)
    return [
        "/",
        "/events",
        "/events?past=1",
        "/events?town=schipkau",
        "/events?month=kaputt",
        f"/events/{event.id}",
        f"/events/{cancelled.id}",
        f"/events/{event.id}/register",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        "/gibt-es-nicht",
    ]


@pytest.mark.parametrize("language", ["de", "en"])
def test_axe_finds_no_violations_on_any_page(
    page: Any, pages: list[str], axe_violations: Callable[[Any], list[dict[str, Any]]], language: str
) -> None:
    found = {}
    for path in pages:
        separator = "&" if "?" in path else "?"
        page.goto(f"{path}{separator}lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """A phone-sized viewport."""
    return {"viewport": {"width": 375, "height": 740}, "locale": "de-DE", "is_mobile": True, "has_touch": True}


def test_keyboard_alone_reaches_every_link_and_switches_the_language(
    page: Any, make_event: Callable[..., Event]
) -> None:
    make_event(title="Rückkehrertag Lauchhammer")
    page.goto("/")
    targets = page.eval_on_selector_all(
        "a[href], button", "els => els.map(e => e.getAttribute('href') || e.textContent.trim())"
    )
    reached = []
    for _ in range(len(targets) + 5):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.getAttribute('href') || document.activeElement.textContent.trim()")
        )
    assert set(targets) <= set(reached)
    assert reached[0] == "#inhalt"  # the skip link comes first

    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"

    page.goto("/")
    for _ in range(len(reached)):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "English":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome back to the Westlausitz"


def test_pages_fit_a_phone_screen(page: Any, pages: list[str]) -> None:
    for path in pages:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)


def test_filters_work_by_keyboard(page: Any, make_event: Callable[..., Event], make_venue: Any, town: Any) -> None:
    make_event(title="Brunch in Großräschen", venue=make_venue(name="Kurmärker", town=town("grossraeschen")))
    make_event(title="Messe in Senftenberg")
    page.goto("/events")
    page.get_by_label("Stadt").focus()
    page.keyboard.press("ArrowDown")  # collapsed select on Linux: arrow keys change the value
    page.get_by_label("Stadt").select_option("grossraeschen")
    page.get_by_role("button", name="Filtern").press("Enter")
    page.wait_for_url("**/events?town=grossraeschen*")
    assert page.get_by_text("Brunch in Großräschen").is_visible()
    assert page.get_by_text("Messe in Senftenberg").count() == 0
    assert page.get_by_label("Stadt").input_value() == "grossraeschen"


def test_fonts_and_styles_are_served_by_the_app(page: Any) -> None:
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto("/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Fira Sans"')
    stylesheets = [url for url, status in responses if url.endswith(".css")]
    assert len(stylesheets) == 3
    assert all(status == 200 for _, status in responses)


def test_a_request_to_another_host_is_refused_and_named(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url)
    refused = refuse_other_hosts(context, live_server.url)
    page = context.new_page()
    page.goto("/events")
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 0  # the page's own assets load
    # A blank document, without the site's Content-Security-Policy, which would stop these before the guard sees them
    page = context.new_page()
    page.set_content(
        '<img src="https://cdn.example/logo.png" alt="">'
        '<script src="http://127.0.0.2:9/tracker.js"></script>'
        f'<img src="{live_server.url}/gibt-es-nicht.png" alt="">'
    )
    context.close()
    assert sorted(refused) == ["http://127.0.0.2:9/tracker.js", "https://cdn.example/logo.png"]
