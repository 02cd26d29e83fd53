"""The door in real headless Chromium on a phone: the Wi-Fi drops (network emulation offline), scans go on, the
network returns and each scan counts once, even when the queue is uploaded twice; the camera reads a ticket from
Chromium's fake video capture; axe finds nothing in German or English."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.checkin.models import CheckInScan
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.registrations.tickets import short_code, ticket_png
from rueckkehr.returnees.models import ReturneeProfile
from tests.organizer.test_browser import log_in_by_keyboard
from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.units import start_writing

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "de-DE", "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """A phone at the door."""
    return PHONE


def seat(event: Event, first_name: str, last_name: str, companions: int = 0) -> Registration:
    """A confirmed registration of someone for the event."""
    start_writing()
    profile = ReturneeProfile(
        email=f"{first_name.lower()}@example.org",
        first_name=first_name,
        last_name=last_name,
        postal_code="01968",
        city="Senftenberg",
        country="DE",
        confirmed_at=datetime.now(UTC),
    )
    registration = Registration(
        profile=profile,
        event_id=event.id,
        status=RegistrationStatus.CONFIRMED,
        companions=companions,
        confirmed_at=datetime.now(UTC),
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def checked_in() -> list[str]:
    """The last names of the parties that are in, as committed."""
    db.session.rollback()
    query = select(ReturneeProfile.last_name).join(Registration.profile).where(Registration.checked_in_at.is_not(None))
    return sorted(db.session.scalars(query))


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_scans_made_offline_are_uploaded_once_the_network_returns_and_count_once(
    page: Any, make_event: Callable[..., Event], make_staff: Callable[..., User]
) -> None:
    event = make_event()
    jana = seat(event, "Jana", "Müller")
    seat(event, "Tom", "Albers", companions=1)
    seat(event, "Özlem", "Çelik")
    code = short_code(jana.ticket_secret)
    log_in_by_keyboard(page, make_staff())
    page.goto(f"/organizer/events/{event.id}/check-in")
    network = page.locator("#check-in-network")
    network.filter(has_text="Online – Scans werden sofort übertragen.").wait_for()
    assert page.locator("#count-expected").inner_text() == "4"

    page.context.set_offline(True)
    network.filter(has_text="Offline").wait_for()
    page.get_by_label("Code unter dem QR-Code").fill(code.lower())
    page.locator("#code-form").get_by_role("button", name="Einchecken").click()
    message = page.locator("#check-in-message")
    message.filter(has_text="Eingecheckt: Müller, Jana").wait_for()

    page.get_by_label("Vor- oder Nachname").fill("albers")
    result = page.locator("#name-results li").filter(has_text="Albers, Tom (mit 1 Begleitperson)")
    result.get_by_role("button", name="Einchecken").click()
    message.filter(has_text="Eingecheckt: Albers, Tom").wait_for()
    assert page.locator("#count-present").inner_text() == "3"

    page.get_by_label("Vor- oder Nachname").fill("celik")  # found without its accents
    page.locator("#name-results li").filter(has_text="Çelik, Özlem").get_by_role("button", name="Einchecken").click()
    message.get_by_role("button", name="Rückgängig").click()  # a tap on the wrong name, taken back
    message.filter(has_text="Rückgängig gemacht: Çelik, Özlem").wait_for()

    page.get_by_label("Code unter dem QR-Code").fill(code)
    page.locator("#code-form").get_by_role("button", name="Einchecken").click()
    assert re.fullmatch(r"Müller, Jana: schon eingecheckt um \d\d:\d\d", message.inner_text().strip())
    assert page.locator("#check-in-pending").inner_text() == "4 Scans warten auf die Übertragung."
    assert checked_in() == []  # nothing reached the server
    queue = page.evaluate(f"localStorage.getItem('rk-checkin:{event.id}:queue')")
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('rk-checkin:{event.id}:list'))")
    assert {entry["n"] for entry in stored["entries"]} == {"Müller, Jana", "Albers, Tom", "Çelik, Özlem"}
    assert stored["expires"] > time.time() * 1000

    page.context.set_offline(False)
    network.filter(has_text="Online").wait_for()
    wait_until(lambda: page.locator("#check-in-pending").inner_text() == "")
    wait_until(lambda: checked_in() == ["Albers", "Müller"])

    # The same queue uploaded a second time (as after an answer lost on the way): every scan is known already.
    answer = page.evaluate(
        """async ([url, queue]) => {
            const response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                               body: JSON.stringify({scans: JSON.parse(queue)})});
            return response.json();
        }""",
        [f"/organizer/events/{event.id}/check-in/scans", queue],
    )
    assert [result["repeated"] for result in answer["results"]] == [True] * 4
    assert answer["counts"] == {"present": 3, "expected": 4, "walk_ins": 0}
    assert checked_in() == ["Albers", "Müller"]
    assert db.session.scalar(select(func.count()).select_from(CheckInScan)) == 4
    verbs = db.session.scalars(select(AuditEntry.verb).where(AuditEntry.verb.like("registration.check%"))).all()
    assert sorted(verbs) == [
        "registration.check_in_undone",
        "registration.checked_in",
        "registration.checked_in",
        "registration.checked_in",
    ]

    # Logged out meanwhile (in another tab): the page says so and keeps the scan until it can upload it.
    page.context.clear_cookies()
    page.get_by_label("Vor- oder Nachname").fill("celik")
    page.locator("#name-results li").get_by_role("button", name="Einchecken").click()
    network.filter(has_text="Sie sind nicht mehr angemeldet.").wait_for()
    assert page.locator("#check-in-pending").inner_text() == "1 Scan wartet auf die Übertragung."


def fake_camera_file(path: Path, text: str) -> Path:
    """A Y4M video (what Chromium's fake capture plays in a loop) showing the QR code of ``text``."""
    qr = Image.open(io.BytesIO(ticket_png(text))).convert("L")  # the mail's ticket.png, 330 px wide
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    ycbcr = frame.convert("RGB").convert("YCbCr")
    y, cb, cr = ycbcr.split()
    half = (320, 240)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            video.write(b"FRAME\n" + planes)
    return path


def test_the_door_in_english_tells_the_time_on_the_24_hour_clock_as_the_rest_of_the_site(
    page: Any, make_event: Callable[..., Event], make_staff: Callable[..., User]
) -> None:
    event = make_event()
    code = short_code(seat(event, "Jana", "Müller").ticket_secret)
    log_in_by_keyboard(page, make_staff())
    page.goto(f"/organizer/events/{event.id}/check-in?lang=en")
    message = page.locator("#check-in-message")
    for _ in range(2):
        page.get_by_label("Code below the QR code").fill(code)
        page.locator("#code-form").get_by_role("button", name="Check in").click()
        message.filter(has_text="Müller, Jana").wait_for()
    message.filter(has_text="already checked in at").wait_for()
    assert re.fullmatch(r"Müller, Jana: already checked in at \d\d:\d\d", message.inner_text().strip())


def test_the_camera_reads_a_ticket_from_chromiums_fake_video_capture(
    browser: Any, live_server: Any, make_event: Callable[..., Event], make_staff: Callable[..., User], tmp_path: Path
) -> None:
    event = make_event()
    jana = seat(event, "Jana", "Müller")
    video = fake_camera_file(tmp_path / "ticket.y4m", jana.ticket_secret)
    camera_args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    with_camera = browser.browser_type.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[*CHROMIUM_ARGS, *camera_args, f"--use-file-for-fake-video-capture={video}"],
    )
    try:
        context = with_camera.new_context(base_url=live_server.url, **PHONE)
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in_by_keyboard(page, make_staff())
        page.goto(f"/organizer/events/{event.id}/check-in")
        page.locator("#check-in-network").filter(has_text="Online").wait_for()
        page.get_by_role("button", name="Kamera starten").click()
        page.locator("#check-in-message").filter(has_text="Eingecheckt: Müller, Jana").wait_for()
        page.get_by_role("button", name="Kamera anhalten").click()
        wait_until(lambda: checked_in() == ["Müller"])
    finally:
        with_camera.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_axe_finds_nothing_on_the_door_on_a_phone(
    page: Any,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    make_event: Callable[..., Event],
    make_staff: Callable[..., User],
    language: str,
) -> None:
    event = make_event()
    jana = seat(event, "Jana", "Müller")
    seat(event, "Jan", "Muster", companions=2)
    log_in_by_keyboard(page, make_staff())
    page.goto(f"/organizer/events/{event.id}/check-in?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("#check-in-network[data-state=online]").wait_for()
    found = {}
    if violations := axe_violations(page):
        found["empty"] = violations
    page.locator("#name-input").fill("jan")  # results, one of them checked in, and a message with its button
    page.locator("#name-results li").first.get_by_role("button").first.click()
    page.locator("#code-input").fill(short_code(jana.ticket_secret))
    page.locator("#code-form button").click()
    page.locator("#check-in-message p").wait_for()
    if violations := axe_violations(page):
        found["with results"] = violations
    page.context.set_offline(True)
    page.locator("#check-in-network[data-state=offline]").wait_for()
    if violations := axe_violations(page):
        found["offline"] = violations
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert found == {}
