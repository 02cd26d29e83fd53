"""The workspace's start page, the failed mails with their retry, and the audit trail on screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.employers.models import EmployerStatus
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.mail.outbox import queue_mail
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed, start_writing
from tests.support.waiting import wait_until


def test_the_dashboard_shows_seats_waiting_unconfirmed_approvals_and_failed_mails(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_employer: Callable,
) -> None:
    event = make_event(title="Rückkehrertag Senftenberg", capacity=10)
    start_writing()
    for number, status in enumerate(
        [
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.UNCONFIRMED,
            RegistrationStatus.WAITING,
        ]
    ):
        profile = ReturneeProfile(
            email=f"d{number}@example.org",
            first_name="D",
            last_name=str(number),
            postal_code="01968",
            city="Senftenberg",
            country="DE",
        )
        db.session.add(
            Registration(
                profile=profile, event_id=event.id, status=status, companions=1, confirmed_at=datetime.now(UTC)
            )
        )
    db.session.commit()
    make_employer(status=EmployerStatus.PENDING)
    staff_login(client, make_staff())
    text = visible_text(client.get("/organizer"))
    assert "Rückkehrertag Senftenberg" in text
    assert "6 / 10 1 1" in text  # seats held (with companions) of capacity, waiting parties, unconfirmed parties
    assert "Unternehmen: 1" in text
    assert "0 E-Mails konnten nicht zugestellt werden." in text


def test_a_failed_mail_is_sent_again_on_an_organizers_word(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable, smtp: SMTPServer
) -> None:
    def failed_mail(slug: str, to: str) -> OutboxMessage:
        row = queue_mail(
            kind="test",
            answer=True,
            recipient=to,
            template="account_reset",
            language="de",
            town=town(slug),
            context={"user": {"full_name": "X"}, "link": "http://rueckkehr.test/x", "hours": 1},
        )
        row.status = OutboxStatus.FAILED
        row.attempts = 7
        row.last_error = "SMTPRecipientsRefused: {'" + to + "': (550, b'5.1.1 no such user')}"
        return row

    ours = committed(failed_mail, "senftenberg", "verschrieben@example.org")
    theirs = committed(failed_mail, "finsterwalde", "anderswo@example.org")
    smtp.wait_for(0)
    smtp.clear()
    db.session.rollback()
    for row in (ours, theirs):
        stored = db.session.get(OutboxMessage, row.id)
        stored.status = OutboxStatus.FAILED  # delivery beside the commit may have sent it meanwhile
    db.session.commit()
    staff_login(client, make_staff())
    assert "1 E-Mail konnte nicht zugestellt werden." in visible_text(client.get("/organizer"))
    page = visible_text(client.get("/organizer/mails"))
    assert "verschrieben@example.org" in page and "Der Mailserver hat die Adresse abgelehnt." in page
    assert "anderswo@example.org" not in page
    english = client.get("/organizer/mails?lang=en").get_data(as_text=True)
    assert "The mail server refused the address. Please check the address." in english
    assert '<summary>Technical detail</summary><code lang="en">SMTPRecipientsRefused' in english  # beneath
    assert client.post(f"/organizer/mails/{ours.id}/retry").status_code == 303
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["verschrieben@example.org"]
    wait_until(lambda: db.session.get(OutboxMessage, ours.id).status == OutboxStatus.SENT)
    assert "outbox_message.retried" in {entry.verb for entry in db.session.query(AuditEntry)}


def test_the_audit_trail_on_screen_admins_filter_organizers_see_their_towns(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    start_writing()
    admin_actor = make_staff(role=Role.ADMIN, email="chefin@rwk.example")
    start_writing()
    db.session.add_all(
        [
            AuditEntry(
                actor_kind="user",
                actor_user_id=admin_actor.id,
                verb="event.published",
                object_type="event",
                object_id=7,
                town_id=town("senftenberg").id,
                created_at=datetime(2026, 12, 2, 9, tzinfo=UTC),
            ),
            AuditEntry(
                actor_kind="user",
                actor_user_id=admin_actor.id,
                verb="event.cancelled",
                object_type="event",
                object_id=8,
                town_id=town("finsterwalde").id,
                created_at=datetime(2026, 12, 3, 9, tzinfo=UTC),
            ),
            AuditEntry(
                actor_kind="system",
                actor_label="job registrations.expire",
                verb="registration.lapsed",
                object_type="registration",
                object_id=9,
                town_id=town("senftenberg").id,
                created_at=datetime(2026, 12, 4, 9, tzinfo=UTC),
            ),
        ]
    )
    db.session.commit()
    staff_login(client, make_staff())
    organizer_view = entries_shown(client, "/organizer/audit")
    assert "Veranstaltung veröffentlicht" in organizer_view and "Unbestätigte Anmeldung verfallen" in organizer_view
    assert "Veranstaltung abgesagt" not in organizer_view  # Finsterwalde's
    assert "Person" not in visible_text(client.get("/organizer/audit")).split("Protokoll", 2)[-1].split("Filtern")[0]
    client.post("/logout")

    staff_login(client, admin_actor)
    everything = entries_shown(client, "/organizer/audit")
    assert "Veranstaltung abgesagt" in everything
    by_verb = entries_shown(client, "/organizer/audit?verb=event.")
    assert "Veranstaltung veröffentlicht" in by_verb and "Unbestätigte Anmeldung verfallen" not in by_verb
    by_person = entries_shown(client, f"/organizer/audit?person={admin_actor.id}&object_type=event&object_id=8")
    assert "Veranstaltung abgesagt" in by_person and "Veranstaltung veröffentlicht" not in by_person
    by_time = entries_shown(client, "/organizer/audit?from=04.12.2026&to=04.12.2026")
    assert "Unbestätigte Anmeldung verfallen" in by_time and "Veranstaltung veröffentlicht" not in by_time


def entries_shown(client: FlaskClient, path: str) -> str:
    """The visible text of the page below its filter: the entries (or why there are none)."""
    return visible_text(client.get(path)).split("Filtern", 1)[-1]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=abc", "from", "Bitte geben Sie einen Tag wie 27.12.2026 an."),
        ("to=31.12.9999", "to", "Bitte geben Sie einen Tag wie 27.12.2026 an."),
        ("object_id=abc", "object_id", "Bitte geben Sie die Nummer in Ziffern an, z. B. 12."),
        ("object_id=99999999999", "object_id", "Bitte geben Sie die Nummer in Ziffern an, z. B. 12."),
        ("lang=en&from=abc", "from", "Please enter a day such as 27.12.2026."),
        (
            "from=01.12.2026&to=01.11.2026",
            "to",
            "Der letzte Tag liegt vor dem ersten. Bitte tauschen Sie die beiden Tage.",
        ),
        ("lang=en&from=01.12.2026&to=01.11.2026", "to", "The last day is before the first. Please swap the two days."),
    ],
)
def test_an_audit_filter_that_cannot_be_read_says_so_beside_its_field_and_lists_nothing(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    town: Callable,
    query: str,
    field: str,
    message: str,
) -> None:
    one_lapsed_entry(town)
    staff_login(client, make_staff())
    response = client.get(f"/organizer/audit?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="kern-error" id="{field}-error">.*?<span class="kern-body">([^<]+)</span>', page)
    assert error and error.group(1) == message
    assert 'aria-describedby="' in page and f'{field}-error"' in page
    typed = query.split(f"{field}=")[1].split("&")[0]
    assert f'name="{field}" ' in page and f'value="{typed}"' in page, "what was typed stays"
    listed = visible_text(response).split("Filtern", 1)[-1]
    assert "Unbestätigte Anmeldung verfallen" not in listed, "not the whole trail as if nothing had been typed"


def test_the_audit_trail_names_who_acted_in_the_readers_language(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    start_writing()
    senftenberg = town("senftenberg").id
    for number, (kind, label) in enumerate(
        [("public", "public"), ("returnee", "self-service link"), ("system", "job registrations.expire")]
    ):
        db.session.add(
            AuditEntry(
                actor_kind=kind,
                actor_label=label,
                verb="registration.created",
                object_type="event",
                object_id=number,
                town_id=senftenberg,
                created_at=datetime(2026, 12, 2, 9, number, tzinfo=UTC),
            )
        )
    db.session.commit()
    staff_login(client, make_staff())
    german = visible_text(client.get("/organizer/audit"))
    for text in (
        "Öffentlichkeit (ein Formular der Website)",
        "Rückkehrer/in über den persönlichen Link",
        "regelmäßige Aufgabe: Unbestätigte Anmeldungen verfallen lassen",
    ):
        assert text in german
    assert "self-service link" not in german and " public " not in f" {german} "
    english = visible_text(client.get("/organizer/audit?lang=en"))
    for text in (
        "The public (a form of the website)",
        "Returnee through their personal link",
        "Scheduled job: Let unconfirmed registrations lapse",
    ):
        assert text in english


@pytest.mark.parametrize("page", ["3", "999999999999999999999"])
def test_a_page_of_the_trail_beyond_the_last_says_so_and_leads_back(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable, page: str
) -> None:
    """Asked beyond its end (a page kept from yesterday, a number typed), the trail says the page lies beyond the
    last and links to the first, whatever the number's length."""
    one_lapsed_entry(town)
    staff_login(client, make_staff())
    response = client.get(f"/organizer/audit?verb=registration.&page={page}")
    assert response.status_code == 200
    assert "Diese Seite liegt hinter der letzten. Zur ersten Seite" in entries_shown(client, response.request.full_path)
    first = re.search(r'<a class="kern-link" href="([^"]+)">Zur ersten Seite</a>', response.get_data(as_text=True))
    assert first is not None
    assert "Unbestätigte Anmeldung verfallen" in entries_shown(client, first.group(1).replace("&amp;", "&"))


def one_lapsed_entry(town: Callable) -> None:
    """One entry of Senftenberg's: a registration that lapsed."""
    start_writing()
    db.session.add(
        AuditEntry(actor_kind="system", actor_label="job x", verb="registration.lapsed", object_type="registration",
                   object_id=9, town_id=town("senftenberg").id, created_at=datetime(2026, 12, 4, 9, tzinfo=UTC))
    )  # fmt: skip
    db.session.commit()
