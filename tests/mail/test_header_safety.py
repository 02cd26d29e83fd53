"""Whatever a user typed never reaches a mail header as anything but text: every mail the app sends, with names,
titles and company names made of encoded words, line breaks and very long strings, arrives with exactly the
headers the app set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts import notifications as account_mails
from rueckkehr.employers import notifications as employer_mails
from rueckkehr.employers.models import Employer, StandBooking
from rueckkehr.events.calendar import change_note
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.headers import UnsafeMailError, header_text
from rueckkehr.mail.outbox import Recipient
from rueckkehr.registrations import notifications as registration_mails
from rueckkehr.returnees import notifications as returnee_mails
from rueckkehr.transactions import unit_of_work
from tests.support.mails import compose, hostile_world
from tests.support.registrations import form_data
from tests.support.smtp import ReceivedMail, SMTPServer

HOSTILE = [
    "Max =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?=",
    "=?utf-8?q?=0D=0A=0D=0AKonto_gesperrt!_Bitte_hier_anmelden:_http://evil.example/login?=",
    "=?UTF-8?B?DQpCY2M6IGV2aWxAZXZpbC5leGFtcGxl?=",  # "\r\nBcc: evil@evil.example", base64
    "Eva\r\nBcc: evil@evil.example",
    "Eva\nX-Injected: yes",
    "Nel\x85Bcc: evil@evil.example",
    "Zeile\u2028Trenner\u2029Absatz",
    "Ö" * 3000 + " =?utf-8?q?=0D=0ABcc:_evil@evil.example?=",
]
HEADERS = {"subject", "from", "to", "date", "message-id", "auto-submitted", "content-language", "mime-version",
           "content-type"}  # fmt: skip


def assert_only_our_headers(mail: ReceivedMail, *extra: str) -> None:
    """The mail has exactly the headers the app sets, each once, none with a line break, and a real body."""
    names = [name.lower() for name in mail.message]
    assert sorted(names) == sorted(HEADERS | set(extra)), names
    for name in names:
        value = str(mail.message[name])
        assert "\r" not in value and "\n" not in value, (name, value)
    for name in ("from", "to", *(["reply-to"] if "reply-to" in names else [])):
        assert all("evil" not in address.addr_spec for address in mail.message[name].addresses), name
    assert mail.message.is_multipart()  # the body was not cut off into the attacker's text
    assert mail.message.get_body(preferencelist=("plain",)).get_content().startswith(("Guten Tag", "Hello"))


def every_mail(world: dict[str, Any]) -> int:
    """Queue every mail the app sends, about the hostile world; return how many."""
    registration, waiting, profile = world["registration"], world["waiting"], world["profile"]
    employer, user = world["employer"], world["user"]
    stand = db.session.scalars(select(StandBooking).where(StandBooking.employer_id == employer.id)).one()
    event = registration.event
    sends: list[Callable[[], None]] = [
        lambda: registration_mails.confirm_request(waiting, "de"),
        lambda: registration_mails.already_registered(registration),
        lambda: registration_mails.confirmed(registration),
        lambda: registration_mails.waiting_confirmed(waiting, 1),
        lambda: registration_mails.promoted(registration),
        lambda: registration_mails.cancelled(waiting, was_waiting=True),
        lambda: registration_mails.cancelled(registration, was_waiting=False, with_invite=True),
        lambda: registration_mails.event_changed(
            registration, lambda: change_note(event, old_starts_at=None, old_ends_at=None, old_location=event.title)
        ),
        lambda: registration_mails.event_cancelled(registration, with_invite=True),
        lambda: registration_mails.event_cancelled(waiting, with_invite=False),
        lambda: registration_mails.reminder(registration),
        lambda: registration_mails.waiting_cutoff(waiting),
        lambda: returnee_mails.manage_link(profile),
        lambda: returnee_mails.action_code(profile, "123456", "erase"),
        lambda: returnee_mails.code_guessed(profile, "export"),
        lambda: returnee_mails.reconfirm_consents(profile),
        lambda: employer_mails.signup_known(user, "de"),
        lambda: employer_mails.verify_address(user, employer, "token", "en"),
        lambda: employer_mails.approved(user, employer),
        lambda: employer_mails.invitation("neu@example.org", employer, user, "token", "de"),
        lambda: employer_mails.invitation_for_known_address("neu@example.org", employer, user, "de"),
        lambda: employer_mails.stand_confirmed(user, stand),
        lambda: account_mails.reset_link(user, "token", 1, "de"),
    ]
    with unit_of_work():
        for send in sends:
            send()
    return len(sends)


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_every_mail_has_exactly_our_headers_whatever_the_names(
    name: str,
    smtp: SMTPServer,
    make_event: Callable[..., Event],
    make_employer: Callable[..., Employer],
) -> None:
    count = every_mail(hostile_world(name, make_event, make_employer))
    mails = smtp.wait_for(count)
    assert len(mails) == count
    for mail in mails:
        assert_only_our_headers(mail)
        assert all(recipient.endswith("example.org") or "betrieb" in recipient for recipient in mail.envelope_to)


def test_the_attacks_from_the_report_through_the_registration_form(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    for number, first_name in enumerate(HOSTILE[:2]):
        response = client.post(
            f"/events/{event.id}/register", data=form_data(first_name=first_name, email=f"opfer{number}@example.org")
        )
        assert response.status_code == 303
    for mail in smtp.wait_for(2):
        assert_only_our_headers(mail)
        assert "Reply-To" not in mail.message
        assert mail.message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
        assert "Bitte bestätigen Sie Ihre Anmeldung" in mail.text_body()


def test_a_reply_to_and_a_one_click_unsubscribe_are_the_only_optional_headers(app: Any) -> None:
    message, raw = compose(
        recipient=Recipient("ziel@example.org", HOSTILE[0]),
        template="profile_action_code",
        language="de",
        context={"profile": {"full_name": HOSTILE[1]}, "code": "1", "action": "export"},
        reply_to=Recipient("rueckkehr@senftenberg.example", HOSTILE[2]),
        list_unsubscribe="https://rueckkehr.test/unsubscribe/abc",
    )
    assert message["Reply-To"].addresses[0].addr_spec == "rueckkehr@senftenberg.example"
    assert message["List-Unsubscribe"] == "<https://rueckkehr.test/unsubscribe/abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert b"\r\nBcc" not in raw and b"\nBcc" not in raw


def test_header_text_keeps_honest_text_and_breaks_up_what_is_not() -> None:
    assert header_text("Jana Müller-Lüdenscheidt") == "Jana Müller-Lüdenscheidt"
    assert header_text("Rückkehrertag: 28. Dezember (Senftenberg)") == "Rückkehrertag: 28. Dezember (Senftenberg)"
    assert "=?" not in header_text("a =?utf-8?q?x?= b") and "=? " not in header_text("= ?")
    assert header_text("a\r\nb\x85c\u2028d") == "a b c d"
    assert len(header_text("x" * 5000)) == 250


def test_a_mail_with_a_header_nobody_set_is_refused(app: Any) -> None:
    from rueckkehr.mail.headers import header_block

    assert header_block([("Subject", "Hallo"), ("To", "ziel@example.org")]).endswith(b"\r\n\r\n")
    for headers in (
        [("Subject", "Hallo"), ("Bcc", "evil@evil.example")],  # a header the app never sets
        [("Subject", "Hallo"), ("subject", "Noch einmal")],  # one header twice
        [("Subject", "Hallo\r\nBcc: evil@evil.example")],  # a line break that begins another header
        [("Subject", "Hallo\nBcc: evil@evil.example")],
        [("Subject", "Hallo\r\n\r\nText")],  # an empty line that ends the headers early
        [("Subject", "Hallo\r\n \r\nBcc: evil@evil.example")],
        [("Subject", "Grüße")],  # text that was not encoded
        [("Subject", "Hallo\x85Bcc: evil@evil.example")],
    ):
        with pytest.raises(UnsafeMailError):
            header_block(headers)


def test_a_body_line_too_long_for_smtp_travels_in_base64_and_reads_back_whole(app: Any) -> None:
    name = "Jana " + "Ö" * 2000  # the greeting's line is longer than the 998 bytes a line of a mail may have
    message, raw = compose(
        recipient=Recipient("ziel@example.org"),
        template="profile_action_code",
        language="de",
        context={"profile": {"full_name": "Jana"}, "code": "1", "action": "export", "recipient_name": name},
    )
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert f"Guten Tag {name}," in message.get_body(preferencelist=("plain",)).get_content()
    assert name in message.get_body(preferencelist=("html",)).get_content()
