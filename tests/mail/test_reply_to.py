"""Every mail names the organizing town's contact for returnees and sends replies there, not to the no-reply sender."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role
from rueckkehr.events.models import Event
from rueckkehr.places.models import Town
from rueckkehr.transactions import unit_of_work
from tests.employers.test_journey import SIGNUP
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
    submit(make_event().id, email="ohne@example.org", hometown="")  # no former hometown: the link is no town's
    [plain] = smtp.wait_for(1)
    assert "Reply-To" not in plain.message
    assert "Diese E-Mail wurde automatisch erstellt." in plain.text_body()

    give_contact(town("finsterwalde"), "Katrin Lehmann", "rueckkehr@finsterwalde.example")
    client.post("/link", data={"email": "ohne@example.org"})  # the self-service link belongs to no event
    answer = smtp.wait_for(2)[1]
    assert answer.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@finsterwalde.example"
    assert "Katrin Lehmann" in answer.text_body()


def test_account_mails_are_signed_by_the_town_the_user_belongs_to(
    client: FlaskClient, smtp: SMTPServer, town: Callable[[str], Town], make_employer: Callable[..., Any],
    make_staff: Callable[..., Any],
) -> None:  # fmt: skip
    give_contact(town("senftenberg"), "Anja Schulze", "rueckkehr@senftenberg.example")
    give_contact(town("finsterwalde"), "Katrin Lehmann", "rueckkehr@finsterwalde.example")
    employer_user = make_employer().users[0].email  # a company in Senftenberg
    organizer = make_staff(towns=[town("senftenberg"), town("schipkau")]).email
    admin = make_staff(role=Role.ADMIN).email

    client.post("/password/forgot", data={"email": employer_user})
    client.post("/employer/signup", data={**SIGNUP, "email": employer_user})  # signs up again with the same address
    client.post("/password/forgot?lang=en", data={"email": organizer})
    client.post("/password/forgot", data={"email": admin})
    client.post("/password/forgot", data={"email": "unbekannt@example.org"})
    mails = {(mail.message["To"].addresses[0].addr_spec, mail.message["Subject"]): mail for mail in smtp.wait_for(4)}
    reset, again = (mail for (to, _subject), mail in mails.items() if to == employer_user)
    for mail in (reset, again):
        assert mail.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@senftenberg.example"
        assert "Ihr Team der Rückkehrertage in Senftenberg, RWK Westlausitz" in mail.text_body()
        assert "Ihre Ansprechperson: Anja Schulze" in mail.text_body()
    [english] = (mail for (to, _subject), mail in mails.items() if to == organizer)
    assert english.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@senftenberg.example"  # the first town
    assert "Your returnee days team in Senftenberg, RWK Westlausitz" in english.text_body()
    [office] = (mail for (to, _subject), mail in mails.items() if to == admin)  # an admin belongs to no town
    assert office.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@finsterwalde.example"


def test_a_towns_mail_without_a_contact_of_its_own_is_neither_signed_nor_answered_by_another_town(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any],
    town: Callable[[str], Town],
) -> None:  # fmt: skip
    give_contact(town("finsterwalde"), "Katrin Lehmann", "rueckkehr@finsterwalde.example")  # the RWK office's town
    submit(make_event().id)  # a Senftenberg venue; Senftenberg named no contact
    [mail] = smtp.wait_for(1)
    assert "Reply-To" not in mail.message
    assert "Katrin Lehmann" not in mail.text_body() and "finsterwalde" not in mail.text_body()
    assert "Diese E-Mail wurde automatisch erstellt." in mail.text_body()
    assert "Ihr Team der Rückkehrertage in Senftenberg, RWK Westlausitz" in mail.text_body()
