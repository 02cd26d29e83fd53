"""A town's page and mails need its own contact person: the editor asks for one, and a town without one is never
signed or answered by another town's contact."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from tests.mail.test_reply_to import give_contact
from tests.support.pages import visible_text

PAGE = {
    "page_intro": "Willkommen in Senftenberg.",
    "page_work": "",
    "page_housing": "",
    "page_childcare": "",
    "page_leisure": "",
    "contact_name": "Anja Schulze",
    "contact_email": "rueckkehr@senftenberg.example",
    "contact_phone": "03573 701234",
}


def error_of(html: str, field: str) -> str | None:
    """The error shown beside a field."""
    found = re.search(
        rf'<p class="kern-error" id="{field}-error">.*?<span class="kern-body">([^<]+)</span>', html, re.S
    )
    return found.group(1) if found else None


def test_the_editor_asks_for_the_contact_persons_name_and_address_beside_the_fields_and_keeps_the_page(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable[[str], Town]
) -> None:
    give_contact(town("senftenberg"), "Anja Schulze", "rueckkehr@senftenberg.example", "+493573701234")
    staff_login(client, make_staff())
    blank = {
        **PAGE,
        "page_intro": "Neuer Text über den See.",
        "contact_name": " ",
        "contact_email": "",
        "contact_phone": "",
    }
    refused = client.post("/organizer/towns/senftenberg", data=blank)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Die Seite ist gespeichert" not in visible_text(refused)
    assert error_of(html, "contact_name") == "Bitte geben Sie den Namen der Ansprechperson an."
    assert error_of(html, "contact_email") == "Bitte geben Sie die E-Mail-Adresse der Ansprechperson an."
    assert error_of(html, "contact_phone") is None  # the phone stays optional
    assert "Neuer Text über den See." in html  # what was typed stays
    db.session.rollback()
    saved = db.session.scalar(select(Town).where(Town.slug == "senftenberg"))
    assert saved is not None and (saved.contact_name, saved.contact_email) == (
        "Anja Schulze",
        "rueckkehr@senftenberg.example",
    )
    assert saved.page_intro == ""

    english = client.post("/organizer/towns/senftenberg?lang=en", data=blank).get_data(as_text=True)
    assert error_of(english, "contact_name") == "Please enter the contact person's name."
    assert error_of(english, "contact_email") == "Please enter the contact person's e-mail address."
    assert client.post("/organizer/towns/senftenberg", data={**PAGE, "contact_phone": ""}).status_code == 303


def test_the_mail_of_a_town_without_a_contact_names_no_other_towns_contact(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable[..., Event],
    town: Callable[[str], Town],
) -> None:
    give_contact(
        town("finsterwalde"), "Katrin Lehmann, Wirtschaftsförderung Finsterwalde", "rueckkehr@finsterwalde.example"
    )
    give_contact(town("senftenberg"), "", "")  # as a town that never named one (the editor asks for one now)
    event = make_event()  # a Senftenberg venue
    staff_login(client, make_staff())
    mailing = {"audience": "all", "subject_de": "Parken", "body_de": "Bitte parken Sie am Markt.", "step": "preview"}
    preview = visible_text(client.post(f"/organizer/events/{event.id}/mail", data=mailing))
    assert "Bitte parken Sie am Markt." in preview
    assert "Katrin Lehmann" not in preview and "finsterwalde.example" not in preview
    assert "Ihre Ansprechperson" not in preview
