"""Every mail names the organizing town's contact for returnees and sends replies there, not to the no-reply sender."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from rueckkehr.events.models import Event
from rueckkehr.places.models import Town
from rueckkehr.transactions import unit_of_work
from tests.support.smtp import SMTPServer


def give_contact(town: Town, name: str, email: str, phone: str = "") -> None:
    with unit_of_work():
        town.contact_name, town.contact_email, town.contact_phone = name, email, phone


def test_registration_mails_reply_to_the_contact_of_the_events_town(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any],
    town: Callable[[str], Town],
) -> None:  # fmt: skip
    give_contact(town("senftenberg"), "Anja Schulze", "rueckkehr@senftenberg.example", "+4935733010")
    give_contact(town("finsterwalde"), "Katrin Lehmann", "rueckkehr@finsterwalde.example")
    submit(make_event().id)  # a Senftenberg venue
    [mail] = smtp.wait_for(1)
    assert mail.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@senftenberg.example"
    assert mail.message["Reply-To"].addresses[0].display_name == "Anja Schulze"
    assert mail.message["From"].addresses[0].addr_spec == "noreply@rueckkehr.test"
    assert "Ihre Ansprechperson: Anja Schulze, rueckkehr@senftenberg.example, Telefon +49 3573 3010" in mail.text_body()
    assert "Anja Schulze" in mail.html_body()
    assert "noreply@" not in mail.text_body()


def test_a_mail_of_no_town_is_answered_by_the_rwk_office_and_without_any_contact_nobody_is_named(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any],
    town: Callable[[str], Town],
) -> None:  # fmt: skip
    submit(make_event().id, email="ohne@example.org")
    [plain] = smtp.wait_for(1)
    assert "Reply-To" not in plain.message
    assert "Diese E-Mail wurde automatisch erstellt." in plain.text_body()

    give_contact(town("finsterwalde"), "Katrin Lehmann", "rueckkehr@finsterwalde.example")
    client.post("/link", data={"email": "ohne@example.org"})  # the self-service link belongs to no event
    answer = smtp.wait_for(2)[1]
    assert answer.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@finsterwalde.example"
    assert "Katrin Lehmann" in answer.text_body()
