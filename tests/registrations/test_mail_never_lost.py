"""An accepted registration is committed even when the mail server is down; its mail goes out later, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from rueckkehr.dates import utcnow
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.delivery import deliver_due
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.models import Registration, RegistrationStatus
from tests.support.registrations import form_data
from tests.support.smtp import SMTPServer, free_port
from tests.support.waiting import wait_until


def test_registrations_succeed_without_smtp_and_flask_outbox_send_delivers_once(
    make_app: Callable[..., Flask], make_event: Callable[..., Event], smtp: SMTPServer, runner: FlaskCliRunner
) -> None:
    down = make_app(MAIL_PORT=free_port())  # nothing listens there
    event_id = make_event().id
    client = down.test_client()
    for number in range(3):
        response = client.post(f"/events/{event_id}/register", data=form_data(email=f"p{number}@example.org"))
        assert response.status_code == 303
    db.session.rollback()
    assert len(db.session.scalars(select(Registration)).all()) == 3
    rows = wait_until(
        lambda: (found := db.session.scalars(select(OutboxMessage)).all()) and all(r.attempts for r in found) and found
    )
    assert [(row.status, row.attempts, row.last_error is not None) for row in rows] == [
        (OutboxStatus.QUEUED, 1, True)
    ] * 3
    assert smtp.messages == []

    # The server is back (the test app's normal settings); retries wait for their backoff, then go out once.
    assert "sent 0" in runner.invoke(args=["outbox", "send"]).output
    for row in rows:
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 3" in result.output
    assert sorted(mail.envelope_to[0] for mail in smtp.wait_for(3)) == [f"p{n}@example.org" for n in range(3)]
    assert "sent 0" in runner.invoke(args=["outbox", "send"]).output
    status = runner.invoke(args=["outbox", "status"]).output
    assert "sent     3" in status and "queued   0" in status
    assert len(smtp.messages) == 3


def test_a_mail_in_flight_is_not_sent_twice(app: Flask, make_event: Callable[..., Event], smtp: SMTPServer) -> None:
    from rueckkehr.mail.outbox import queue_mail

    event = make_event()
    row = queue_mail(
        kind="test", recipient="a@example.org", template="registration_cancelled", language="de", answer=True,
        context={"profile": type("P", (), {"full_name": "A B"})(), "event": event, "registration": None,
                 "was_waiting": False},
    )  # fmt: skip
    db.session.commit()
    row.status = OutboxStatus.SENDING
    row.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert deliver_due()["sent"] == 0  # another worker holds it
    row.locked_until = utcnow() - timedelta(seconds=1)  # that worker died: its lease ran out
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert len(smtp.wait_for(1)) == 1


def test_failed_mails_give_up_after_the_last_attempt(
    make_app: Callable[..., Flask], make_event: Callable[..., Event]
) -> None:
    app = make_app(MAIL_PORT=free_port())
    event_id = make_event().id
    app.test_client().post(f"/events/{event_id}/register", data=form_data())
    wait_until(lambda: db.session.scalars(select(OutboxMessage.attempts)).first())
    with app.app_context():
        for _ in range(10):
            for row in db.session.scalars(select(OutboxMessage)):
                row.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            deliver_due()
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.status == OutboxStatus.FAILED
        assert row.attempts == 7
        assert db.session.scalars(select(Registration)).one().status == RegistrationStatus.UNCONFIRMED


def test_flask_outbox_send_delivers_every_due_mail_not_only_the_first_two_hundred(
    app: Flask, make_event: Callable[..., Event], smtp: SMTPServer, runner: FlaskCliRunner
) -> None:
    from rueckkehr.mail.outbox import queue_mail

    event = make_event()
    for number in range(230):  # more than one round of due_ids (200)
        queue_mail(
            kind="test", recipient=f"p{number}@example.org", template="registration_cancelled", language="de",
            answer=True, context={"profile": type("P", (), {"full_name": "A B"})(), "event": event,
                                  "registration": None, "was_waiting": False},
        )  # fmt: skip
    db.session.commit()
    assert "sent 230," in runner.invoke(args=["outbox", "send"]).output
    assert len(smtp.wait_for(230)) == 230
    assert "queued   0" in runner.invoke(args=["outbox", "status"]).output
