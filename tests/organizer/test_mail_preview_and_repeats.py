"""A mail to the attendees goes out only as it was previewed, and only once: a send without the preview of exactly
this text (subject, German and English text, audience) shows the preview instead; a double click, a second tab or
two sends at the same moment queue one mailing; sending the same text again later needs an explicit yes."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.mailings import EventMailing, send_mailing_batches
from tests.organizer.test_registrations import fill
from tests.support.pages import form_value, visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed
from tests.support.waiting import wait_until

FORM = {
    "audience": "all",
    "subject_de": "Parken am Rathaus",
    "body_de": "Bitte parken Sie am Markt.",
    "subject_en": "Parking",
    "body_en": "Please park at the market square.",
}
ATTENDEES = {"albrecht@example.org", "bauer@example.org", "conrad@example.org"}  # confirmed or confirmed waiting


def token_of(response: Any) -> str:
    """The preview's token in the form the page shows ("" when there is none)."""
    return form_value(response, "preview_token")


def mailings() -> list[EventMailing]:
    db.session.rollback()
    return list(db.session.scalars(select(EventMailing).order_by(EventMailing.id)))


def attendee_mails(smtp: SMTPServer, expected: int) -> Counter[str]:
    """Every queued mailing sent in full; how many attendee mails each address received (none still on the way)."""
    while committed(send_mailing_batches):
        pass
    smtp.wait_for(expected)
    wait_until(
        lambda: (
            not db.session.scalar(
                select(func.count()).where(OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING]))
            )
        )
    )
    return Counter(mail.envelope_to[0] for mail in smtp.messages if mail.envelope_to[0] in ATTENDEES)


def setup(make_event: Callable, town: Callable, make_staff: Callable[..., User], staff_login: Callable, client: Any):
    event = make_event()
    fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    organizer = make_staff(email="orga@senftenberg.example")
    staff_login(client, organizer)
    return event, organizer


def test_a_send_without_the_preview_of_exactly_this_text_shows_the_preview_instead(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event, _organizer = setup(make_event, town, make_staff, staff_login, client)
    path = f"/organizer/events/{event.id}/mail"

    blind = client.post(path, data={**FORM, "step": "send"})  # no preview, no test mail
    text = visible_text(blind)
    assert blind.status_code == 422
    assert "Bitte sehen Sie sich zuerst die Vorschau an" in text
    assert "Guten Tag Vorname Nachname" in text and "Please park at the market square." in text  # the preview
    assert "Jetzt senden" in text and "Bisherige E-Mails" not in text
    assert mailings() == []

    for changed in (
        {"body_de": "Bitte parken Sie hinter der Kirche."},
        {"subject_en": "Car park"},
        {"audience": "waiting"},
    ):
        token = token_of(client.post(path, data={**FORM, "step": "preview"}))
        assert token
        edited = client.post(path, data={**FORM, **changed, "step": "send", "preview_token": token})
        text = visible_text(edited)
        assert edited.status_code == 422, changed
        assert "seit der Vorschau geändert" in text, changed
        assert token_of(edited) not in ("", token), "the new preview comes with its own token"
        assert mailings() == [], changed
    assert "Bitte parken Sie hinter der Kirche." in visible_text(
        client.post(path, data={**FORM, "body_de": "Bitte parken Sie hinter der Kirche.", "step": "send"})
    )

    elsewhere = make_event(title="Ein anderer Tag")  # a preview of another event's mail does not send this one
    foreign = token_of(client.post(f"/organizer/events/{elsewhere.id}/mail", data={**FORM, "step": "preview"}))
    assert client.post(path, data={**FORM, "step": "send", "preview_token": foreign}).status_code == 422
    assert mailings() == []

    token = token_of(client.post(path, data={**FORM, "step": "test"}))  # the test mail shows the preview too
    smtp.wait_for(2)
    sent = client.post(path, data={**FORM, "step": "send", "preview_token": token}, follow_redirects=True)
    assert "Die E-Mail geht an 3 Personen" in visible_text(sent)
    assert [mailing.subject_de for mailing in mailings()] == ["Parken am Rathaus"]
    assert attendee_mails(smtp, 5) == {address: 1 for address in ATTENDEES}


def test_a_double_submit_or_a_second_tab_sends_once_and_the_same_text_again_needs_a_yes(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event, _organizer = setup(make_event, town, make_staff, staff_login, client)
    path = f"/organizer/events/{event.id}/mail"
    token = token_of(client.post(path, data={**FORM, "step": "preview"}))
    other_tab = token_of(client.post(path, data={**FORM, "step": "preview"}))

    first = client.post(path, data={**FORM, "step": "send", "preview_token": token}, follow_redirects=True)
    assert "Die E-Mail geht an 3 Personen" in visible_text(first)
    for again in (token, token, other_tab):  # the double click, a reload of the form, the second tab
        page = client.post(path, data={**FORM, "step": "send", "preview_token": again}, follow_redirects=True)
        text = visible_text(page)
        assert "Diese E-Mail ist schon unterwegs" in text and "nicht noch einmal" in text
        assert text.count("Parken am Rathaus: 0 von 3 verschickt") == 1, text
    assert len(mailings()) == 1
    assert attendee_mails(smtp, 3) == {address: 1 for address in ATTENDEES}

    # Later, the same text once more: the preview says it went out already and asks for a yes.
    preview = client.post(path, data={**FORM, "step": "preview"})
    text = visible_text(preview)
    assert "Genau diese E-Mail ging schon" in text and "3 von 3 verschickt" in text
    token = token_of(preview)
    unconfirmed = client.post(path, data={**FORM, "step": "send", "preview_token": token})
    assert unconfirmed.status_code == 422
    assert "Bitte bestätigen Sie, dass alle diese E-Mail noch einmal erhalten sollen." in visible_text(unconfirmed)
    assert len(mailings()) == 1
    confirmed = {**FORM, "step": "send", "preview_token": token, "send_again": "y"}
    assert "Die E-Mail geht an 3 Personen" in visible_text(client.post(path, data=confirmed, follow_redirects=True))
    assert "Diese E-Mail ist schon unterwegs" in visible_text(client.post(path, data=confirmed, follow_redirects=True))
    first_mailing, repeated = mailings()
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.verb == "event_mailing.created", AuditEntry.object_id == repeated.id)
    )
    assert entry.changes["repeat_of"] == first_mailing.id
    smtp.clear()
    assert attendee_mails(smtp, 3) == {address: 1 for address in ATTENDEES}

    # The same text to another audience is another mail.
    token = token_of(client.post(path, data={**FORM, "audience": "waiting", "step": "preview"}))
    waiting = {**FORM, "audience": "waiting", "step": "send", "preview_token": token}
    assert "Die E-Mail geht an 1 Personen" in visible_text(client.post(path, data=waiting, follow_redirects=True))


def test_two_identical_sends_at_the_same_moment_go_out_once(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event, organizer = setup(make_event, town, make_staff, staff_login, client)
    second = app.test_client()
    staff_login(second, organizer)
    path = f"/organizer/events/{event.id}/mail"
    data = {**FORM, "step": "send", "preview_token": token_of(client.post(path, data={**FORM, "step": "preview"}))}
    start = threading.Barrier(2)
    main = threading.get_ident()

    def linger(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        """After a send looked for an identical mailing, give the other one time to look as well."""
        if threading.get_ident() != main and "FROM event_mailings" in statement:
            time.sleep(0.5)

    def send(browser: FlaskClient) -> str:
        start.wait()
        return visible_text(browser.post(path, data=data, follow_redirects=True))

    answers: list[str] = []
    sa_event.listen(db.engine, "after_cursor_execute", linger)
    try:
        threads = [threading.Thread(target=lambda b=browser: answers.append(send(b))) for browser in (client, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sa_event.remove(db.engine, "after_cursor_execute", linger)
    assert len(answers) == 2
    assert sorted("Die E-Mail geht an 3 Personen" in answer for answer in answers) == [False, True], answers
    assert any("Diese E-Mail ist schon unterwegs" in answer for answer in answers), answers
    assert len(mailings()) == 1
    assert attendee_mails(smtp, 3) == {address: 1 for address in ATTENDEES}


def error_beside(response: Any, field: str) -> str:
    """The message shown beside one field ("" when there is none)."""
    found = re.search(
        rf'<p class="kern-error" id="{field}-error">.*?<span class="kern-body">(.*?)</span>',
        response.get_data(True),
        re.S,
    )
    return found.group(1) if found else ""


def test_half_an_english_version_is_an_error_beside_the_missing_half(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
) -> None:
    event, _organizer = setup(make_event, town, make_staff, staff_login, client)
    path = f"/organizer/events/{event.id}/mail"

    subject_only = client.post(path, data={**FORM, "body_en": "", "step": "preview"})
    assert subject_only.status_code == 422
    assert error_beside(subject_only, "body_en") == "Bitte geben Sie auch einen englischen Text ein."
    assert error_beside(subject_only, "subject_en") == ""
    assert form_value(subject_only, "subject_en") == "Parking", "what was typed stays"
    assert "Jetzt senden" not in visible_text(subject_only), "no preview that leaves the English out"

    text_only = client.post(f"{path}?lang=en", data={**FORM, "subject_en": "", "step": "send"})
    assert text_only.status_code == 422
    assert error_beside(text_only, "subject_en") == "Please also enter an English subject."
    assert "Please park at the market square.</textarea>" in text_only.get_data(as_text=True)
    english_subject_only = client.post(f"{path}?lang=en", data={**FORM, "body_en": "", "step": "test"})
    assert error_beside(english_subject_only, "body_en") == "Please also enter an English text."
    assert mailings() == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0, "no test mail either"
