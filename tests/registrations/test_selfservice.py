"""The self-service link: edit, consents, export and erasure with a mailed code, revoking, resending."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import Consent, ConsentProof, ConsentPurpose, ReturneeProfile
from tests.support.pages import visible_text
from tests.support.registrations import code_from, form_data, link_in
from tests.support.smtp import SMTPServer
from tests.support.waiting import wait_until


def registered(client: FlaskClient, smtp: SMTPServer, event: Event, **overrides: Any) -> str:
    """Register and confirm; return the self-service path from the confirmation mail."""
    before = len(smtp.messages)
    client.post(f"/events/{event.id}/register", data=form_data(**overrides))
    client.post(link_in(smtp.wait_for(before + 1)[before], "/confirm/"))
    return link_in(smtp.wait_for(before + 2)[before + 1], "/me/")


def count(model: type) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_message_after_saving_is_an_alert_of_its_own_not_a_list(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = registered(client, smtp, make_event())
    saved = client.post(f"{manage}/profile", data=form_data(first_name="Janne"), follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "Ihre Angaben sind gespeichert." in visible_text(saved)
    assert '<div class="flash-list">' in html and '<ul class="flash-list">' not in html
    assert re.search(
        r'<div class="kern-alert kern-alert--success" role="status">\s*<div class="kern-alert__header">', html
    )
    english = client.post(f"{manage}/profile?lang=en", data=form_data(first_name="Jana"), follow_redirects=True)
    assert "Your details have been saved." in visible_text(english)
    assert '<li class="kern-alert' not in english.get_data(as_text=True)


def test_edit_profile_keeps_what_was_typed_on_errors(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = registered(client, smtp, make_event())
    page = client.get(f"{manage}/profile").get_data(as_text=True)
    assert 'value="Jana"' in page
    assert 'value="+47 22 12 34 56"' in page  # stored as +4722123456, shown per DIN 5008
    bad = client.post(f"{manage}/profile", data=form_data(first_name="Janina", postal_code="123", country="DE"))
    assert bad.status_code == 422
    assert "Eine deutsche Postleitzahl hat fünf Ziffern." in visible_text(bad)
    assert 'value="Janina"' in bad.get_data(as_text=True)
    good = client.post(f"{manage}/profile", data=form_data(first_name="Janina", postal_code="01968", country="DE"))
    assert good.status_code == 303
    db.session.rollback()
    assert db.session.scalars(select(ReturneeProfile)).one().first_name == "Janina"


def test_consents_are_given_and_withdrawn_on_the_page_and_by_unsubscribe_link(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = registered(client, smtp, make_event(), consent_job_alerts="y")
    client.post(f"{manage}/consents", data={"consent_news": "y"})
    db.session.rollback()
    profile = db.session.scalars(select(ReturneeProfile)).one()
    assert profile.active_consent(ConsentPurpose.JOB_ALERTS) is None
    assert profile.active_consent(ConsentPurpose.NEWS) is not None
    withdrawn = db.session.scalars(select(Consent).where(Consent.purpose == ConsentPurpose.JOB_ALERTS)).one()
    assert withdrawn.withdrawn_at is not None

    from rueckkehr.returnees.links import unsubscribe_url

    path = unsubscribe_url(profile, ConsentPurpose.NEWS).removeprefix("http://rueckkehr.test")
    assert "Einwilligung widerrufen" in visible_text(client.get(path))
    assert profile.active_consent(ConsentPurpose.NEWS) is not None  # the GET changed nothing
    english = visible_text(client.get(f"{path}?lang=en"))
    assert "Unsubscribe" in english and "Log out" not in english  # not the account's log-out button
    done = client.post(path)
    assert "Ihre Einwilligung ist widerrufen" in visible_text(done)
    db.session.rollback()
    assert db.session.scalars(select(ReturneeProfile)).one().active_consent(ConsentPurpose.NEWS) is None


def test_revoking_invalidates_every_link_and_mails_a_new_one(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    manage = registered(client, smtp, make_event())
    assert "Alle Links ungültig gemacht" in visible_text(client.post(f"{manage}/revoke"))
    old = client.get(manage)
    assert old.status_code == 410
    assert "Dieser Link gilt nicht mehr" in visible_text(old)
    fresh = link_in(smtp.wait_for(3)[2], "/me/")
    assert fresh != manage
    assert client.get(fresh).status_code == 200


def test_resend_answers_alike_for_known_and_unknown_addresses(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    registered(client, smtp, make_event())
    known = client.post("/link", data={"email": "jana.mueller@example.org"})
    unknown = client.post("/link", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    normalise = lambda r: visible_text(r).replace("jana.mueller@example.org", "X").replace("nobody@example.org", "X")  # noqa: E731
    assert normalise(known) == normalise(unknown)
    mails = smtp.wait_for(3)
    assert len(mails) == 3
    assert mails[2].envelope_to == ["jana.mueller@example.org"]
    assert mails[2].message["Subject"] == "Ihr Link zu Ihren Anmeldungen"


def test_export_needs_a_fresh_code_and_returns_every_datum(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    manage = registered(client, smtp, event)
    wrong = client.post(f"{manage}/export", data={"code": "000000"})
    assert wrong.status_code == 422
    assert "Der Code ist falsch oder abgelaufen" in visible_text(wrong)
    client.post(f"{manage}/export", data={"step": "request"})
    code = code_from(smtp.wait_for(3)[2])
    readable = client.post(f"{manage}/export", data={"code": code})
    assert readable.status_code == 200 and readable.headers["Content-Type"].startswith("text/html")
    text = visible_text(readable)
    assert "Vollzeit, Schicht/Nacht/Wochenende" in text  # labels, not the stored values
    assert "full_time" not in text
    download = client.post(f"{manage}/export.json")
    assert download.headers["Content-Type"] == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["profile"]["email"] == "jana.mueller@example.org"
    assert data["profile"]["phone"] == "+4722123456"
    assert data["registrations"][0]["event"] == event.title
    assert {c["purpose"] for c in data["consents"]} == {"participation"}
    again = client.post(f"{manage}/export", data={"code": code})
    assert again.status_code == 422  # single use
    assert client.application.test_client().post(f"{manage}/export.json").status_code == 303  # needs the code


def test_erasure_frees_the_seat_removes_mail_history_and_keeps_only_a_proof(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=1)
    manage = registered(client, smtp, event)
    client.post(f"/events/{event.id}/register", data=form_data(email="tom@example.org"))
    client.post(link_in(smtp.wait_for(3)[2], "/confirm/"))
    smtp.wait_for(4)
    client.post(f"{manage}/erase", data={"step": "request"})
    code = code_from(smtp.wait_for(5)[4])
    done = client.post(f"{manage}/erase", data={"code": code})
    assert "Ihre Daten sind gelöscht" in visible_text(done)
    mails = smtp.wait_for(7)[5:]  # the calendar's CANCEL to Jana, and Tom moved up
    assert {mail.envelope_to[0] for mail in mails} == {"jana.mueller@example.org", "tom@example.org"}
    wait_until(lambda: count(OutboxMessage) == 3)  # the CANCEL is forgotten once it went out
    db.session.rollback()
    assert count(ReturneeProfile) == 1  # only Tom's
    assert db.session.scalars(select(Registration)).one().status == RegistrationStatus.CONFIRMED  # Tom moved up
    recipients = {row.recipient for row in db.session.scalars(select(OutboxMessage))}
    assert recipients == {"tom@example.org"}
    proof = db.session.scalars(select(ConsentProof)).one()
    assert proof.purpose == "participation" and len(proof.email_hash) == 64
    assert "jana" not in repr(proof.__dict__).lower()
    assert client.get(manage).status_code == 410
