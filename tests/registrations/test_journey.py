"""The returnee's journey with real mail: register, confirm by button, self-service, cancel, waiting list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile
from tests.support.pages import visible_text
from tests.support.registrations import link_in
from tests.support.smtp import SMTPServer


def registrations() -> list[Registration]:
    """The registrations as committed by the requests (ending the test's own read snapshot first)."""
    db.session.rollback()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def test_register_confirm_and_cancel_promotes_the_waiting_party(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event(capacity=1)

    response = submit(event.id)
    assert response.status_code == 303
    page = visible_text(client.get(response.headers["Location"]))
    assert "Wir haben Ihnen eine E-Mail an jana.mueller@example.org geschickt." in page
    assert "Bitte bestätigen Sie Ihre Anmeldung innerhalb von 48 Stunden." in page
    assert "Ihr Platz ist für Sie reserviert." in page

    [request] = smtp.wait_for(1)
    assert request.envelope_to == ["jana.mueller@example.org"]
    assert request.message["Subject"] == f"Bitte bestätigen Sie Ihre Anmeldung: {event.title}"
    assert request.message["Auto-Submitted"] == "auto-generated"
    assert request.message["Message-ID"].endswith("@rueckkehr.test>")
    assert "Guten Tag Jana Müller," in request.text_body()
    confirm_path = link_in(request, "/confirm/")

    # Opening the link changes nothing (mail scanners open links).
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert "Anmeldung jetzt bestätigen" in visible_text(page)
    assert registrations()[0].status == RegistrationStatus.UNCONFIRMED

    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 303  # Post/Redirect/Get: a reload asks nothing again
    assert "Vielen Dank – Sie sind angemeldet" in visible_text(client.get(confirmed.headers["Location"]))
    assert registrations()[0].status == RegistrationStatus.CONFIRMED
    mails = smtp.wait_for(2)
    assert mails[1].message["Subject"] == f"Anmeldung bestätigt: {event.title}"
    manage_path = link_in(mails[1], "/me/")

    # A second person finds the event full and lands on the waiting list.
    second = submit(event.id, email="tom@example.org", first_name="Tom", last_name="Schulz")
    assert second.status_code == 303, visible_text(second)[:3000]
    page = visible_text(client.get(second.headers["Location"]))
    assert "Sie stehen auf der Warteliste, Platz 1." in page
    waiting_request = smtp.wait_for(3)[2]
    assert waiting_request.envelope_to == ["tom@example.org"]
    client.post(link_in(waiting_request, "/confirm/"))
    waiting_mail = smtp.wait_for(4)[3]
    assert waiting_mail.message["Subject"] == f"Warteliste: {event.title}"
    assert "Platz 1" in waiting_mail.text_body()

    # Jana cancels on her self-service page; Tom moves up and is told so.
    overview = visible_text(client.get(manage_path))
    assert "Guten Tag Jana Müller" in overview and event.title in overview and "Angemeldet" in overview
    jana = registrations()[0]
    client.post(f"{manage_path}/registrations/{jana.id}/cancel")
    statuses = [r.status for r in registrations()]
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    mails = smtp.wait_for(6)
    by_recipient = {(m.envelope_to[0], m.message["Subject"]) for m in mails[4:]}
    assert by_recipient == {
        ("jana.mueller@example.org", f"Anmeldung storniert: {event.title}"),
        ("tom@example.org", f"Ein Platz ist frei geworden: {event.title}"),
    }


def test_the_profile_and_consents_are_stored_once_confirmed(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    submit(event.id, consent_job_alerts="y", consent_news="y")
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    db.session.rollback()
    profile = db.session.scalars(select(ReturneeProfile)).one()
    assert (profile.first_name, profile.country, profile.phone) == ("Jana", "NO", "+4722123456")
    assert [town.slug for town in profile.wished_towns] == ["grossraeschen", "senftenberg"]
    assert profile.occupation_group.name == "Medizinische Gesundheitsberufe"
    consents = {c.purpose: c for c in db.session.scalars(select(Consent))}
    assert set(consents) == {ConsentPurpose.PARTICIPATION, ConsentPurpose.JOB_ALERTS, ConsentPurpose.NEWS}
    for consent in consents.values():
        assert consent.text_version and consent.given_at and consent.confirmed_at
        assert consent.withdrawn_at is None


def test_a_second_submission_looks_the_same_and_mails_the_owner(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    first = visible_text(client.get(submit(event.id).headers["Location"]))
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    smtp.wait_for(2)
    second = visible_text(client.get(submit(event.id, first_name="Mallory").headers["Location"]))
    assert second == first
    notice = smtp.wait_for(3)[2]
    assert notice.message["Subject"] == f"Sie sind bereits angemeldet: {event.title}"
    assert "/me/" in notice.text_body()
    assert len(registrations()) == 1
    assert db.session.scalars(select(ReturneeProfile)).one().first_name == "Jana"


def test_a_stranger_cannot_rewrite_a_profile_by_typing_its_address(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    first_event, second_event = make_event(), make_event(title="Job-Dating")
    submit(first_event.id, consent_job_alerts="y")
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    smtp.wait_for(2)
    submit(second_event.id, first_name="Mallory", city="Nowhere", consent_job_alerts=None)
    db.session.rollback()
    profile = db.session.scalars(select(ReturneeProfile)).one()
    assert (profile.first_name, profile.city) == ("Jana", "Oslo")
    # Only the owner's confirmation applies it; an unticked box withdraws nothing.
    client.post(link_in(smtp.wait_for(3)[2], "/confirm/"))
    db.session.rollback()
    assert (profile.first_name, profile.city) == ("Mallory", "Nowhere")
    assert profile.active_consent(ConsentPurpose.JOB_ALERTS) is not None


def test_confirmation_links_are_single_use_and_tamper_proof(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    submit(event.id)
    path = link_in(smtp.wait_for(1)[0], "/confirm/")
    assert client.post(path).status_code == 303
    assert client.post(path).status_code == 303  # a reload confirms nothing twice
    assert len(smtp.wait_for(2)) == 2 and len(registrations()) == 1
    for bad in [path[:-3] + "abc", "/confirm/nonsense"]:
        response = client.get(bad)
        assert response.status_code == 410
        text = visible_text(response)
        assert "Dieser Link gilt nicht mehr" in text
        assert "Link erneut zusenden" in text


def test_a_new_address_gets_its_profile_as_typed_and_its_making_is_in_the_audit_trail(
    make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    """On both databases: PostgreSQL's driver reports no row count for the profile's insert, which once made a
    new profile look found (kept bare until confirmed, and never recorded as made)."""
    from rueckkehr.audit.models import AuditEntry

    assert submit(make_event().id).status_code == 303
    db.session.rollback()
    profile = db.session.scalars(select(ReturneeProfile)).one()
    assert profile.phone == "+4722123456" and profile.occupation_group_code == "81"
    assert profile.hometown is not None and profile.hometown.slug == "senftenberg"
    assert sorted(town.slug for town in profile.wished_towns) == ["grossraeschen", "senftenberg"]
    verbs = db.session.scalars(select(AuditEntry.verb).where(AuditEntry.profile_id == profile.id)).all()
    assert verbs.count("returnee_profile.created") == 1 and verbs.count("registration.created") == 1


def test_a_used_confirmation_link_says_the_registration_is_confirmed_and_leads_to_the_self_service_page(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event(capacity=1)
    submit(event.id)
    path = link_in(smtp.wait_for(1)[0], "/confirm/")
    assert "Vielen Dank – Sie sind angemeldet" in visible_text(client.post(path, follow_redirects=True))
    manage_path = link_in(smtp.wait_for(2)[1], "/me/")
    again = client.get(path)  # the link in the mail, clicked again
    assert again.status_code == 200
    text = visible_text(again)
    assert "Ihre Anmeldung ist bereits bestätigt" in text and event.title in text
    assert "Vielen Dank" not in text and "Anmeldung jetzt bestätigen" not in text
    assert f'href="{manage_path}"' in again.get_data(as_text=True)
    english = client.get(f"{path}?lang=en")
    assert "Your registration is already confirmed" in visible_text(english)
    assert f'href="{manage_path}?lang=en"' in english.get_data(as_text=True)

    submit(event.id, email="tom@example.org", first_name="Tom")
    waiting = link_in(smtp.wait_for(3)[2], "/confirm/")
    client.post(waiting, follow_redirects=True)
    assert "Sie stehen auf der Warteliste, Platz 1." in visible_text(client.get(waiting))


def test_a_used_confirmation_link_leads_nowhere_once_the_links_are_revoked_or_the_registration_cancelled(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    submit(event.id)
    path = link_in(smtp.wait_for(1)[0], "/confirm/")
    assert "Vielen Dank – Sie sind angemeldet" in visible_text(client.post(path, follow_redirects=True))
    manage_path = link_in(smtp.wait_for(2)[1], "/me/")
    client.post(f"{manage_path}/revoke")
    revoked = client.get(path)
    assert revoked.status_code == 200 and "Ihre Anmeldung ist bereits bestätigt" in visible_text(revoked)
    assert "/me/" not in revoked.get_data(as_text=True)  # a leaked mail gives no fresh self-service link
    assert "Link erneut zusenden" in visible_text(revoked)

    smtp.wait_for(3)  # revoking sent Jana a new link
    submit(event.id, email="tom@example.org", first_name="Tom")
    tom = link_in(smtp.wait_for(4)[3], "/confirm/")
    client.post(tom)
    tom_manage = link_in(smtp.wait_for(5)[4], "/me/")
    registration = registrations()[1]
    client.post(f"{tom_manage}/registrations/{registration.id}/cancel")
    assert client.get(tom).status_code == 410  # nothing left to confirm or to show
