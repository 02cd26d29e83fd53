"""Who an export holds: without a status filter the registrations that stand (confirmed, and waiting after
confirming), a cancelled, lapsed or unconfirmed one only when the status filter asks for it; the door list only the
confirmed, as the door lets in; the page counts registrations and the people they bring."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import Consent, ConsentPurpose
from tests.exports.test_exports import export, read_csv_as_excel
from tests.support.attendees import NOW
from tests.support.pages import visible_text


def _registered_again(first: Registration, companions: int) -> None:
    """The person of ``first`` registers for the same event once more, and confirms."""
    again = Registration(
        profile=first.profile,
        event_id=first.event_id,
        status=RegistrationStatus.CONFIRMED,
        companions=companions,
        confirmed_at=NOW,
        created_at=NOW,
    )
    db.session.add(again)
    db.session.flush()
    db.session.add(
        Consent(
            profile=first.profile,
            registration_id=again.id,
            purpose=ConsentPurpose.PARTICIPATION,
            text_version="v1",
            given_at=NOW,
            confirmed_at=NOW,
        )
    )
    db.session.commit()


def _people(register: Callable, event: Event) -> None:
    zander = register(event, "Zander", first_name="Zoë", companions=3, status=RegistrationStatus.CANCELLED)
    _registered_again(zander, companions=2)
    register(event, "Ahrens", first_name="Ali")
    register(event, "Warte", first_name="Wim", status=RegistrationStatus.WAITING)
    register(event, "Verfallen", first_name="Vera", status=RegistrationStatus.EXPIRED)
    register(
        event,
        "Offen",
        first_name="Olga",
        status=RegistrationStatus.UNCONFIRMED,
        participation=False,
        employer_pool=True,
    )


def test_cancelled_lapsed_and_unconfirmed_are_left_out_unless_the_status_filter_asks_for_them(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Rückkehrertag")
    _people(register, event)
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/export"
    page = visible_text(client.get(path))
    assert "Der Export enthält 3 Anmeldungen, deren Einwilligung den gewählten Zweck abdeckt." in page
    assert "Mit Begleitpersonen sind das 5 Personen." in page, "Zoë's new party of 3, Ali and Wim"
    assert "Der Export enthält 4" not in page and "Personen, deren" not in page
    columns = ["last_name", "first_name", "status", "party_size"]
    rows = read_csv_as_excel(export(client, path, columns).data)[1:]
    assert rows == [
        ["Ahrens", "Ali", "bestätigt", "1"],
        ["Warte", "Wim", "Warteliste", "1"],
        ["Zander", "Zoë", "bestätigt", "3"],
    ], "her cancelled registration is not in it, nor the lapsed or unconfirmed one"
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, path, columns, file_format="xlsx").data)).active
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("Ahrens", "Ali", "bestätigt"),
        ("Warte", "Wim", "Warteliste"),
        ("Zander", "Zoë", "bestätigt"),
    ]
    employers = export(client, path, ["earliest_return"], purpose="employers")
    assert read_csv_as_excel(employers.data)[1:] == [], "an unconfirmed registration is no list for employers"
    cancelled = read_csv_as_excel(export(client, f"{path}?status=cancelled", columns).data)[1:]
    assert cancelled == [["Zander", "Zoë", "abgesagt", "4"]], "chosen by the status filter, it is exported"
    lapsed = read_csv_as_excel(export(client, f"{path}?status=expired", columns).data)[1:]
    assert lapsed == [["Verfallen", "Vera", "verfallen", "1"]]
    not_waiting = read_csv_as_excel(export(client, f"{path}?status=waiting&status_op=not", ["last_name"]).data)[1:]
    assert sorted(row[0] for row in not_waiting) == ["Ahrens", "Verfallen", "Zander", "Zander"]
    chosen = visible_text(client.get(f"{path}?status=cancelled"))
    assert "Der Export enthält 1 Anmeldung, deren Einwilligung den gewählten Zweck abdeckt." in chosen
    assert "Mit Begleitpersonen sind das 4 Personen." in chosen
    db.session.rollback()
    counted = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.verb == "export.made")).all()
    assert [changes["rows"] for changes in counted][:2] == [3, 3]


def test_the_door_list_names_only_those_the_door_lets_in(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Rückkehrertag")
    _people(register, event)
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/export"
    response = export(client, path, ["party_size"], file_format="print")
    html, text = response.get_data(as_text=True), visible_text(response)
    assert html.count('class="box"') == 2, "Zoë once, with her new registration, and Ali"
    assert "Ahrens, Ali" in text and "Zander, Zoë" in text
    assert "Warte" not in text and "Verfallen" not in text and "Offen" not in text
    cancelled = export(client, f"{path}?status=cancelled", ["party_size"], file_format="print")
    assert cancelled.get_data(as_text=True).count('class="box"') == 0, "a cancelled party is never to be ticked off"
    page = visible_text(client.get(path))
    assert "Liste zum Ausdrucken (Einlass, zum Abhaken; nur bestätigte Anmeldungen)" in page
    db.session.rollback()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "export.made")).first()
    assert entry is not None and entry.changes["rows"] == 2
