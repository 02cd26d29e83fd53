"""Check-in with the ticket of a real mail: the QR code in ticket.png decoded as a phone decodes it, sent to the door's
upload as the page sends it; scan, second scan, undo, short code, a nonce uploaded twice, a cancelled ticket."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.checkin.models import CheckInScan
from rueckkehr.checkin.views import end_of_day
from rueckkehr.dates import BERLIN, berlin_today
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.desk import WalkIn, add_walk_in
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.registrations.tickets import short_code
from rueckkehr.returnees.models import ConsentMethod
from tests.support.pages import visible_text
from tests.support.registrations import link_in
from tests.support.smtp import ReceivedMail, SMTPServer
from tests.support.units import committed


def ticket_in(mail: ReceivedMail) -> tuple[str, str]:
    """The secret the mail's ticket.png holds (decoded as a scanner decodes it) and the code printed in the text."""
    [png] = [part for part in mail.message.iter_attachments() if part.get_filename() == "ticket.png"]
    assert png.get_content_type() == "image/png"
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    match = re.search(r"Einlass-Code: ([0-9A-Z]{4}-[0-9A-Z]{4})", mail.text_body())
    assert match, mail.text_body()
    return barcode.text, match.group(1)


def registered(client: FlaskClient, smtp: SMTPServer, submit: Callable[..., Any], event: Event, **data: Any) -> Any:
    """Register and confirm through the real pages; the confirmation mail."""
    before = len(smtp.messages)
    submit(event.id, **data)
    [request] = smtp.wait_for(before + 1)[before:]
    client.post(link_in(request, "/confirm/"))
    return smtp.wait_for(before + 2)[before + 1]


def scan(ticket: str, action: str = "in", nonce: str | None = None, at: datetime | None = None) -> dict[str, Any]:
    """One scan as the page queues it."""
    return {
        "nonce": nonce or uuid4().hex,
        "ticket": ticket,
        "action": action,
        "at": (at or datetime.now(UTC)).isoformat(),
    }


def upload(client: FlaskClient, event: Event, *scans: dict[str, Any]) -> dict[str, Any]:
    """Send scans to the door as the page does; the answer."""
    response = client.post(f"/organizer/events/{event.id}/check-in/scans", json={"scans": list(scans)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_ticket_from_the_mail_checks_in_once_and_undo_takes_it_back(
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    event = make_event()
    mail = registered(client, smtp, submit, event, companions="2")
    assert mail.message["Subject"] == f"Anmeldung bestätigt: {event.title}"
    secret, printed = ticket_in(mail)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{32}", secret)
    assert printed == short_code(secret) and printed in mail.html_body()
    for personal in ("Jana", "Müller", "jana"):  # the ticket names nobody
        assert personal not in secret

    staff_login(client, make_staff())
    eleven_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=11)
    first = scan(secret, at=eleven_ago)
    answer = upload(client, event, first)
    assert answer["results"] == [
        {"nonce": first["nonce"], "outcome": "checked_in", "checked_in_at": eleven_ago.isoformat(), "repeated": False}
    ]
    assert answer["counts"] == {"present": 3, "expected": 3, "walk_ins": 0}  # Jana and her two companions

    # The same scan uploaded again (the answer was lost on the way): applied once.
    again = upload(client, event, first)
    assert again["results"][0]["repeated"] is True and again["results"][0]["outcome"] == "checked_in"
    assert again["counts"]["present"] == 3

    # A second scan of the same ticket says since when she is in, and counts nothing.
    second = upload(client, event, scan(secret))
    assert second["results"][0]["outcome"] == "already"
    assert second["results"][0]["checked_in_at"] == eleven_ago.isoformat()
    assert second["counts"]["present"] == 3

    undone = upload(client, event, scan(secret, "undo"))
    assert undone["results"][0]["outcome"] == "undone"
    assert undone["counts"]["present"] == 0
    assert upload(client, event, scan(secret, "undo"))["results"][0]["outcome"] == "not_checked_in"

    # The short code, typed in lower case with or without its hyphen (and O for 0, I or L for 1), lets her in.
    typed = printed.lower().replace("0", "o").replace("1", "l")
    assert upload(client, event, scan(typed))["results"][0]["outcome"] == "checked_in"
    db.session.rollback()
    registration = db.session.scalars(select(Registration)).one()
    assert registration.checked_in_at is not None

    verbs = db.session.scalars(
        select(AuditEntry.verb).where(AuditEntry.verb.like("registration.check%")).order_by(AuditEntry.id)
    ).all()
    assert verbs == ["registration.checked_in", "registration.check_in_undone", "registration.checked_in"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "registration.checked_in")).first()
    assert entry.actor_user_id is not None and entry.changes["party_size"] == 3
    assert db.session.scalar(select(func.count()).select_from(CheckInScan)) == 5  # one row per nonce


def test_a_cancelled_registrations_old_ticket_is_refused(
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    event = make_event()
    mail = registered(client, smtp, submit, event)
    secret, printed = ticket_in(mail)
    manage = link_in(mail, "/me/")
    db.session.rollback()  # the test's read snapshot ends: the requests committed
    registration_id = db.session.scalars(select(Registration.id)).one()
    client.post(f"{manage}/registrations/{registration_id}/cancel")
    db.session.rollback()
    cancelled = db.session.get(Registration, registration_id)
    assert cancelled.status == RegistrationStatus.CANCELLED
    assert cancelled.ticket_secret != secret  # a new secret on cancelling

    staff_login(client, make_staff())
    answer = upload(client, event, scan(secret), scan(printed), scan(cancelled.ticket_secret))
    assert [result["outcome"] for result in answer["results"]] == ["unknown", "unknown", "not_seated"]
    assert answer["counts"] == {"present": 0, "expected": 0, "walk_ins": 0}
    listed = client.get(f"/organizer/events/{event.id}/check-in/list.json").get_json()
    assert listed["entries"] == []


def test_a_ticket_of_another_event_lets_nobody_in(
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    event, other = make_event(), make_event(title="Anderer Tag")
    secret, printed = ticket_in(registered(client, smtp, submit, event))
    staff_login(client, make_staff())
    answer = upload(client, other, scan(secret), scan(printed), scan("kein Ticket"), scan("A" * 40))
    assert {result["outcome"] for result in answer["results"]} == {"unknown"}


def test_the_phones_list_holds_the_confirmed_parties_until_midnight(
    app: Flask,
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    event = make_event()
    registered(client, smtp, submit, event)
    submit(event.id, email="tom@example.org", first_name="Tom", last_name="Albers")  # not confirmed: not listed
    walk_in = WalkIn("Wilma", "Zander", None, "01968", "Senftenberg", "DE", 1, ConsentMethod.ORAL)
    committed(add_walk_in, event.id, walk_in)
    umlaut = WalkIn("Ömer", "Özdemir", None, "01968", "Senftenberg", "DE", 0, ConsentMethod.PAPER)
    committed(add_walk_in, event.id, umlaut)
    staff_login(client, make_staff())
    days = {berlin_today()}
    listed = client.get(f"/organizer/events/{event.id}/check-in/list.json")
    days.add(berlin_today())  # (in case midnight passed meanwhile)
    assert listed.headers["Cache-Control"] == "no-store"
    data = listed.get_json()
    midnights = {
        int(datetime.combine(day + timedelta(days=1), time(0), tzinfo=BERLIN).timestamp() * 1000) for day in days
    }
    assert data["expires"] in midnights
    assert [(entry["n"], entry["p"], entry["w"], entry["t"] is not None) for entry in data["entries"]] == [
        ("Müller, Jana", 1, False, False),
        ("Özdemir, Ömer", 1, True, True),  # among the O, as the list at the door is looked up
        ("Zander, Wilma", 2, True, True),  # added at the door: in already
    ]
    assert all(entry["c"] == short_code(entry["s"]) for entry in data["entries"])
    assert data["counts"] == {"present": 3, "expected": 1, "walk_ins": 3}

    page = client.get(f"/organizer/events/{event.id}/check-in")
    assert page.mimetype == "text/html"
    assert page.headers["Permissions-Policy"].startswith("camera=(self)")
    assert "worker-src 'self' blob:" in page.headers["Content-Security-Policy"]
    text = visible_text(page)
    assert "Einlass" in text and "Da 3" in text and "Erwartet 1" in text and "Am Einlass dazu 3" in text
    assert "Zander" not in page.get_data(as_text=True)  # names come only through the list


def test_bad_uploads_are_refused_without_a_change(
    client: FlaskClient, make_event: Callable[..., Event], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/check-in/scans"
    for body in (
        None,
        [],
        {"scans": "x"},
        {"scans": [scan("A" * 32, nonce="short")]},
        {"scans": [scan("A" * 32, nonce="a\u0000" * 10)]},
        {"scans": [scan("A" * 32, action="delete")]},
        {"scans": [scan("A" * 65)]},
        {"scans": [scan("A" * 32)] * 501},
        {"scans": [1]},
    ):
        assert client.post(path, json=body).status_code == 400, body
    assert client.post(path, data="{", content_type="application/json").status_code == 400
    odd_time = {"nonce": uuid4().hex, "ticket": "A" * 32, "action": "in", "at": "gestern"}
    assert client.post(path, json={"scans": [odd_time]}).get_json()["results"][0]["outcome"] == "unknown"
    assert client.get("/organizer/events/2147483648/check-in").status_code == 404
    assert client.post("/organizer/events/99999999999/check-in/scans", json={"scans": []}).status_code == 404


def test_an_upload_runs_the_same_queries_for_one_scan_or_fifty(
    app: Flask,
    client: FlaskClient,
    make_event: Callable[..., Event],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    from rueckkehr.returnees.models import ReturneeProfile
    from tests.test_query_counts import counted

    event = make_event()
    db.session.add_all(
        Registration(
            profile=ReturneeProfile(
                email=f"p{number}@example.org", first_name="P", last_name=str(number), postal_code="01968",
                city="Senftenberg", country="DE", confirmed_at=datetime.now(UTC),
            ),
            event_id=event.id, status=RegistrationStatus.CONFIRMED, confirmed_at=datetime.now(UTC),
        )
        for number in range(100)
    )  # fmt: skip
    db.session.commit()
    secrets = db.session.scalars(select(Registration.ticket_secret).order_by(Registration.id)).all()
    staff_login(client, make_staff())
    event.id  # loaded now, not inside the first count  # noqa: B018
    reads: dict[str, int] = {}
    for batch in (secrets[:1], secrets[1:51]):
        scans = [scan(secret) for secret in batch]
        scans[-1]["ticket"] = short_code(scans[-1]["ticket"])  # one typed, the others scanned
        for label, sent in ((f"{len(batch)}", scans), (f"{len(batch)} again", scans)):  # again: every nonce repeated
            with counted(app) as statements:
                answer = upload(client, event, *sent)
            assert answer["results"][0]["outcome"] == "checked_in"
            reads[label] = sum(1 for statement in statements if statement.lstrip().upper().startswith("SELECT"))
        with counted(app) as statements:
            client.get(f"/organizer/events/{event.id}/check-in/list.json")
        reads[f"list {len(batch)}"] = len(statements)
    assert reads["1"] == reads["50"]
    assert reads["1 again"] == reads["50 again"]
    assert reads["list 1"] == reads["list 50"]


def test_the_list_is_forgotten_at_midnight_in_berlin_whatever_the_season() -> None:
    assert end_of_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == datetime(2026, 3, 30, tzinfo=BERLIN)
    assert end_of_day(datetime(2026, 10, 24, 21, 59, tzinfo=UTC)) == datetime(2026, 10, 25, tzinfo=BERLIN)
    assert end_of_day(datetime(2026, 10, 24, 22, 0, tzinfo=UTC)) == datetime(2026, 10, 26, tzinfo=BERLIN)


def test_the_self_service_page_shows_the_ticket_of_a_coming_seat_only(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    mail = registered(client, smtp, submit, event)
    secret, printed = ticket_in(mail)
    manage = link_in(mail, "/me/")
    page = client.get(manage)
    html = page.get_data(as_text=True)
    assert 'aria-label="QR-Code Ihres Tickets für den Einlass"' in html and "<svg" in html
    assert f"nennen Sie den Code: {printed}" in visible_text(page)
    db.session.rollback()
    registration_id = db.session.scalars(select(Registration.id)).one()
    client.post(f"{manage}/registrations/{registration_id}/cancel")
    page = client.get(manage)
    assert "<svg" not in page.get_data(as_text=True) and printed not in visible_text(page)
    cancel_mail = smtp.wait_for(3)[2]
    assert "ticket.png" not in [part.get_filename() for part in cancel_mail.message.iter_attachments()]
    assert secret not in cancel_mail.text_body()


def test_erasing_a_returnee_keeps_the_door_ledger_without_them(
    client: FlaskClient,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
    make_staff: Callable[..., User],
    staff_login: Callable,
) -> None:
    from rueckkehr.returnees.operations import erase_profile

    event = make_event()
    secret, _printed = ticket_in(registered(client, smtp, submit, event))
    staff_login(client, make_staff())
    upload(client, event, scan(secret))
    db.session.rollback()
    profile_id = db.session.scalars(select(Registration.profile_id)).one()
    committed(erase_profile, profile_id)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    [row] = db.session.scalars(select(CheckInScan)).all()
    assert row.registration_id is None and row.event_id == event.id and row.outcome == "checked_in"


def test_the_door_and_what_its_script_says_are_english_for_an_english_reader(
    client: FlaskClient, make_event: Callable[..., Event], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    import json

    from tests.support.german import GermanMessages

    event = make_event()
    staff_login(client, make_staff())
    html = client.get(f"/organizer/events/{event.id}/check-in?lang=en").get_data(as_text=True)
    german = GermanMessages.from_catalog()
    assert german.in_html(html) == []
    texts = json.loads(re.search(r'id="check-in-texts">(.*?)</script>', html).group(1))
    assert german.in_texts(list(texts.values())) == []
    assert texts["already"] == "{name}: already checked in at {time}"
