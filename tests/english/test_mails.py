"""Every mail of the app, sent to readers of German and of English: the one layout (the town's name, a clear
button with the plain link below it, no remote images), the contact person of the town as Reply-To and in the
footer, links that open in the reader's language, and for English readers no German message id anywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.background import wait_for_background_threads
from rueckkehr.employers.models import Employer, EmployerStatus, StandBooking, Vacancy, VacancyStatus
from rueckkehr.employers.operations import approve_employer, confirm_stand
from rueckkehr.employers.vacancies import publish_vacancy
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.events.operations import cancel_event, change_event
from rueckkehr.extensions import db
from rueckkehr.matching.links import subscription_url
from rueckkehr.matching.models import AlertSubscription, ContactRequest, PoolCard
from rueckkehr.matching.pool_operations import send_pool_digests, sync_pool_cards
from rueckkehr.matching.rounds import send_digests
from rueckkehr.places.models import Town
from rueckkehr.registrations import notifications
from rueckkehr.registrations.mailings import MailingContent, preview_token, send_mailing_batches
from rueckkehr.registrations.models import Registration
from rueckkehr.registrations.operations import confirm, register
from rueckkehr.returnees.links import manage_url
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.returnees.news import send_news_batches
from rueckkehr.returnees.notifications import reconfirm_consents
from rueckkehr.returnees.operations import erase_profile
from tests.support.employers import PASSWORD
from tests.support.german import GermanMessages, readable_texts
from tests.support.registrations import form_data
from tests.support.smtp import ReceivedMail, SMTPServer
from tests.support.units import committed
from tests.support.waiting import wait_until
from tests.support.world import CONTACTS, PAGE_TEMPLATES_ROOT, PROFILE, give_every_town_a_contact, path_of

NURSE = replace(PROFILE, occupation_group_code="81", skill_level=2, wished_town_slugs=["senftenberg"])
LINK = re.compile(r'https?://rueckkehr\.test[^\s"<>]*')


def mail_templates() -> set[str]:
    """Every mail the app can send (the name of its templates)."""
    return {path.stem for path in (PAGE_TEMPLATES_ROOT / "email").glob("*.txt") if not path.name.startswith("_")}


def mails_rendered(names: list[str]) -> list[str]:
    """The mails among rendered templates: one text template each; a part rendered on its own (``_match_item``,
    rendered once per round and language for every digest that lists the vacancy) is no mail."""
    return [name for name in names if name.startswith("email/") and name.endswith(".txt") and "/_" not in name]


def newest(model: type, **where: Any) -> Any:
    """The newest committed row of a model that matches."""
    db.session.rollback()
    query = select(model).filter_by(**where).order_by(model.id.desc())  # type: ignore[attr-defined]
    return db.session.scalars(query).first()


def send_every_mail(
    app: Flask, language: str, make_event: Callable[..., Event], make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Vacancy], make_stand: Callable[..., StandBooking], *, town: Callable[[str], Town],
    make_staff: Callable[..., User], staff_login: Callable[[FlaskClient, User], Any], runner: FlaskCliRunner,
) -> None:  # fmt: skip
    """Make the app send each of its mails once (most of them more often), to readers of ``language``."""
    client = app.test_client()
    client.post("/sprache", data={"lang": language, "next": "/"})
    event = make_event(title="Rückkehrertag Senftenberg", capacity=2)
    full = make_event(title="Brunch im Kurmärker", capacity=1)
    fully_booked = make_event(title="Rückkehrertag Lauchhammer", capacity=0)
    later = make_event(title="Rückkehrertag Schipkau")
    employer = make_employer(name="Kraftwerk Schwarzheide GmbH")
    pending = make_employer(name="Gesundheitszentrum Großräschen", status=EmployerStatus.PENDING, approved_at=None)
    stand = make_stand(employer, event)
    # Nursing (81), the field of the registration form: one on the board now, one on it later (a digest's news).
    make_vacancy(employer, title="Pflegefachkraft (m/w/d)", occupation_group_code="81")
    vacancy = make_vacancy(employer, occupation_group_code="81", status=VacancyStatus.SUBMITTED, published_at=None)

    def sign_up(event: Event, email: str) -> int:
        register(event.id, email=email, language=language, profile_data=NURSE, companions=0, optional_consents=[])
        query = select(Registration.id).where(Registration.event_id == event.id).order_by(Registration.id.desc())
        return db.session.scalars(query).first()

    # Registrations: confirm, already registered, confirmed with the invite (and the matching vacancies, as Jana
    # asks for job alerts, a card in the employers' pool and news); waiting, moving up, leaving.
    consents = {"consent_job_alerts": "y", "consent_employer_pool": "y", "consent_news": "y"}
    client.post(f"/events/{event.id}/register", data=form_data(email="jana@example.org", **consents))
    client.post(f"/events/{event.id}/register", data=form_data(email="jana@example.org", **consents))
    jana = newest(Registration, event_id=event.id)
    committed(confirm, jana.id)
    tom = committed(sign_up, full, "tom@example.org")
    committed(confirm, tom)
    waiting = committed(sign_up, full, "jana@example.org")
    committed(confirm, waiting)  # waiting_confirmed
    profile = newest(ReturneeProfile, email="jana@example.org")
    manage = client.application.test_client()
    path = path_of(manage_url(profile))
    tom_profile = newest(ReturneeProfile, email="tom@example.org")
    tom_path = path_of(manage_url(tom_profile))
    manage.post(f"{tom_path}/registrations/{tom}/cancel")  # Tom's seat goes to Jana: promoted
    leave = committed(sign_up, fully_booked, "jana@example.org")
    manage.post(f"{path}/registrations/{leave}/cancel")  # leaving a waiting list
    committed(change_event, event.id, starts_at=event.starts_at + timedelta(hours=1),
              ends_at=event.ends_at + timedelta(hours=1))  # fmt: skip
    committed(lambda: notifications.reminder(db.session.get(Registration, jana.id)))
    committed(lambda: notifications.waiting_cutoff(db.session.get(Registration, waiting)))
    committed(cancel_event, full.id)  # Jana holds the promoted seat there: the event is called off
    manage.post(f"{path}/registrations/{jana.id}/cancel")  # cancelling with the calendar's CANCEL

    # Profile mails: the link again, the codes, the yearly question, and the erasure's CANCEL.
    again = committed(sign_up, later, "jana@example.org")
    committed(confirm, again)
    client.post("/link", data={"email": "jana@example.org"})
    manage.post(f"{path}/export", data={"step": "request"})
    manage.post(f"{path}/erase", data={"step": "request"})
    for _try in range(5):  # five wrong tries end the code, and the owner hears of it
        manage.post(f"{path}/erase", data={"code": "000000"})
    committed(reconfirm_consents, newest(ReturneeProfile, email="jana@example.org"))

    # Employers: sign-up and its twin, approval, colleagues, stands, a vacancy on the board; a password reset.
    signup = {
        "name": "Lausitzer Elektrotechnik GmbH", "town": "5", "street": "Bahnhofstraße 12", "postal_code": "01968",
        "locality": "Senftenberg", "sector": "2", "size_band": "10-49", "contact_name": "Katrin Schulze",
        "email": "k.schulze@lausitz-elektro.example", "password": "Lausitzer Seenland 2026",
    }  # fmt: skip
    client.post("/employer/signup", data=signup)
    client.post("/employer/signup", data=signup)
    user = employer.users[0]

    def speaks(user_id: int) -> None:
        db.session.get(User, user_id).language = language

    committed(speaks, user.id)
    committed(speaks, pending.users[0].id)
    committed(approve_employer, pending.id)
    company = app.test_client()
    company.post("/sprache", data={"lang": language, "next": "/"})
    company.post("/login", data={"email": user.email, "password": PASSWORD})
    company.post("/employer/colleagues", data={"email": "neu@kraftwerk.example"})
    company.post("/employer/colleagues", data={"email": pending.users[0].email})
    committed(confirm_stand, stand.id)
    client.post("/password/forgot", data={"email": user.email})

    # Matching: a job alert without an event (its double opt-in), the digests of the command line, the pool's
    # contact request and its answer, the employers' pool digest.
    alert = {"email": "leser@example.org", "occupation_group": "81", "skill_level": "2", "towns": ["senftenberg"],
             "frequency": "weekly", "language": language, "consent": "y"}  # fmt: skip
    client.post("/jobs/alert", data=alert)
    wait_for_background_threads(app)  # the subscription is stored beside the response
    app.test_client().post(path_of(subscription_url("alerts.confirm", newest(AlertSubscription))))
    committed(publish_vacancy, vacancy.id)  # new for Jana and for the alert
    result = runner.invoke(args=["matches", "send-digests"])
    assert "digests to returnees 1" in result.output, result.output
    # The alert's first digest is due a week after its confirmation.
    assert committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))["subscribers"] == 1
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == profile.id))
    company.post(f"/employer/pool/{key}", data={"message": "Wir suchen Pflegekräfte in Senftenberg."})
    request = newest(ContactRequest, profile_id=profile.id)
    manage.post(f"{path}/contact/{request.id}", data={"answer": "accept", "share_email": "y"})
    committed(send_pool_digests)

    # The organizers' workspace: a new organizer, the approvals' answers, a mail to the attendees, new events.
    refused = make_employer(name="Zweifel AG", status=EmployerStatus.PENDING, approved_at=None)
    changes = {"pending_changes": {"name": "Bäckerei Krause & Söhne"}, "changes_submitted_at": datetime.now(UTC)}
    renamed = make_employer(name="Bäckerei Krause", **changes)
    misnamed = make_employer(name="Bäckerei Schulze", **changes)
    for company_user in (refused.users[0], renamed.users[0], misnamed.users[0]):
        committed(speaks, company_user.id)
    staff = app.test_client()
    admin = make_staff(role=Role.ADMIN, language=language)
    staff_login(staff, admin)
    staff.post("/sprache", data={"lang": language, "next": "/"})
    staff.post("/organizer/accounts", data={"full_name": "Nele Neu", "email": "neu@grossraeschen.example",
                                            "role": "organizer", "towns": [str(town("grossraeschen").id)]})  # fmt: skip
    staff.post(f"/organizer/approvals/employers/{refused.id}/decline", data={"reason": "Kein Sitz in der Region."})
    staff.post(f"/organizer/approvals/profiles/{renamed.id}/approve")
    staff.post(f"/organizer/approvals/profiles/{misnamed.id}/decline", data={"reason": "Der Name stimmt nicht."})
    mailing = {"audience": "all", "subject_de": "Parken am Rathaus", "body_de": "Bitte parken Sie am Markt.",
               "subject_en": "Parking", "body_en": "Please park at the market square."}  # fmt: skip
    # The token the preview would put into the form: the preview renders the mail, which would count as sent here.
    token = preview_token(later.id, admin.id, MailingContent(**mailing), None)
    staff.post(f"/organizer/events/{later.id}/mail", data={**mailing, "step": "send", "preview_token": token})
    committed(send_mailing_batches)
    draft = make_event(title="Rückkehrertag Großräschen", status=EventStatus.DRAFT)
    staff.post(f"/organizer/events/{draft.id}/publish")
    committed(send_news_batches)  # the invitations to the new day go out in batches
    app.config["EXPORT_BACKGROUND_ROWS"] = 0  # every export runs in the background and ends with a mail
    export = {"columns": ["last_name"], "purpose": "event", "file_format": "csv", "action": "export"}
    staff.post(f"/organizer/events/{later.id}/export", data=export)


def buttons(html: str) -> list[tuple[str, str]]:
    """The buttons of a mail's HTML (links drawn as buttons) with the plain address below each."""
    found = []
    for match in re.finditer(r'<a href="([^"]+)" style="display: inline-block;[^"]*">([^<]+)</a>', html):
        rest = html[match.end() :]
        plain = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', rest)
        found.append((match.group(1), plain.group(2) if plain else ""))
    return found


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_mail_has_the_layout_the_contact_and_the_readers_language(
    app: Flask,
    smtp: SMTPServer,
    town: Callable[[str], Town],
    make_event: Callable[..., Event],
    make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Vacancy],
    make_stand: Callable[..., StandBooking],
    make_staff: Callable[..., User],
    staff_login: Callable[[FlaskClient, User], Any],
    runner: FlaskCliRunner,
    german: GermanMessages,
    rendered_templates: list[str],
    language: str,
) -> None:
    give_every_town_a_contact(town)

    def delivered() -> list[ReceivedMail]:
        """Every mail rendered so far, as it arrived (an erasure would delete the returnee's undelivered ones)."""
        wait_for_background_threads(app)
        count = len(mails_rendered(rendered_templates))
        return wait_until(lambda: smtp.messages if len(smtp.messages) >= count else None)

    send_every_mail(app, language, make_event, make_employer, make_vacancy, make_stand, town=town,
                    make_staff=make_staff, staff_login=staff_login, runner=runner)  # fmt: skip
    delivered()
    committed(erase_profile, newest(ReturneeProfile, email="jana@example.org").id)  # the last: a CANCEL
    mails = delivered()
    sent = mails_rendered(rendered_templates)
    assert {Path(name).stem for name in sent} == mail_templates()  # every mail, at least once
    assert len(mails) == len(sent)

    contacts = {email: name for name, email, _phone in CONTACTS.values()}
    problems: dict[str, list[str]] = {}
    for mail in mails:
        subject, text, html = str(mail.message["Subject"]), mail.text_body(), mail.html_body()
        found = []
        # Replies go to the town's contact person, whom the footer names; never to the no-reply sender.
        [reply_to] = mail.message["Reply-To"].addresses
        if contacts.get(reply_to.addr_spec) != reply_to.display_name or reply_to.display_name not in text:
            found.append(f"Reply-To {reply_to}")
        # One layout: the town's name, a button with the plain address below it; no images, nothing remote.
        if f'<html lang="{language}">' not in html or "<img" in html or "src=" in html or "<link" in html:
            found.append("not the layout")
        if not any(text.startswith(greeting) for greeting in ("Guten Tag", "Hello")):
            found.append("no greeting")
        for href, plain in buttons(html):
            if plain != href or href not in text:
                found.append(f"button without its plain link: {href}")
        # Every link to the site opens in the reader's language, also in a fresh browser.
        for link in set(LINK.findall(text) + LINK.findall(html)):
            if (language == "en") != ("lang=en" in link):
                found.append(f"link {link}")
        if language == "en":
            found += german.in_text(subject) + german.in_text(text) + german.in_html(html)
        elif not german.in_text(text) or not german.in_html(html):
            found.append("the reader finds no German in a German mail: it does not read mails")
        if found:
            problems[f"{subject} → {mail.envelope_to[0]}"] = found
    assert problems == {}, "\n".join(f"{what}: {found}" for what, found in problems.items())
    with_buttons = [mail for mail in mails if buttons(mail.html_body())]
    assert len(with_buttons) > len(mails) // 2
    town_names = {town(slug).name for slug in CONTACTS}
    assert all(any(name in " ".join(readable_texts(m.html_body(), language)[:3]) for name in town_names) for m in mails)
