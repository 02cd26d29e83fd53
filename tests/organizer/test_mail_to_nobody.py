"""A mail to the attendees whose audience reaches nobody is refused beside the audience field, in the organizer's
language, with the texts kept as typed: at the preview, at the test mail and at the send; nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.accounts.models import User
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations import manage
from rueckkehr.registrations.mailings import EventMailing, MailingContent, NobodyToWriteToError, Preview, start_mailing
from tests.organizer.test_registrations import add_confirmed
from tests.support.pages import form_value, visible_text
from tests.support.units import committed

FORM = {"audience": "waiting", "subject_de": "Parken am Rathaus", "body_de": "Bitte parken Sie am Markt.",
        "subject_en": "Parking", "body_en": "Please park at the market square."}  # fmt: skip
NOBODY = {
    "de": "Diese Auswahl erreicht niemanden: Dazu gibt es keine Anmeldung mit bestätigter Adresse. "
    "Bitte wählen Sie andere Empfänger.",
    "en": "This choice reaches nobody: there is no registration with a confirmed address in it. "
    "Please choose other recipients.",
}


def error_beside(response: object, field: str) -> str:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


@pytest.mark.parametrize("language", ["de", "en"])
def test_an_audience_of_nobody_is_refused_beside_the_field_and_the_texts_are_kept(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, language: str
) -> None:
    event = make_event()
    add_confirmed(event, ["Albrecht"])  # a seat, but nobody on the waiting list
    staff_login(client, make_staff(email="orga@senftenberg.example"))
    path = f"/organizer/events/{event.id}/mail" + ("?lang=en" if language == "en" else "")
    for step in ("preview", "test", "send"):
        refused = client.post(path, data={**FORM, "step": step})
        assert refused.status_code == 422, step
        assert error_beside(refused, "audience") == NOBODY[language], (step, error_beside(refused, "audience"))
        said = visible_text(refused)
        assert NOBODY[language] in said and "(0)" in said  # in the summary too, and the choice's count
        assert [form_value(refused, name) for name in ("subject_de", "subject_en")] == ["Parken am Rathaus", "Parking"]
        assert "Bitte parken Sie am Markt." in said and "Please park at the market square." in said
        assert form_value(refused, "preview_token") == "" and "Jetzt senden" not in said and "Send now" not in said
    db.session.rollback()
    assert db.session.scalars(select(EventMailing)).all() == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # no test mail either
    sent = client.post(path, data={**FORM, "audience": "confirmed", "step": "preview"})
    assert sent.status_code == 200 and error_beside(sent, "audience") == ""  # a seat's holder is reached


def test_an_audience_gone_between_the_check_and_the_send_is_refused_beside_the_field(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event()
    staff_login(client, make_staff(email="orga@senftenberg.example"))
    monkeypatch.setattr(manage, "audience_size", lambda *_: 1)  # the page counted someone waiting; they left since
    path = f"/organizer/events/{event.id}/mail"
    token = form_value(client.post(path, data={**FORM, "step": "preview"}), "preview_token")
    refused = client.post(path, data={**FORM, "step": "send", "preview_token": token})
    assert refused.status_code == 422 and error_beside(refused, "audience") == NOBODY["de"]
    assert form_value(refused, "preview_token") == "" and "Jetzt senden" not in visible_text(refused)
    db.session.rollback()
    assert db.session.scalars(select(EventMailing)).all() == []


def test_the_operation_refuses_an_audience_of_nobody_under_the_events_lock(make_event: Callable) -> None:
    event = make_event()  # a preview made while someone waited, sent after they left
    content = MailingContent(audience="waiting", subject_de="Parken", body_de="Bitte am Markt parken.")
    with pytest.raises(NobodyToWriteToError):
        committed(start_mailing, event.id, content, Preview(content.digest(), None))
    db.session.rollback()
    assert db.session.scalars(select(EventMailing)).all() == []
