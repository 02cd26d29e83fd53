"""On a phone (Chromium, 390 × 844): every public page and form fits the screen, also with its errors; a failed
submit puts the focus on the error summary, which lists the errors in the order of the fields; the focus ring of
every header and footer control stands out (3 : 1 at least); the call to register and the job results come on the
first screen; axe finds nothing on the pages this work touched, in German and in English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.employers import PASSWORD
from tests.support.layout import WIDTH, layout_problems, submit
from tests.support.registrations import form_data
from tests.support.smtp import SMTPServer
from tests.support.world import World, png

pytestmark = pytest.mark.browser

HEIGHT = 844


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """The app, its uploads (a logo kept from a failed sign-up) in a temporary folder."""
    app = make_app(UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        yield app


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """A phone."""
    return {"viewport": {"width": WIDTH, "height": HEIGHT}, "locale": "de-DE", "is_mobile": True, "has_touch": True}


def with_language(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def public_pages(w: World) -> list[str]:
    """Every public page and form, and the pages behind a returnee's links."""
    manage = w.manage
    return [
        "/", "/events", "/events?past=1", "/events?month=kaputt",
        *(f"/events/{e.id}" for e in (w.open_event, w.full_event, w.cancelled_event, w.closed_event)),
        f"/events/{w.open_event.id}/register", f"/events/{w.closed_event.id}/register",
        w.confirm_link.split("?")[0], manage, f"{manage}/profile", f"{manage}/export", f"{manage}/erase",
        f"{manage}/registrations/{w.confirmed_id}/cancel", f"{manage}/registrations/{w.confirmed_id}/companions",
        w.calendar_link, f"{w.calendar_link}/cancel", w.unsubscribe_link, "/link", "/confirm/invalid",
        "/jobs", f"/jobs/{w.published.id}", "/employers", f"/employers/{w.employer.id}",
        "/employer/signup", "/login", "/password/forgot", "/impressum", "/datenschutz", "/barrierefreiheit",
        "/gibt-es-nicht",
    ]  # fmt: skip


def fill_registration(page: Any, **values: str) -> None:
    """Type a registration into the form (only the fields given)."""
    for name, value in values.items():
        if page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", value)
        else:
            page.fill(f"[name={name}]", value)


def log_in(page: Any, email: str, language: str = "de") -> None:
    page.goto(with_language("/login", language))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit(page)


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_page_or_form_is_wider_than_a_phone_even_with_its_errors(page: Any, world: World, language: str) -> None:
    found: dict[str, list[str]] = {}
    for path in public_pages(world):
        page.goto(with_language(path, language))
        if problems := layout_problems(page):
            found[path] = problems
    for path in (f"/events/{world.open_event.id}/register", "/employer/signup", "/login", "/link"):
        page.goto(with_language(path, language))
        submit(page)  # empty: every error beside its field
        if problems := layout_problems(page):
            found[f"{path} with errors"] = problems
    page.goto(with_language(f"{world.manage}/profile", language))
    page.fill("#first_name", "")
    page.fill("#phone", "abc")
    submit(page)
    if problems := layout_problems(page):
        found["profile with errors"] = problems
    log_in(page, world.user.email, language)
    for path in ("/employer", "/employer/profile", "/employer/vacancies/new", f"/employer/vacancies/{world.draft.id}",
                 "/employer/stands", "/employer/colleagues"):  # fmt: skip
        page.goto(with_language(path, language))
        if problems := layout_problems(page):
            found[path] = problems
    page.goto(with_language("/employer/vacancies/new", language))
    submit(page)
    if problems := layout_problems(page):
        found["new vacancy with errors"] = problems
    assert found == {}


FIELDS_IN_ORDER = """() => {
  const controls = 'main form input:not([type=hidden]), main form select, main form textarea';
  const fields = Array.from(document.querySelectorAll(controls));
  const target = (link) => document.getElementById(link.getAttribute('href').slice(1));
  return Array.from(document.querySelectorAll('#fehler a')).map(link => fields.indexOf(target(link)));
}"""


@pytest.mark.parametrize("form", ["registration", "employer sign-up", "self-service profile"])
def test_a_failed_submit_moves_the_focus_to_the_summary_which_lists_the_errors_in_the_order_of_the_fields(
    page: Any, world: World, form: str
) -> None:
    if form == "registration":
        page.goto(f"/events/{world.open_event.id}/register")
        fill_registration(page, email="x", phone="12", postal_code="1", hometown="other")
    elif form == "employer sign-up":
        page.goto("/employer/signup")
        page.fill("#website", "kein Link")
        page.fill("#email", "x")
        page.fill("#password", "kurz")
    else:
        page.goto(f"{world.manage}/profile")
        page.fill("#first_name", "")
        page.fill("#phone", "abc")
        page.fill("#city", "")
    submit(page)
    assert page.evaluate("document.activeElement.id") == "fehler"
    positions = page.evaluate(FIELDS_IN_ORDER)
    assert len(positions) >= 3 and -1 not in positions, positions
    assert positions == sorted(positions)
    first = page.locator("#fehler a").first
    first.click()  # a link of the summary takes the reader to its field
    target = first.get_attribute("href").lstrip("#")
    assert page.evaluate("document.activeElement.id") == target


def rgb(value: str) -> tuple[float, float, float, float]:
    """A computed CSS colour as red, green, blue (0–255) and alpha."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)]
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)


def luminance(colour: tuple[float, float, float, float]) -> float:
    """The relative luminance of WCAG 2.1."""

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue, _alpha = colour
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two computed colours."""
    lighter, darker = sorted((luminance(rgb(one)), luminance(rgb(other))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUSED_RING = """() => {
  const el = document.activeElement;
  const region = el.closest('header, footer');
  if (!region) return null;
  let around = el.parentElement, background = 'rgba(0, 0, 0, 0)';
  while (around) {
    const colour = getComputedStyle(around).backgroundColor;
    if (!/rgba\\(0, 0, 0, 0\\)|transparent/.test(colour)) { background = colour; break; }
    around = around.parentElement;
  }
  const style = getComputedStyle(el);
  return {where: region.tagName, what: (el.textContent || el.getAttribute('href') || '').trim().slice(0, 30),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor, background};
}"""


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_focus_ring_of_header_and_footer_stands_out(page: Any, world: World, logged_in: bool) -> None:
    if logged_in:
        log_in(page, world.user.email)
    page.goto("/events")
    rings = []
    for _ in range(80):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUSED_RING)
        if ring is not None:
            rings.append(ring)
    assert {ring["where"] for ring in rings} == {"HEADER", "FOOTER"}
    assert len({ring["what"] for ring in rings}) >= (9 if logged_in else 8)
    weak = [
        (ring["what"], round(contrast(ring["colour"], ring["background"]), 2))
        for ring in rings
        if ring["style"] == "none" or ring["width"] < 2 or contrast(ring["colour"], ring["background"]) < 3
    ]
    assert weak == []


def test_the_call_to_register_and_the_way_back_to_ones_registration_come_first(page: Any, world: World) -> None:
    for event, button in ((world.open_event, "Jetzt anmelden"), (world.full_event, "Auf die Warteliste setzen")):
        page.goto(f"/events/{event.id}")
        box = page.get_by_role("link", name=button).bounding_box()
        assert box["y"] + box["height"] <= HEIGHT, (event.title, box)
        assert page.get_by_role("link", name="Anmeldung verwalten / Link erneut zusenden").is_visible()
    page.goto(f"/events/{world.full_event.id}")
    assert page.get_by_text("ausgebucht – Warteliste").first.bounding_box()["y"] < HEIGHT
    page.get_by_role("link", name="Anmeldung verwalten / Link erneut zusenden").click()
    page.wait_for_url("**/link")


def test_the_event_list_says_which_days_have_seats_a_waiting_list_or_none(page: Any, world: World) -> None:
    page.goto("/events")
    cards = page.locator(".event-card")
    states = {card.locator("h2").inner_text(): card.locator(".event-card__state").inner_text() for card in cards.all()}
    assert states[world.open_event.title] == "noch 3 Plätze frei"  # five seats, Jana and her companion hold two
    assert states[world.full_event.title] == "ausgebucht – Warteliste"
    assert states[world.cancelled_event.title] == "Abgesagt"
    assert states[world.closed_event.title] == "Online-Anmeldung geschlossen"


def test_the_jobs_board_folds_its_filters_so_the_results_come_first(page: Any, world: World) -> None:
    page.goto("/jobs")
    assert page.get_by_label("Suchbegriff").is_visible()
    assert not page.get_by_label("Berufsfeld").is_visible()  # folded
    assert page.get_by_text("1 Stelle gefunden").bounding_box()["y"] < HEIGHT
    page.get_by_text("Weitere Filter und Sortierung").click()
    page.get_by_label("Stadt").select_option("senftenberg")
    with page.expect_navigation():
        page.get_by_role("button", name="Suchen").click()
    assert page.locator("details.filter-more").get_attribute("open") is not None  # an active filter shows itself
    assert "(1 aktiv)" in page.locator("details.filter-more summary").inner_text()
    assert layout_problems(page) == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_axe_finds_nothing_on_the_pages_this_work_touched(
    page: Any,
    world: World,
    smtp: SMTPServer,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    language: str,
) -> None:
    found: dict[str, Any] = {}

    def check(what: str) -> None:
        if violations := axe_violations(page):
            found[what] = violations

    manage = world.manage
    for path in [
        "/", "/events", f"/events/{world.open_event.id}", f"/events/{world.full_event.id}", "/jobs",
        f"{manage}", f"{manage}/registrations/{world.confirmed_id}/cancel",
        f"{manage}/registrations/{world.waiting_id}/cancel", f"{manage}/registrations/{world.confirmed_id}/companions",
        f"{world.calendar_link}/cancel", f"{manage}/export",
    ]:  # fmt: skip
        page.goto(with_language(path, language))
        check(path)
    page.goto(with_language(f"{manage}/registrations/{world.confirmed_id}/companions", language))
    page.select_option("#companions", "5")
    submit(page)
    check("companions: more than the seats allow")
    page.goto(with_language(f"/events/{world.full_event.id}/register", language))
    submit(page)
    check("registration with errors")
    fill_registration(page, **{k: v for k, v in form_data(email=f"wait-{language}@example.org").items()
                               if isinstance(v, str) and k not in ("consent_participation", "partner_occupation_group",
                                                                   "partner_skill_level", "companions")})  # fmt: skip
    page.check("#consent_participation")
    submit(page)
    check("sent: on the waiting list")
    page.goto(with_language("/employer/signup", language))
    page.set_input_files("#logo", files=[{"name": "firma.png", "mimeType": "image/png", "buffer": png()}])
    submit(page)
    assert page.locator(".logo-kept").is_visible()
    check("employer sign-up with errors and the kept logo")
    before = len(smtp.messages)
    page.goto(with_language(f"{manage}/export", language))
    page.locator("form:has(input[name=step]) button").click()
    page.wait_for_load_state()
    mail = next(
        m for m in smtp.wait_for(before + 1)[before:] if re.search(r"\b\d{6}\b", m.text_body() or "")
    )  # the code
    page.fill("#code", re.search(r"\b(\d{6})\b", mail.text_body()).group(1))
    page.locator("main form:not(:has(input[name=step])) button[type=submit]").click()
    page.wait_for_load_state()
    check("the readable export")
    log_in(page, world.user.email, language)
    for path in ("/employer", f"/employer/vacancies/{world.draft.id}", "/employer/stands"):
        page.goto(with_language(path, language))
        check(path)
    assert found == {}
