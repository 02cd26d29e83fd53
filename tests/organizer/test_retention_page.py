"""The admins' retention page tells what the next run erases or blanks, when the coming ones are due, and what
stays; and the run then does exactly that."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.advice.models import AdviceTalk
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.retention import purge_expired_profiles
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text
from tests.support.units import start_writing

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def row(text: str, label: str) -> str:
    return text.split(label, 1)[1][:60].strip()


def test_the_page_shows_what_the_next_run_erases_and_the_run_does_it(
    app: Flask,
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
    town: Callable,
) -> None:
    with time_machine.travel(NOW, tick=False):
        long_ago = make_event(title="Alt", starts_at=NOW - timedelta(days=120))
        lately = make_event(title="Neu", starts_at=NOW - timedelta(days=10))
        due = register(long_ago, "Fällig")
        register(lately, "Später")
        register(long_ago, "Bleibt", employer_pool=True)
        start_writing()
        db.session.add(AdviceTalk(profile_id=due.profile_id, town_id=town("senftenberg").id, outcome="Notiz"))
        db.session.add(
            OutboxMessage(
                kind="test",
                recipient="x@example.org",
                subject="s",
                message_id="<r@test>",
                raw=b"x",
                status=OutboxStatus.SENT,
                profile_id=due.profile_id,
            )
        )
        db.session.commit()
        organizer = app.test_client()
        staff_login(organizer, make_staff())
        assert organizer.get("/organizer/retention").status_code == 404, "admins only"
        staff_login(client, make_staff(role=Role.ADMIN))
        text = visible_text(client.get("/organizer/retention"))
        assert row(text, "Profile von Rückkehrwilligen").startswith("1 ")
        assert row(text, "Anmeldungen").startswith("1 ")
        assert row(text, "Beratungsgespräche mit Notizen").startswith("1 ")
        assert row(text, "E-Mails im Postausgang").startswith("1 ")
        assert "Löschen: Montag, 1. März 2027, 10:00" in text, "due now: with the next run"
        forecast = row(text, "Gelöscht ab Profile")
        assert forecast.startswith("Donnerstag, 20. Mai 2027, 16:00 1 "), (
            "90 days after its event; not the consenting one"
        )
        assert "Die Kennzahlen von 0 Veranstaltungen" in text
        with unit_of_work():
            assert purge_expired_profiles() == 1
        after = visible_text(client.get("/organizer/retention"))
        assert row(after, "Profile von Rückkehrwilligen").startswith("0 ")
        assert "Die Kennzahlen von 1 Veranstaltung," in after, "the erased one's event keeps its figures"
        assert "1 Einwilligungsnachweis" in after
