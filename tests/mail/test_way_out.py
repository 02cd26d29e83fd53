"""Every mail that does not answer the recipient's own action carries a way to manage or stop what they get:
the returnee's self-service link, the company's account, or a one-click unsubscribe; the privacy notice says so."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts import notifications as account_mails
from rueckkehr.employers import notifications as employer_mails
from rueckkehr.employers.models import Employer, StandBooking
from rueckkehr.events.calendar import change_note
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.mail.outbox import MailWithoutWayOut, queue_mail
from rueckkehr.matching import notifications as matching_mails
from rueckkehr.registrations import notifications as registration_mails
from rueckkehr.returnees import notifications as returnee_mails
from rueckkehr.transactions import unit_of_work
from tests.support.mails import hostile_world
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer

# Mails that answer what the recipient did just now (or invite someone without an account): no footer link needed.
ANSWERS = {
    "registration.confirm_request",
    "registration.already_registered",
    "registration.erased",  # the last mail of an erasure: the links died with the data
    "profile.manage_link",
    "profile.action_code",
    "employer.signup_known",
    "employer.verify",
    "employer.invite",
    "employer.invite_known",
    "account.reset",
}


def sends(world: dict[str, Any]) -> list[Callable[[], None]]:
    """Every mail the app sends about ``world``, answers and the rest."""
    registration, waiting, profile = world["registration"], world["waiting"], world["profile"]
    employer, user = world["employer"], world["user"]
    stand = db.session.scalars(select(StandBooking).where(StandBooking.employer_id == employer.id)).one()
    event = registration.event
    return [
        lambda: registration_mails.confirm_request(waiting, "de"),
        lambda: registration_mails.already_registered(registration),
        lambda: registration_mails.confirmed(registration),
        lambda: registration_mails.waiting_confirmed(waiting, 1),
        lambda: registration_mails.promoted(registration),
        lambda: registration_mails.cancelled(waiting, was_waiting=True),
        lambda: registration_mails.cancelled(registration, was_waiting=False, with_invite=True),
        lambda: registration_mails.event_changed(
            registration, lambda: change_note(event, old_starts_at=None, old_ends_at=None, old_location="Halle")
        ),
        lambda: registration_mails.event_cancelled(registration, with_invite=True),
        lambda: registration_mails.event_cancelled(waiting, with_invite=False),
        lambda: registration_mails.reminder(registration),
        lambda: registration_mails.waiting_cutoff(waiting),
        lambda: returnee_mails.manage_link(profile),
        lambda: returnee_mails.action_code(profile, "123456", "erase"),
        lambda: returnee_mails.code_guessed(profile, "export"),
        lambda: returnee_mails.reconfirm_consents(profile),
        lambda: returnee_mails.news_of_events(profile, [event]),
        lambda: employer_mails.signup_known(user, "de"),
        lambda: employer_mails.verify_address(user, employer, "token", "en"),
        lambda: employer_mails.approved(user, employer),
        lambda: employer_mails.invitation("neu@example.org", employer, user, "token", "de"),
        lambda: employer_mails.invitation_for_known_address("neu@example.org", employer, user, "de"),
        lambda: employer_mails.stand_confirmed(user, stand),
        lambda: employer_mails.changes_reviewed(user, employer, approved=False, reason="Logo unscharf"),
        lambda: employer_mails.declined(user, employer, "stand", "Stand", "Kein Platz mehr"),
        lambda: matching_mails.pool_digest(user, employer, []),
        lambda: account_mails.reset_link(user, "token", 1, "de"),
        lambda: registration_mails.erased(registration),
    ]


def test_every_mail_that_is_not_an_answer_carries_the_self_service_account_or_unsubscribe_link(
    smtp: SMTPServer, make_event: Callable[..., Event], make_employer: Callable[..., Employer]
) -> None:
    world = hostile_world("Eva Muster", make_event, make_employer)
    queued = sends(world)
    with unit_of_work():
        for send in queued:
            send()
        kinds = dict(db.session.execute(select(OutboxMessage.message_id, OutboxMessage.kind)).all())  # before sending
    mails = smtp.wait_for(len(queued))
    assert len(mails) == len(queued)
    seen = set()
    for mail in mails:
        kind = kinds[str(mail.message["Message-ID"])]
        seen.add(kind)
        if kind in ANSWERS:
            continue
        text = mail.message.get_body(preferencelist=("plain",)).get_content()
        html = mail.message.get_body(preferencelist=("html",)).get_content()
        way_out = re.search(r"https?://\S+/(me/[^\s/]+|employer)\s", text)
        assert way_out or mail.message["List-Unsubscribe"], (kind, text)
        if way_out:
            assert way_out.group(0).strip() in html, kind  # the HTML part links the same page
    assert seen > ANSWERS  # the answers and the rest were all delivered


def test_a_mail_that_is_no_answer_and_has_no_way_out_is_refused(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(MailWithoutWayOut):
        queue_mail(kind="test.unprompted", recipient="ziel@example.org", template="profile_manage_link",
                   language="de", context={})  # fmt: skip


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_privacy_notice_says_which_mails_carry_which_link(client: FlaskClient, language: str) -> None:
    text = visible_text(client.get(f"/datenschutz?lang={language}"))
    if language == "de":
        assert "Abmeldelink in jeder Nachricht" not in text
        assert "Jede E-Mail, die nicht unmittelbar auf Ihre eigene Aktion antwortet" in text
        assert "90 Tage nach dem Rückkehrertag" in text
    else:
        assert "unsubscribe link in every message" not in text
        assert "Every e-mail that is not a direct answer to something you just did" in text
        assert "90 days after the returnee day" in text
