"""The approvals queue (approve, or decline with a mailed reason; the command line runs the same operations), the
advice worklist (kept apart, erased with the returnee), and the town pages with their contact person."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.advice.models import AdviceStatus, AdviceTalk
from rueckkehr.audit.models import AuditEntry
from rueckkehr.employers.models import Employer, EmployerStatus, StandBooking, StandStatus, Vacancy, VacancyStatus
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.returnees.operations import erase_profile
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed, start_writing
from tests.support.world import give_every_town_a_contact


def test_the_queue_approves_and_declines_with_a_mailed_reason(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_employer: Callable,
    make_vacancy: Callable,
    make_stand: Callable,
    make_event: Callable,
    smtp: SMTPServer,
    runner: FlaskCliRunner,
) -> None:
    pending = make_employer(name="Neue Solar GmbH", status=EmployerStatus.PENDING)
    refused = make_employer(name="Zweifel AG", status=EmployerStatus.PENDING)
    approved = make_employer(name="Klinikum Lausitz")
    vacancy = make_vacancy(approved, title="Pflegefachkraft", status=VacancyStatus.SUBMITTED)
    stand = make_stand(approved, make_event())
    staff_login(client, make_staff())
    queue = visible_text(client.get("/organizer/approvals"))
    assert "4 Vorgänge warten." in queue
    assert all(name in queue for name in ("Neue Solar GmbH", "Zweifel AG", "Pflegefachkraft", "Klinikum Lausitz"))

    assert client.post(f"/organizer/approvals/employers/{pending.id}/approve").status_code == 303
    empty = client.post(f"/organizer/approvals/employers/{refused.id}/decline", data={"reason": ""})
    assert empty.status_code == 422 and "Bitte geben Sie eine Begründung an." in visible_text(empty)
    client.post(f"/organizer/approvals/employers/{refused.id}/decline", data={"reason": "Kein Sitz in der Region."})
    client.post(f"/organizer/approvals/vacancies/{vacancy.id}/decline", data={"reason": "Bitte Gehalt angeben."})
    client.post(f"/organizer/approvals/stands/{stand.id}/approve")
    mails = smtp.wait_for(4)
    bodies = [(mail.envelope_to[0], mail.text_body()) for mail in mails]
    assert any(to == refused.users[0].email and "Kein Sitz in der Region." in body for to, body in bodies)
    assert any("Bitte Gehalt angeben." in body and "Entwurf" in body for _to, body in bodies)
    db.session.rollback()
    assert db.session.get(Employer, pending.id).status == EmployerStatus.APPROVED
    assert db.session.get(Employer, refused.id).status == EmployerStatus.DECLINED
    assert db.session.get(Vacancy, vacancy.id).status == VacancyStatus.DRAFT
    assert db.session.get(StandBooking, stand.id).status == StandStatus.CONFIRMED
    verbs = set(db.session.scalars(select(AuditEntry.verb)))
    assert {"employer.approved", "employer.declined", "vacancy.declined", "stand.confirmed"} <= verbs
    assert "Kein Sitz" not in str(list(db.session.scalars(select(AuditEntry.changes))))  # the reason is not logged

    resubmitted = make_vacancy(approved, title="Arzt/Ärztin", status=VacancyStatus.SUBMITTED)
    result = runner.invoke(args=["employers", "publish-vacancy", str(resubmitted.id)])  # the same operation
    assert result.exit_code == 0, result.output
    assert "Arzt/Ärztin" not in visible_text(client.get("/organizer/approvals"))


def test_approving_twice_says_it_was_approved_or_declined_already_for_every_kind(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_employer: Callable,
    make_vacancy: Callable,
    make_stand: Callable,
    make_event: Callable,
) -> None:
    pending = make_employer(name="Neue Solar GmbH", status=EmployerStatus.PENDING)
    approved = make_employer(name="Klinikum Lausitz", pending_changes={"name": "Klinikum"}, changes_submitted_at=None)
    vacancy = make_vacancy(approved, title="Pflegefachkraft", status=VacancyStatus.SUBMITTED)
    returned = make_vacancy(approved, title="Arzt/Ärztin", status=VacancyStatus.SUBMITTED)
    stand = make_stand(approved, make_event())
    declined = make_stand(approved, make_event(title="Zweiter Tag"))
    staff_login(client, make_staff())
    reason = {"reason": "Bitte nicht."}
    client.post(f"/organizer/approvals/vacancies/{returned.id}/decline", data=reason)
    client.post(f"/organizer/approvals/stands/{declined.id}/decline", data=reason)
    twice = {
        f"employers/{pending.id}": "Das Unternehmen ist schon freigegeben.",
        f"profiles/{approved.id}": "Über diese Änderungen ist schon entschieden.",
        f"vacancies/{vacancy.id}": "Die Stelle ist schon veröffentlicht.",
        f"stands/{stand.id}": "Der Stand ist schon bestätigt.",
    }
    for path, already in twice.items():
        assert client.post(f"/organizer/approvals/{path}/approve").status_code == 303
        again = visible_text(client.post(f"/organizer/approvals/{path}/approve", follow_redirects=True))
        assert already in again and "nicht möglich" not in again, path
    for path, already in {
        f"vacancies/{returned.id}": "Die Stelle ist schon an das Unternehmen zurückgegeben.",
        f"stands/{declined.id}": "Der Stand ist schon abgelehnt oder abgesagt.",
    }.items():
        again = visible_text(client.post(f"/organizer/approvals/{path}/approve", follow_redirects=True))
        assert already in again and "nicht möglich" not in again, path


def test_the_reviewer_reads_a_company_description_as_the_public_will(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_employer: Callable
) -> None:
    text = "Wir <b>bauen</b> =cmd|' /C calc'!A0\r\n\r\nZweiter Absatz"  # as a browser sends a textarea
    pending = make_employer(name="Neue Solar GmbH", status=EmployerStatus.PENDING, description=text)
    staff_login(client, make_staff())
    review = client.get(f"/organizer/approvals/employers/{pending.id}")
    assert "Wir &lt;b&gt;bauen&lt;/b&gt;" in review.get_data(as_text=True), "the tags as text, as published"
    assert client.post(f"/organizer/approvals/employers/{pending.id}/approve").status_code == 303
    public = client.get(f"/employers/{pending.id}").get_data(as_text=True)
    paragraphs = (
        '<p class="kern-body">Wir &lt;b&gt;bauen&lt;/b&gt; =cmd|&#39; /C calc&#39;!A0</p><p class="kern-body">Zweiter'
    )
    assert paragraphs in public and paragraphs in review.get_data(as_text=True)


def test_a_changed_public_profile_waits_for_a_second_look(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_employer: Callable,
    login: Callable,
    smtp: SMTPServer,
) -> None:
    employer = make_employer(name="Bäckerei Krause")
    login(client, employer.users[0].email)
    form = {
        "name": "Bäckerei Krause & Söhne",
        "town": str(employer.town_id),
        "street": "Markt 2",
        "postal_code": "01968",
        "locality": "Senftenberg",
        "sector": "2",
        "size_band": "10-49",
        "website": "",
        "description": "Brot.",
    }
    assert client.post("/employer/profile", data=form).status_code == 303
    client.post("/logout")
    db.session.rollback()
    assert db.session.get(Employer, employer.id).name == "Bäckerei Krause"  # the public keeps the approved name
    staff_login(client, make_staff())
    queue = visible_text(client.get("/organizer/approvals"))
    assert "Bäckerei Krause Geändert: Beschreibung, Name" in queue
    detail = visible_text(client.get(f"/organizer/approvals/profiles/{employer.id}"))
    compared = "Angabe Bisher öffentlich Neu Beschreibung (leer) Brot. Name Bäckerei Krause Bäckerei Krause & Söhne"
    assert compared in detail
    client.post(f"/organizer/approvals/profiles/{employer.id}/decline", data={"reason": "Der Name stimmt nicht."})
    db.session.rollback()
    declined = db.session.get(Employer, employer.id)
    assert declined.name == "Bäckerei Krause" and not declined.has_pending_changes
    assert any("Der Name stimmt nicht." in mail.text_body() for mail in smtp.wait_for(1))


def test_approved_changes_go_public_from_the_queue(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_employer: Callable,
    smtp: SMTPServer,
) -> None:
    employer = make_employer(
        name="Bäckerei Krause",
        pending_changes={"name": "Bäckerei Krause & Söhne"},
        changes_submitted_at=datetime.now(UTC),
    )
    staff_login(client, make_staff())
    page = client.get("/organizer/approvals").get_data(as_text=True)
    action = f"/organizer/approvals/profiles/{employer.id}/approve"
    assert action in page
    client.post(action, data={"csrf_token": ""})
    db.session.rollback()
    assert db.session.get(Employer, employer.id).name == "Bäckerei Krause & Söhne"
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Ihre Änderungen sind freigegeben: Bäckerei Krause & Söhne"


def advice_seeker(
    event: object, town_name: str = "Senftenberg", email: str = "rat@example.org", last_name: str = "Rat"
) -> ReturneeProfile:
    start_writing()
    profile = ReturneeProfile(
        email=email,
        first_name="Rita",
        last_name=last_name,
        postal_code="01968",
        city=town_name,
        country="DE",
        interests=["advice", "housing"],
        confirmed_at=datetime.now(UTC),
        phone="+4935731234567",
    )
    db.session.add(profile)
    db.session.add(
        Registration(
            profile=profile,
            event_id=event.id,
            status=RegistrationStatus.CONFIRMED,  # type: ignore[attr-defined]
            confirmed_at=datetime.now(UTC),
        )
    )
    db.session.commit()
    return profile


def test_the_advice_worklist_take_on_note_and_erase(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    profile = advice_seeker(make_event())
    organizer = make_staff(full_name="Anja Schulze")
    staff_login(client, organizer)
    listing = visible_text(client.get("/organizer/advice"))
    assert "Rita Rat" in listing and "Senftenberg: 1" in listing
    senftenberg = db.session.scalar(select(Town.id).where(Town.slug == "senftenberg"))
    response = client.post("/organizer/advice/take", data={"profile_id": profile.id, "town_id": senftenberg})
    assert response.status_code == 303
    talk_path = response.location
    page = visible_text(client.get(talk_path))
    assert "+49 3573 1234567" in page and "Beratungsgespräch" in page and "Wohnen und Bauland" in page
    client.post(talk_path, data={"contact": str(organizer.id), "status": "done", "outcome": "Baugrundstück gezeigt."})
    db.session.rollback()
    talk = db.session.scalar(select(AdviceTalk))
    assert talk.status == AdviceStatus.DONE and talk.outcome == "Baugrundstück gezeigt."
    assert "Senftenberg: 1" not in visible_text(client.get("/organizer/advice"))
    assert "Baugrundstück" not in str(list(db.session.scalars(select(AuditEntry.changes))))
    committed(erase_profile, profile.id)
    db.session.rollback()
    assert db.session.scalar(select(AdviceTalk)) is None


def test_a_talk_taken_on_by_nobody_is_refused_beside_the_contact_field_keeping_what_was_typed(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    profile = advice_seeker(make_event())
    staff_login(client, make_staff(full_name="Anja Schulze"))
    senftenberg = db.session.scalar(select(Town.id).where(Town.slug == "senftenberg"))
    talk_path = client.post("/organizer/advice/take", data={"profile_id": profile.id, "town_id": senftenberg}).location
    refused = client.post(talk_path, data={"contact": "", "status": "assigned", "outcome": "Rückruf am Montag"})
    assert refused.status_code == 422
    beside = re.search(r'id="contact-error".*?<select[^>]*name="contact"', refused.text, re.S)
    assert beside is not None
    assert "Wer übernimmt das Gespräch? Bitte wählen Sie eine Ansprechperson." in re.sub(r"<[^>]+>", " ", beside[0])
    assert "Rückruf am Montag" in refused.text
    db.session.rollback()
    talk = db.session.scalar(select(AdviceTalk))
    assert talk.contact_user_id is not None and talk.outcome != "Rückruf am Montag"


def test_the_advice_worklist_lists_names_alphabetically_with_umlauts_among_their_letter(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    for name in ("Zander", "Özdemir", "Becker"):
        advice_seeker(event, email=f"{name.lower()}@example.org", last_name=name)
    staff_login(client, make_staff())
    listing = visible_text(client.get("/organizer/advice"))
    assert listing.index("Becker") < listing.index("Özdemir") < listing.index("Zander")


def test_town_pages_and_their_contact_person(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_vacancy: Callable,
    submit: Callable,
    smtp: SMTPServer,
) -> None:
    make_event(title="Rückkehrertag am See")
    make_vacancy(title="Elektrikerin Senftenberg")
    staff_login(client, make_staff())
    form = {
        "page_intro": "Willkommen in **Senftenberg**.",
        "page_work": "",
        "page_housing": "- Bauland am See\n- Mieten ab 6 €",
        "page_childcare": "",
        "page_leisure": "<script>alert(1)</script>Baden",
        "contact_name": "Anja Schulze",
        "contact_email": "rueckkehr@senftenberg.example",
        "contact_phone": "03573 701234",
    }
    bad = client.post("/organizer/towns/senftenberg", data={**form, "contact_phone": "123"})
    assert bad.status_code == 422 and "gültige Telefonnummer" in visible_text(bad)
    umlaut = client.post("/organizer/towns/senftenberg", data={**form, "contact_email": "rückkehr@senftenberg.example"})
    assert umlaut.status_code == 422 and "keine Umlaute oder Akzente" in visible_text(umlaut)  # every mail's Reply-To
    assert client.post("/organizer/towns/senftenberg", data=form).status_code == 303
    client.post("/logout")
    page = client.get("/towns/senftenberg")
    html = page.get_data(as_text=True)
    text = visible_text(page)
    assert "<strong>Senftenberg</strong>" in html and "<script>" not in html
    assert "Bauland am See" in text and "Anja Schulze" in text and "+49 3573 701234" in text
    assert "Rückkehrertag am See" in text and "Elektrikerin Senftenberg" in text
    assert client.get("/towns/atlantis").status_code == 404

    event = db.session.scalar(select(Event))
    submit(event.id)
    [mail] = smtp.wait_for(1)
    assert mail.message["Reply-To"] == "Anja Schulze <rueckkehr@senftenberg.example>"


def test_the_demo_fills_all_six_town_pages_and_gives_organizers_something_to_try(client: FlaskClient) -> None:
    from rueckkehr.demo import seed_demo

    committed(seed_demo)
    db.session.rollback()
    towns = list(db.session.scalars(select(Town)))
    assert len(towns) == 6
    for place in towns:
        assert all(
            getattr(place, name)
            for name in ("page_intro", "page_work", "page_housing", "page_childcare", "page_leisure", "contact_email")
        ), place.slug
        assert "Ihre Ansprechperson" in visible_text(client.get(f"/towns/{place.slug}"))
    statuses = set(db.session.scalars(select(Registration.status)))
    assert statuses == {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING}


def test_a_declined_request_is_mailed_once_clearly_in_german_and_english(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_employer: Callable,
    make_vacancy: Callable,
    make_stand: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    give_every_town_a_contact(town)
    german = make_employer(name="Zweifel AG", status=EmployerStatus.PENDING)
    english = make_employer(name="Doubt Ltd")
    committed(lambda: setattr(db.session.get(User, english.users[0].id), "language", "en"))
    vacancy = make_vacancy(english, title="Nurse", status=VacancyStatus.SUBMITTED)
    stand = make_stand(english, make_event(title="Rückkehrertag 2031"))
    staff_login(client, make_staff())
    for path in (f"employers/{german.id}", f"vacancies/{vacancy.id}", f"stands/{stand.id}"):
        assert client.post(f"/organizer/approvals/{path}/decline", data={"reason": "Kein Platz."}).status_code == 303
    mails = {str(mail.message["Subject"]): mail for mail in smtp.wait_for(3)}
    assert set(mails) == {
        "Zweifel AG ist nicht freigegeben",
        "Your vacancy “Nurse” has not been published",
        "Your stand request for “Rückkehrertag 2031”",
    }
    for mail in mails.values():
        for body in (mail.text_body(), re.sub(r"<[^>]+>", " ", mail.html_body())):
            assert "organis" not in body
            assert len(re.findall(r"(antworten|reply)", body)) == 1, body  # said once, in the contact person's line
            assert "Kein Platz." in body
            assert body.count("rueckkehr.test/employer") == 1, body  # the area's link once, not again in the footer
    english_text = mails["Your stand request for “Rückkehrertag 2031”"].text_body().replace("\r\n", "\n")
    assert ",\n\nThe organizers of the returnee days have declined your stand request" in english_text
    assert "Go to your employer area:\nhttp://rueckkehr.test/employer?lang=en" in english_text  # a link with its label
    german_text = mails["Zweifel AG ist nicht freigegeben"].text_body().replace("\r\n", "\n")
    assert "Zu Ihrem Bereich für Arbeitgeber:\nhttp://rueckkehr.test/employer\n" in german_text


def test_the_advice_worklist_beyond_its_length_keeps_counts_order_and_every_request_takeable(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With more requests than the list shows, the open ones come first, the counts are of all, the page says how
    many it leaves out, the state filter finds the rest, and every request can be taken on."""
    monkeypatch.setattr("rueckkehr.advice.queries.WORKLIST_LIMIT", 2)
    event = make_event()
    seekers = [advice_seeker(event, email=f"{name.lower()}@example.org", last_name=name) for name in ("A", "B", "C")]
    senftenberg = db.session.scalar(select(Town.id).where(Town.slug == "senftenberg"))
    staff_login(client, make_staff())
    for profile in seekers:  # every one of them, whichever two the list shows
        response = client.post("/organizer/advice/take", data={"profile_id": profile.id, "town_id": senftenberg})
        assert response.status_code == 303
    db.session.rollback()
    talk_of_a = db.session.scalar(select(AdviceTalk.id).where(AdviceTalk.profile_id == seekers[0].id))
    assert client.post(f"/organizer/advice/{talk_of_a}", data={"contact": "", "status": "done"}).status_code == 303
    for name in ("D", "E"):
        advice_seeker(event, email=f"{name.lower()}@example.org", last_name=name)
    listing = visible_text(client.get("/organizer/advice"))
    assert "Senftenberg: 4" in listing  # B and C taken on, D and E open: all of them counted
    assert "Rita D" in listing and "Rita E" in listing and "Rita B" not in listing and "Rita A" not in listing
    assert "2 von 5 Wünschen" in listing
    done = visible_text(client.get("/organizer/advice?status=done"))
    assert "Rita A" in done and "Rita D" not in done
    english = visible_text(client.get("/organizer/advice?lang=en"))
    assert "2 of 5 requests" in english


def test_a_new_logo_sent_on_its_own_is_approved_from_the_queue(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_employer: Callable
) -> None:
    from datetime import UTC, datetime

    from rueckkehr.employers.models import Employer
    from rueckkehr.extensions import db

    logo_only = make_employer(name="Logo GmbH", pending_logo_filename="neu.png", changes_submitted_at=datetime.now(UTC))
    staff_login(client, make_staff())
    done = visible_text(client.post(f"/organizer/approvals/profiles/{logo_only.id}/approve", follow_redirects=True))
    assert "schon entschieden" not in done
    db.session.rollback()
    assert db.session.get(Employer, logo_only.id).pending_logo_filename is None
