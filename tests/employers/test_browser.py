"""This feature's pages in real headless Chromium: axe on every page, logged in and out; a vacancy by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rueckkehr.employers.models import StandStatus, VacancyStatus
from tests.support.browser import after_submit

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def log_in(page: Any, email: str) -> None:
    """Log in through the form."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/employer")


def test_axe_finds_no_violations_logged_out_and_in(
    page: Any,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    make_employer: Callable,
    make_vacancy: Callable,
    make_event: Callable,
    make_stand: Callable,
) -> None:
    employer = make_employer(name="Klinikum Niederlausitz")
    vacancy = make_vacancy(employer)
    draft = make_vacancy(employer, title="Entwurf", status=VacancyStatus.DRAFT)
    make_stand(employer, make_event(), status=StandStatus.CONFIRMED)
    public = [
        "/jobs",
        "/jobs?q=Elektriker&town=senftenberg",
        "/jobs?town=atlantis",
        "/jobs?q=nichts",
        f"/jobs/{vacancy.id}",
        "/employers",
        f"/employers/{employer.id}",
        "/login",
        "/password/forgot",
        "/password/reset/ungueltig",
        "/employer/signup",
    ]
    private = [
        "/employer",
        "/employer/profile",
        "/employer/vacancies/new",
        f"/employer/vacancies/{draft.id}",
        f"/employer/vacancies/{draft.id}/edit",
        "/employer/stands",
        "/employer/colleagues",
        "/jobs",
    ]
    found = {}
    for path in public:
        page.goto(path)
        if violations := axe_violations(page):
            found[path] = violations
    page.goto("/employer/signup")
    page.get_by_role("button", name="Registrieren").click()
    after_submit(page)
    if violations := axe_violations(page):
        found["signup with errors"] = violations
    log_in(page, employer.users[0].email)
    for path in private:
        page.goto(path)
        if violations := axe_violations(page):
            found[f"logged in {path}"] = violations
    assert found == {}


def test_an_employer_creates_a_vacancy_by_keyboard(page: Any, make_employer: Callable) -> None:
    employer = make_employer()
    log_in(page, employer.users[0].email)
    page.goto("/employer/vacancies/new")
    page.get_by_label("Stellenbezeichnung").focus()
    page.keyboard.type("Elektrikerin für Photovoltaik")
    page.keyboard.press("Tab")
    page.keyboard.type("26")  # type-ahead selects "26 Mechatronik-, Energie- und Elektroberufe"
    page.keyboard.press("Tab")
    page.keyboard.type("F")  # Fachkraft
    page.keyboard.press("Tab")
    page.keyboard.type("Sie bauen **Photovoltaik-Anlagen**.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sen")  # Senftenberg
    for _ in range(3):
        page.keyboard.press("Tab")  # other place, its PLZ, to the first working time
    page.keyboard.press("Space")  # Vollzeit
    page.get_by_label("Bewerbung per E-Mail").focus()
    page.keyboard.type("jobs@solar.example")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator("#fehler").all_inner_texts()
    assert errors == [], errors
    assert page.get_by_role("heading", level=1).inner_text() == "Elektrikerin für Photovoltaik"
    assert page.get_by_text("Entwurf", exact=True).is_visible()
    page.get_by_role("button", name="Zur Freigabe einreichen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Eingereicht – wartet auf Freigabe").is_visible()
