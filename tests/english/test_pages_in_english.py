"""Every page and every form with its errors, opened in English, shows no German message id of the catalogue.

The pages are opened as a visitor opens them (a client that chose English, or a link with ``?lang=en``), the
forms sent empty or wrong; every page template must have been shown at least once, so a new page cannot slip by.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from rueckkehr.accounts.models import Role, User
from rueckkehr.accounts.tokens import TokenPurpose, issue_token
from rueckkehr.advice.models import AdviceTalk
from rueckkehr.background import wait_for_background_threads
from rueckkehr.dates import BERLIN, utcnow
from rueckkehr.employers.models import Employer, EmployerStatus, StandBooking
from rueckkehr.employers.operations import confirm_stand
from rueckkehr.events.models import EventSeries
from rueckkehr.extensions import db
from rueckkehr.matching.links import subscription_url, unsubscribe_url
from rueckkehr.matching.models import AlertSubscription, ContactRequest, PoolCard
from rueckkehr.matching.pool_operations import sync_pool_cards
from rueckkehr.organizer.operations import STAFF_INVITE_LIFETIME
from rueckkehr.returnees.models import ConsentPurpose, ReturneeProfile
from rueckkehr.returnees.operations import give_consent
from tests.support.employers import PASSWORD as EMPLOYER_PASSWORD
from tests.support.german import GermanMessages
from tests.support.organizers import PASSWORD as STAFF_PASSWORD
from tests.support.organizers import totp_code
from tests.support.smtp import SMTPServer
from tests.support.units import committed
from tests.support.world import (
    World,
    en,
    english_client,
    page_templates,
    path_of,
    png,
    registration_form,
    upload,
)


class Reader:
    """Opens pages in English and notes every German message id it meets."""

    def __init__(self, german: GermanMessages) -> None:
        self.german = german
        self.found: dict[str, list[str]] = {}

    def read(self, response: TestResponse, what: str) -> TestResponse:
        """Check one response: English, no German message id, no server error."""
        assert response.status_code < 500, (what, response.status_code)
        if response.mimetype != "text/html":
            return response
        html = response.get_data(as_text=True)
        assert '<html lang="en">' in html, what
        if found := self.german.in_html(html):
            self.found[what] = found
        return response

    def get(self, client: FlaskClient, path: str) -> TestResponse:
        return self.read(client.get(path, follow_redirects=True), f"GET {path}")

    def post(self, client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        response = client.post(path, data=data or {}, follow_redirects=True, **kwargs)
        return self.read(response, f"POST {path} {sorted((data or {}).keys())}")


def mail_with(smtp: SMTPServer, after: int, subject: str) -> Any:
    """The first mail after the first ``after`` whose subject contains ``subject`` (mails arrive in any order)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for mail in smtp.messages[after:]:
            if subject in str(mail.message["Subject"]):
                return mail
        time.sleep(0.05)
    raise AssertionError(f"no mail about {subject!r}")


def code_in(mail: Any) -> str:
    """The six-digit code of an (English) code mail."""
    match = re.search(r"\b(\d{6})\b", mail.text_body())
    assert match, mail.text_body()
    return match.group(1)


def newest(model: type, **where: Any) -> Any:
    """The newest committed row of a model that matches."""
    db.session.rollback()
    query = select(model).filter_by(**where).order_by(model.id.desc())  # type: ignore[attr-defined]
    return db.session.scalars(query).first()


def read_matching(reader: Reader, app: Flask, w: World, visitor: FlaskClient, fresh: FlaskClient) -> None:
    """Job alerts without an event, the returnee's matches, fair plan and contact answer, the employers' pool."""
    reader.get(visitor, "/jobs/alert")
    reader.post(visitor, "/jobs/alert", {"email": "x", "occupation_group": ""})
    alert = {"email": "leser@example.org", "occupation_group": "26", "language": "en", "consent": "y"}
    reader.post(visitor, "/jobs/alert", alert)
    wait_for_background_threads(app)  # the subscription is stored beside the response
    subscription = newest(AlertSubscription)
    confirm_link, preferences = (
        path_of(subscription_url(endpoint, subscription)) for endpoint in ("alerts.confirm", "alerts.preferences")
    )
    unsubscribe = path_of(unsubscribe_url(subscription))
    for path in (confirm_link, preferences, unsubscribe, "/jobs/alert/confirm/nonsense"):
        reader.get(fresh, en(path))
    reader.post(fresh, en(confirm_link))
    reader.post(fresh, en(preferences), {"occupation_group": "", "frequency": "never"})
    reader.post(fresh, en(unsubscribe))

    # The returnee's side: alerts, matches, the fair plan of a day with exhibitors, a contact request to answer.
    def electrician() -> None:  # the field of the world's vacancy, whose company exhibits at the open day
        profile = db.session.get(ReturneeProfile, w.profile.id)
        profile.occupation_group_code, profile.skill_level = "26", 2
        give_consent(profile, ConsentPurpose.EMPLOYER_POOL)
        confirm_stand(db.session.scalars(select(StandBooking.id).where(StandBooking.event_id == w.open_event.id)).one())

    committed(electrician)
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == w.profile.id))
    company = english_client(app)
    assert company.post("/login", data={"email": w.user.email, "password": NEW_PASSWORD}).status_code == 303
    for path in ("/employer/pool", "/employer/pool?field=99&town=atlantis", f"/employer/pool/{key}",
                 "/employer/pool/gone-card", "/employer/pool/requests"):  # fmt: skip
        reader.get(company, path)
    reader.post(company, f"/employer/pool/{key}", {"message": "Mehr unter https://evil.example"})
    reader.post(company, f"/employer/pool/{key}", {"message": "Wir suchen Elektriker in Lauchhammer."})
    request = newest(ContactRequest, profile_id=w.profile.id)
    manage = w.manage
    for path in (f"{manage}/alerts", f"{manage}/matches", f"{manage}/fair-plan/{w.open_event.id}",
                 f"{manage}/contact/{request.id}"):  # fmt: skip
        reader.get(fresh, en(path))
    reader.post(fresh, en(f"{manage}/alerts"), {"frequency": "never"})
    reader.post(fresh, en(f"{manage}/contact/{request.id}"), {"answer": "maybe"})
    reader.post(fresh, en(f"{manage}/contact/{request.id}"), {"answer": "accept", "share_email": "y"})
    reader.get(company, "/employer/pool/requests")


def read_workspace(reader: Reader, app: Flask, w: World, smtp: SMTPServer, make_staff: Callable[..., User]) -> None:
    """The organizers' workspace in English: logging in with the second factor, and every screen with its forms."""
    admin = make_staff(role=Role.ADMIN, full_name="Ada Admin")
    staff = english_client(app)
    reader.post(staff, "/login", {"email": admin.email, "password": STAFF_PASSWORD})  # the code is asked for
    reader.post(staff, "/login/second-factor", {"code": "12"})
    assert staff.post("/login/second-factor", data={"code": totp_code(admin)}).status_code == 303
    pending = newest(Employer, status=EmployerStatus.PENDING)

    def fill() -> tuple[int, int]:
        series = EventSeries(title="Rückkehrertage 2027")
        talk = AdviceTalk(profile_id=w.profile.id, town_id=w.open_event.venue.town_id)
        db.session.add_all([series, talk])
        db.session.flush()
        return series.id, talk.id

    series_id, talk_id = committed(fill)
    event = w.open_event
    organizer = make_staff(role=Role.ORGANIZER, full_name="Olaf Organisator")
    venue = str(event.venue_id)
    day = event.starts_at.astimezone(BERLIN).strftime("%d.%m.%Y")
    for path in [
        "/organizer", "/organizer/mails", "/organizer/audit", "/organizer/audit?verb=kaputt", "/organizer/security",
        "/organizer/accounts", f"/organizer/accounts/{organizer.id}", "/organizer/events", "/organizer/events/new",
        f"/organizer/events/{event.id}", f"/organizer/events/{event.id}/edit", f"/organizer/events/{event.id}/move",
        f"/organizer/events/{event.id}/cancel", "/organizer/series", f"/organizer/series/{series_id}",
        f"/organizer/series/{series_id}/edit",
        "/organizer/venues", "/organizer/venues/new", f"/organizer/venues/{event.venue_id}",
        f"/organizer/events/{event.id}/registrations", f"/organizer/events/{event.id}/registrations/walk-in",
        f"/organizer/events/{event.id}/registrations/{w.confirmed_id}", f"/organizer/events/{event.id}/mail",
        f"/organizer/events/{event.id}/registrations/{w.confirmed_id}/cancel", "/organizer/approvals",
        f"/organizer/approvals/employers/{pending.id}", "/organizer/advice",
        f"/organizer/advice/{talk_id}", "/organizer/towns", "/organizer/towns/senftenberg",
        f"/organizer/events/{event.id}/check-in", f"/organizer/events/{event.id}/export",
        f"/organizer/series/{series_id}/registrations", "/organizer/figures", f"/organizer/figures/events/{event.id}",
        "/organizer/retention",
    ]:  # fmt: skip
        reader.get(staff, path)
    # Exports: a column-less choice (its error), the door list, and one made in the background until its link expires.
    export = {"columns": ["last_name", "first_name"], "purpose": "event", "action": "export"}
    reader.post(staff, f"/organizer/events/{event.id}/export", {"purpose": "event", "action": "export"})
    reader.post(staff, f"/organizer/events/{event.id}/export", {**export, "file_format": "print"})
    app.config["EXPORT_BACKGROUND_ROWS"] = 0
    job = staff.post(f"/organizer/events/{event.id}/export", data={**export, "file_format": "csv"}).location
    reader.get(staff, job)
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        reader.get(staff, f"{job}/download")
    reader.post(staff, "/organizer/accounts", {"full_name": "", "email": "x", "role": "organizer"})
    reader.post(staff, f"/organizer/accounts/{organizer.id}", {"role": "nobody"})
    reader.post(staff, "/organizer/events/new", {"title": "", "day": "31.02.2031", "starts": "25:00", "ends": "x"})
    reader.post(staff, f"/organizer/events/{event.id}/edit", {"title": "", "capacity": "-1"})
    reader.post(staff, f"/organizer/events/{event.id}/move", {"venue": venue, "day": day, "starts": "11:00",
                                                               "ends": "16:00"})  # fmt: skip
    reader.post(staff, f"/organizer/events/{event.id}/move", {"day": "gestern"})
    reader.post(staff, f"/organizer/events/{event.id}/programme", {"title": "", "starts": "x"})
    reader.post(staff, "/organizer/series", {"title": ""})
    reader.post(staff, f"/organizer/series/{series_id}/edit", {"title": ""})
    reader.post(staff, "/organizer/venues/new", {"name": "", "latitude": "north"})
    reader.post(staff, f"/organizer/events/{event.id}/registrations/walk-in", {"first_name": "", "email": "x"})
    reader.post(staff, f"/organizer/events/{w.past_event.id}/registrations/walk-in", {"first_name": "Tom"})  # over
    reader.post(staff, f"/organizer/events/{event.id}/mail", {"subject_de": "", "body_de": ""})
    mailing = {"audience": "all", "subject_de": "Parken", "body_de": "Bitte parken Sie am Markt.",
               "body_en": "Please park at the market.", "step": "preview"}  # fmt: skip
    reader.post(staff, f"/organizer/events/{event.id}/mail", mailing)
    reader.post(staff, f"/organizer/approvals/employers/{pending.id}/decline", {"reason": ""})
    reader.post(staff, f"/organizer/advice/{talk_id}", {"status": "kaputt"})
    reader.post(staff, "/organizer/towns/senftenberg", {"contact_email": "x", "contact_phone": "y"})
    reader.post(staff, "/organizer/security", {"action": "renew"})  # ten new recovery codes

    # A new organizer: the invitation's page, and the first log-in that sets up the second factor.
    token = committed(lambda: issue_token(TokenPurpose.STAFF_INVITE, STAFF_INVITE_LIFETIME,
                                          user=db.session.get(User, organizer.id)))  # fmt: skip
    db.session.execute(update(User).where(User.id == organizer.id).values(totp_secret=None, totp_enabled_at=None))
    db.session.commit()
    newcomer = english_client(app)
    reader.get(newcomer, f"/organizer/join/{token}")
    reader.post(newcomer, f"/organizer/join/{token}", {"full_name": "", "password": "kurz"})
    reader.post(newcomer, "/login", {"email": organizer.email, "password": STAFF_PASSWORD})  # to the enrolment
    reader.post(newcomer, "/login/enrol", {"code": "000000"})


NEW_PASSWORD = "A long new password 2026"  # the company's, chosen through the reset link


def test_every_page_and_every_form_with_its_errors_speaks_english(
    app: Flask,
    world: World,
    german: GermanMessages,
    smtp: SMTPServer,
    rendered_templates: list[str],
    make_staff: Callable[..., User],
    make_user: Callable[..., User],
) -> None:
    reader = Reader(german)
    visitor = english_client(app)
    w = world
    for path in [
        "/", "/events", "/events?past=1", "/events?town=schipkau", "/events?month=kaputt",
        *(f"/events/{e.id}" for e in (w.open_event, w.full_event, w.cancelled_event, w.past_event, w.early_event,
                                      w.closed_event)),
        f"/events/{w.open_event.id}/register", f"/events/{w.closed_event.id}/register",
        f"/events/{w.early_event.id}/register", "/confirm/invalid",
        "/impressum", "/datenschutz", "/barrierefreiheit", "/gibt-es-nicht",
        "/jobs", "/jobs?field=99&town=atlantis&level=9&time=never", f"/jobs/{w.published.id}", f"/jobs/{w.draft.id}",
        "/api/v1/docs",
        "/employers", f"/employers/{w.employer.id}", "/link", "/login", "/password/forgot",
        f"/password/reset/{w.reset_token}", "/password/reset/nonsense", f"/verify/{w.verify_token}",
        "/employer/signup", "/employer/signup/sent", f"/employer/join/{w.invite_token}",
    ]:  # fmt: skip
        reader.get(visitor, path)

    # The registration form, empty and wrong; then a seat and a waiting place ("sent").
    reader.post(visitor, f"/events/{w.open_event.id}/register")
    reader.post(
        visitor, f"/events/{w.open_event.id}/register", registration_form(email="x", phone="12", reason="a" * 1200)
    )
    reader.post(visitor, f"/events/{w.open_event.id}/register", registration_form(email="tom@example.org"))
    reader.post(visitor, f"/events/{w.full_event.id}/register", registration_form(email="tim@example.org"))

    # A link from a mail, in a fresh browser: the language travels in the link.
    fresh = app.test_client()
    reader.get(fresh, w.confirm_link)
    reader.post(fresh, w.confirm_link)

    # The self-service pages and their forms.
    manage = w.manage
    for path in [
        manage, f"{manage}/profile", f"{manage}/export", f"{manage}/erase", f"{manage}/reconfirm",
        f"{manage}/registrations/{w.confirmed_id}/cancel", f"{manage}/registrations/{w.waiting_id}/cancel",
        f"{manage}/registrations/{w.confirmed_id}/companions", w.calendar_link, f"{w.calendar_link}/cancel",
        w.unsubscribe_link,
    ]:  # fmt: skip
        reader.get(fresh, en(path))
    reader.post(fresh, en(f"{manage}/profile"), {"first_name": "", "postal_code": "12", "country": "DE", "phone": "x"})
    reader.post(fresh, en(f"{manage}/registrations/{w.confirmed_id}/companions"), {"companions": "5"})
    reader.post(fresh, en(f"{manage}/registrations/{w.confirmed_id}/companions"), {"companions": "2"})
    reader.post(fresh, en(f"{manage}/export"), {"code": "12"})
    reader.post(fresh, en(f"{manage}/erase"), {"code": "000000"})
    reader.post(fresh, en(f"{manage}/consents"), {"consent_news": "y"})
    reader.post(fresh, en(f"{manage}/reconfirm"))
    reader.post(fresh, en(w.unsubscribe_link))
    reader.post(fresh, en(f"{manage}/registrations/{w.waiting_id}/cancel"))
    before = len(smtp.messages)
    reader.post(fresh, en(f"{manage}/export"), {"step": "request"})
    code = code_in(mail_with(smtp, before, "code"))
    reader.post(fresh, en(f"{manage}/export"), {"code": code})
    reader.post(visitor, "/link", {"email": "no"})
    reader.post(visitor, "/link", {"email": "jana@example.org"})

    # Accounts and the employers' sign-up, with their errors; a logo chosen in a failed sign-up is kept.
    reader.post(visitor, "/login", {"email": "", "password": ""})
    reader.post(visitor, "/login", {"email": w.user.email, "password": "wrong password 123"})
    reader.post(visitor, "/password/forgot", {"email": "x"})
    reader.post(visitor, "/password/forgot", {"email": "nobody@example.org"})
    reader.post(visitor, f"/password/reset/{w.reset_token}", {"password": "short"})
    reader.post(visitor, f"/password/reset/{w.reset_token}", {"password": "A long new password 2026"})
    reader.post(visitor, f"/verify/{w.verify_token}")
    newcomer = english_client(app)  # the company just verified waits for approval: the pool says so
    pending_user = newest(Employer, status=EmployerStatus.PENDING).users[0].email
    assert newcomer.post("/login", data={"email": pending_user, "password": EMPLOYER_PASSWORD}).status_code == 303
    assert reader.get(newcomer, "/employer/pool").status_code == 403
    reader.post(visitor, "/employer/signup")
    signup = reader.post(
        visitor, "/employer/signup", {"logo": upload(png(), "firma.png")}, content_type="multipart/form-data"
    )
    assert "firma.png" in signup.get_data(as_text=True)
    reader.post(visitor, f"/employer/join/{w.invite_token}", {"full_name": "", "password": "x"})

    # The company's own area.
    company = english_client(app)
    assert company.post("/login", data={"email": w.user.email, "password": NEW_PASSWORD}).status_code == 303
    for path in [
        "/employer", "/employer/profile", "/employer/vacancies/new", f"/employer/vacancies/{w.published.id}",
        f"/employer/vacancies/{w.draft.id}", f"/employer/vacancies/{w.draft.id}/edit", "/employer/stands",
        "/employer/colleagues",
    ]:  # fmt: skip
        reader.get(company, path)
    reader.post(company, "/employer/profile", {"name": "", "postal_code": "1", "website": "no url"})
    reader.post(
        company, "/employer/logo", {"logo": upload(b"not an image", "logo.png")}, content_type="multipart/form-data"
    )
    reader.post(company, "/employer/vacancies/new", {"salary_min": "viel", "valid_until": "gestern"})
    reader.post(company, f"/employer/vacancies/{w.draft.id}/edit", {"title": ""})
    reader.post(company, "/employer/stands", {"event": ""})
    reader.post(company, "/employer/colleagues", {"email": "x"})
    reader.post(company, f"/employer/vacancies/{w.draft.id}/submit")
    colleague = make_user(role=Role.EMPLOYER, employer_id=w.employer.id, full_name="Kai Kollege")
    reader.get(company, f"/employer/colleagues/{colleague.id}/remove")
    reader.get(company, "/employer/account/delete")

    # What the matching and the organizers' workspace added; the public town pages.
    read_matching(reader, app, w, visitor, fresh)
    read_workspace(reader, app, w, smtp, make_staff)
    for path in ("/towns", "/towns/senftenberg", "/towns/atlantis"):
        reader.get(visitor, path)

    # Last, what ends the links: revoking them, and erasing everything.
    before = len(smtp.messages)
    reader.post(fresh, en(f"{manage}/revoke"))
    reader.get(fresh, en(manage))  # revoked: the page that offers a new link
    link_mail = mail_with(smtp, before, "link")  # the fresh self-service link
    new_manage = path_of(re.search(r"http://rueckkehr\.test/me/\S+", link_mail.text_body()).group(0))
    before = len(smtp.messages)
    reader.post(fresh, en(f"{new_manage}/erase"), {"step": "request"})
    code = code_in(mail_with(smtp, before, "code"))
    reader.post(fresh, en(f"{new_manage}/erase"), {"code": code})

    # The error pages no request of the test ends in (rate limits and CSRF are off in tests).
    for code_template in ("errors/403.html", "errors/429.html", "errors/500.html", "errors/generic.html"):
        with app.test_request_context("/?lang=en"):
            html = render_template(code_template, code=418, error=None)
        if found := german.in_html(html):
            reader.found[code_template] = found
    with app.test_request_context("/?lang=en"):
        html = render_template("jobs/gone.html", gone=True)  # a job that left the board (a draft's page is read above)
    if found := german.in_html(html):
        reader.found["jobs/gone.html"] = found

    assert reader.found == {}, "\n".join(f"{what}: {found}" for what, found in reader.found.items())
    missing = page_templates() - {name for name in rendered_templates if not name.startswith("email/")}
    assert missing == set(), f"open these pages in the test too: {sorted(missing)}"


def test_the_reader_finds_the_german_it_must_find(
    app: Flask, world: World, german: GermanMessages, client: FlaskClient
) -> None:
    """The check itself: on the German form with its errors it finds labels, options, hints and messages."""
    html = client.post(f"/events/{world.open_event.id}/register", data={}).get_data(as_text=True)
    found = german.in_html(html)
    expected_ids = (
        "Vorname",
        "Anrede",
        "Bitte geben Sie Ihren Vornamen an.",
        "Pflichtfeld",
        "Schicht/Nacht/Wochenende",
    )
    for expected in expected_ids:
        assert expected in found
    assert german.in_html(html.replace('lang="de"', 'lang="en"')) == found  # the page's own lang is no excuse
    assert german.in_html('<p>Please enter your first name.</p><button lang="de">Deutsch</button>') == []
