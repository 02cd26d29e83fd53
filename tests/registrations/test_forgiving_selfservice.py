"""Self-service that forgives: cancelling asks once and says what happens to the seat; companions can change
(more only as far as seats allow, under the event's lock); an erasure takes the day out of the calendar before the
data goes; the export reads as German or English with local times beside the JSON."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.audit.models import AuditEntry
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.operations import erase_profile
from tests.support.browser import LiveServer
from tests.support.calendars import invite_of as calendar_of
from tests.support.pages import visible_text
from tests.support.registrations import code_from, form_data, link_in
from tests.support.smtp import ReceivedMail, SMTPServer
from tests.support.units import committed
from tests.support.waiting import wait_until


def registered(client: FlaskClient, smtp: SMTPServer, event: Event, **overrides: Any) -> tuple[str, int]:
    """Register and confirm through the form and the mail; return the self-service path and the registration id."""
    before = len(smtp.messages)
    assert client.post(f"/events/{event.id}/register", data=form_data(**overrides)).status_code == 303
    client.post(link_in(smtp.wait_for(before + 1)[before], "/confirm/"))
    manage = link_in(smtp.wait_for(before + 2)[before + 1], "/me/").split("?")[0]  # without its ?lang=
    db.session.rollback()
    registration_id = db.session.scalars(select(Registration.id).order_by(Registration.id.desc())).first()
    return manage, registration_id


def current(registration_id: int) -> Registration:
    db.session.rollback()
    return db.session.get(Registration, registration_id)


def verbs() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry.verb).order_by(AuditEntry.id)))


def test_cancelling_asks_once_and_says_what_happens_to_the_seat(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=3)
    manage, registration_id = registered(client, smtp, event, companions="2")
    overview = client.get(manage).get_data(as_text=True)
    ask = f"{manage}/registrations/{registration_id}/cancel"
    assert f'href="{ask}"' in overview  # a link to the question, not a button that cancels

    question = client.get(ask)
    text = visible_text(question)
    assert "Anmeldung stornieren?" in text
    assert "Ihr Platz und die Plätze Ihrer 2 Begleitpersonen werden frei." in text
    assert "Er geht an die nächste Person auf der Warteliste" in text
    assert "die Absage darin nimmt den Termin aus Ihrem Kalender" in text
    assert "Ja, Anmeldung stornieren" in text and "Nein, zurück" in text
    assert current(registration_id).status == RegistrationStatus.CONFIRMED  # asking changed nothing

    done = client.post(ask)
    assert done.status_code == 303
    assert current(registration_id).status == RegistrationStatus.CANCELLED
    assert "ist storniert" in visible_text(client.get(done.headers["Location"]))
    assert "registration.cancelled" in verbs()
    assert "Diese Anmeldung ist storniert." in visible_text(client.get(ask))  # asked again: nothing to do
    told = smtp.wait_for(3)[-1].text_body()  # the request, the confirmation, the cancellation
    assert "Ihr Platz ist wieder frei: für die nächste Person auf der Warteliste oder für alle" in told


def test_the_calendars_link_asks_too_and_a_waiting_party_hears_what_it_gives_up(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=1)
    registered(client, smtp, event, email="first@example.org")
    manage, waiting_id = registered(client, smtp, event, email="second@example.org")
    question = visible_text(client.get(f"{manage}/registrations/{waiting_id}/cancel"))
    assert "Warteliste verlassen?" in question
    assert "Sie geben Ihren Platz 1 auf der Warteliste auf." in question

    invite = [mail for mail in smtp.messages if mail.envelope_to == ["first@example.org"]][-1]
    description = str(calendar_of(invite, "REQUEST").events()[0]["DESCRIPTION"])
    calendar_link = description.split("http://rueckkehr.test", 1)[1].split()[0]
    page = client.get(calendar_link).get_data(as_text=True)
    assert f'href="{calendar_link}/cancel"' in page
    assert "Anmeldung stornieren?" in visible_text(client.get(f"{calendar_link}/cancel"))
    first = db.session.scalars(select(Registration).order_by(Registration.id)).first()
    assert current(first.id).status == RegistrationStatus.CONFIRMED
    client.post(f"{calendar_link}/cancel")
    assert current(first.id).status == RegistrationStatus.CANCELLED
    assert current(waiting_id).status == RegistrationStatus.CONFIRMED  # the waiting party moved up


def test_companions_change_as_far_as_seats_allow_and_otherwise_the_registration_keeps_its_size(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=4)
    manage, jana = registered(client, smtp, event, companions="0")
    page = f"{manage}/registrations/{jana}/companions"
    assert "Zurzeit sind noch 3 weitere Plätze frei." in visible_text(client.get(page))

    assert client.post(page, data={"companions": "2"}).status_code == 303
    assert current(jana).companions == 2
    too_many = client.post(page, data={"companions": "4"})
    assert too_many.status_code == 422
    assert "Es ist nur noch 1 Platz frei. Ihre Anmeldung bleibt, wie sie ist." in visible_text(too_many)
    assert current(jana).companions == 2  # kept its size

    # Another party waits; fewer companions give it the seats.
    _tom_manage, tom = registered(client, smtp, event, email="tom@example.org", companions="1")
    assert current(tom).status == RegistrationStatus.WAITING
    assert client.post(page, data={"companions": "0"}).status_code == 303
    assert current(tom).status == RegistrationStatus.CONFIRMED
    promoted = wait_until(lambda: [m for m in smtp.messages if "Ein Platz ist frei geworden" in m.message["Subject"]])
    assert promoted[0].envelope_to == ["tom@example.org"]
    db.session.rollback()
    changes = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "registration.companions_changed"))
    assert [(e.changes["before"], e.changes["companions"]) for e in changes] == [(0, 2), (2, 0)]


def test_with_no_seat_left_the_companions_page_says_so_in_words_not_with_a_zero(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=2)
    manage, jana = registered(client, smtp, event, companions="0")
    page = f"{manage}/registrations/{jana}/companions"
    assert "Sie sind ohne Begleitperson angemeldet. Zurzeit ist noch 1 weiterer Platz frei." in visible_text(
        client.get(page)
    )
    registered(client, smtp, event, email="tom@example.org", companions="0")  # the last seat

    full = visible_text(client.get(page))
    assert "Zurzeit ist kein weiterer Platz frei: Mehr Begleitpersonen können Sie nicht mitbringen." in full
    refused = client.post(page, data={"companions": "1"})
    assert refused.status_code == 422
    assert (
        "Es ist kein Platz mehr frei, Sie können also keine weiteren Begleitpersonen mitbringen. "
        "Ihre Anmeldung bleibt, wie sie ist."
    ) in visible_text(refused)
    english = visible_text(client.post(f"{page}?lang=en", data={"companions": "1"}))
    assert "You are registered without companions." in english
    assert "At the moment no more seats are free, so you cannot bring more companions." in english
    assert "No more seats are free, so you cannot bring more companions. Your registration stays as it is." in english
    shown = " ".join((full, visible_text(refused), english))
    assert not re.search(r"\b0 (weitere|Plätze|Begleit|more|seats|companions)", shown), "no sentence about zero seats"
    assert current(jana).companions == 0


def test_a_waiting_party_may_grow_and_nobody_grows_after_the_start(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=0)
    manage, waiting = registered(client, smtp, event)
    assert client.post(f"{manage}/registrations/{waiting}/companions", data={"companions": "3"}).status_code == 303
    assert current(waiting).companions == 3
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        late = client.post(f"{manage}/registrations/{waiting}/companions", data={"companions": "1"})
    assert late.status_code == 422 and current(waiting).companions == 3


def test_two_parties_asking_for_the_last_seat_at_once_get_it_once(
    app: Flask, live_server: LiveServer, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=4)
    client = app.test_client()
    first, first_id = registered(client, smtp, event, email="a@example.org")
    second, second_id = registered(client, smtp, event, email="b@example.org")
    start = threading.Barrier(2)

    def grow(path: str, registration_id: int) -> int:
        request = Request(
            f"{live_server.url}{path}/registrations/{registration_id}/companions",
            data=urlencode({"companions": "2"}).encode(),
        )
        start.wait()
        try:
            with urlopen(request, timeout=60) as response:
                return response.status
        except Exception as error:  # a 422 arrives as an HTTPError
            return int(getattr(error, "code", 0))

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(grow, (first, second), (first_id, second_id)))
    assert statuses == [200, 422]  # one followed the redirect to the overview, one kept its size
    assert current(first_id).companions + current(second_id).companions == 2  # two seats were free


def cancels(smtp: SMTPServer, address: str) -> list[ReceivedMail]:
    return [mail for mail in smtp.messages if mail.envelope_to == [address] and "CANCEL" in mail.message.as_string()]


def test_erasure_sends_the_calendars_cancel_before_the_data_goes_and_then_forgets_it(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=5)
    full = make_event(title="Ausgebucht", capacity=0)
    manage, registration_id = registered(client, smtp, event)
    registered(client, smtp, full)  # a waiting place holds no calendar entry: no CANCEL for it
    [invite] = calendar_of(smtp.messages[1], "REQUEST").events()

    client.post(f"{manage}/erase", data={"step": "request"})
    code = code_from(wait_until(lambda: [m for m in smtp.messages if "Code" in m.message["Subject"]])[0])
    assert "Ihre Daten sind gelöscht" in visible_text(client.post(f"{manage}/erase", data={"code": code}))

    [mail] = wait_until(lambda: cancels(smtp, "jana.mueller@example.org"))
    [cancelled] = calendar_of(mail, "CANCEL").events()
    assert cancelled["UID"] == invite["UID"] and cancelled["SEQUENCE"] > invite["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert "/me/" not in mail.text_body() and "/registration/" not in mail.message.as_string()  # links died
    assert mail.message["Subject"] == "Abgemeldet: Rückkehrertag Senftenberg"
    wait_until(lambda: db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0)  # forgotten
    assert current(registration_id) is None


def test_an_erasure_after_the_event_or_by_the_retention_period_sends_no_cancel(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    registered(client, smtp, event)
    profile_id = current(db.session.scalars(select(Registration.id)).first()).profile_id
    with time_machine.travel(event.ends_at + timedelta(days=91), tick=False):
        committed(erase_profile, profile_id, reason="retention")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert cancels(smtp, "jana.mueller@example.org") == []


def test_the_export_reads_as_words_with_local_times_in_the_returnees_language_beside_the_json(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    start = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=True):
        event = make_event(starts_at=start, ends_at=start + timedelta(hours=5))
        client.post("/sprache", data={"lang": "en", "next": "/"})
        manage, _registration_id = registered(client, smtp, event, companions="1", earliest_return="2027-03")
        client.post(f"{manage}/export", data={"step": "request"})
        mail = wait_until(lambda: [m for m in smtp.messages if "code" in m.message["Subject"]])[0]
        code = next(word for word in mail.text_body().split() if word.isdigit() and len(word) == 6)
        page = client.post(f"{manage}/export", data={"code": code})
        download = client.post(f"{manage}/export.json")
    text = visible_text(page)
    for expected in (
        "Your data", "Your details", "First name Jana", "Country Norway", "Occupational field 81 Medical health",
        "Full-time, Shifts, nights, weekends", "Earliest possible return March 2027", "Housing and building plots",
        "Your registrations", "Tuesday 29 December 2026, 10:00–15:00", "Registered", "1 companion",
        "Your consents", "Taking part in events", "text version",
    ):  # fmt: skip
        assert expected in text, expected
    assert "full_time" not in text and "T09:00" not in text and "+00:00" not in text
    assert "Download as a JSON file" in text
    data = json.loads(download.get_data(as_text=True))
    assert data["profile"]["working_times"] == ["full_time", "shifts"]  # machine-readable: the stored values
    assert verbs().count("returnee_profile.exported") == 2  # the page, then the file


def test_odd_ids_and_tokens_on_the_new_pages_are_a_404_or_the_invalid_link_page(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], login: Callable, make_employer: Any
) -> None:
    manage, _registration_id = registered(client, smtp, make_event())
    huge = "9" * 30
    for path in (f"{manage}/registrations/{huge}/cancel", f"{manage}/registrations/{huge}/companions"):
        assert client.get(path).status_code == 404
        assert client.post(path, data={"companions": "1"}).status_code == 404
    for token in ("nonsense", "x" * 3000):
        assert client.get(f"/registration/{token}/cancel").status_code == 410
        assert client.post(f"/me/{token}/export.json").status_code == 410
    assert client.get("/registration/a%00b/cancel").status_code == 404  # a NUL byte reaches no page
    assert client.post("/me/a%00b/export.json").status_code == 404
    employer = make_employer()
    login(client, employer.users[0].email)
    assert client.post(f"/employer/vacancies/{huge}/delete").status_code == 404


def test_the_sent_page_says_what_the_waiting_list_means(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    full = make_event(capacity=0)
    sent = client.post(f"/events/{full.id}/register", data=form_data(), follow_redirects=True)
    text = visible_text(sent)
    assert "Sie stehen auf der Warteliste, Platz 1." in text
    assert "Die Warteliste heißt: Sie haben noch keinen Platz." in text
    assert "der Platz geht an andere" not in text  # that is what a seat held for 48 hours means, not a waiting place
