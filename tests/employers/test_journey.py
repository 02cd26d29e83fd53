"""The whole employer journey: sign-up, verification, approval, vacancy, publication, the board, expiry."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import Employer, Vacancy, VacancyStatus
from rueckkehr.employers.vacancies import expire_vacancies
from rueckkehr.extensions import db
from rueckkehr.jobs.runner import run_due_jobs
from rueckkehr.mail.delivery import deliver_due
from tests.support.smtp import SMTPServer
from tests.support.units import committed

SIGNUP = {
    "name": "Lausitzer Elektrotechnik GmbH",
    "town": "5",
    "street": "Bahnhofstraße 12",
    "postal_code": "01968",
    "locality": "Senftenberg",
    "sector": "2",
    "size_band": "10-49",
    "website": "www.lausitz-elektro.example",
    "description": "Elektroinstallation für Gewerbe und Wohnungsbau.",
    "contact_name": "Katrin Schulze",
    "email": "k.schulze@lausitz-elektro.example",
    "password": "Lausitzer Seenland 2026",
}


def link_in(mail: Any) -> str:
    """The path of the first link to this site in a mail."""
    match = re.search(r"http://rueckkehr\.test(/\S+)", mail.text_body())
    assert match, mail.text_body()
    return match.group(1)


def vacancy_form(**values: Any) -> dict[str, Any]:
    """A complete vacancy form."""
    return {
        "title": "Elektrikerin / Elektriker für Gebäudetechnik",
        "occupation_group": "26",
        "skill_level": "2",
        "town": "5",
        "working_times": ["full_time", "shifts"],
        "contract": "permanent",
        "starts_on": "",
        "salary_min": "3.200",
        "salary_max": "3800",
        "salary_period": "month",
        "description": "Sie installieren und warten **Elektroanlagen**.\n\n- Meisterbetrieb\n- Firmenwagen",
        "apply_url": "",
        "apply_email": "bewerbung@lausitz-elektro.example",
        "valid_until": (berlin_today() + timedelta(weeks=8)).isoformat(),
        **values,
    }


def test_employer_journey_from_signup_to_expiry(
    client: FlaskClient, runner: FlaskCliRunner, smtp: SMTPServer, app: Flask
) -> None:
    page = client.get("/employer/signup")
    assert "Als Arbeitgeber registrieren" in page.get_data(as_text=True)

    response = client.post("/employer/signup", data=SIGNUP)
    assert response.status_code == 303
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in sent

    [mail] = smtp.wait_for(1)
    assert mail.message["To"] == "Katrin Schulze <k.schulze@lausitz-elektro.example>"
    assert mail.message["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert "Guten Tag Katrin Schulze," in mail.text_body()
    verify_path = link_in(mail)

    # Before verification the employer cannot log in.
    refused = client.post("/login", data={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert refused.status_code == 422
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in refused.get_data(as_text=True)

    # The link opens a page with a button; only the POST confirms.
    landing = client.get(verify_path)
    assert "E-Mail-Adresse jetzt bestätigen" in landing.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == SIGNUP["email"]))
    assert user.email_verified_at is None
    confirmed = client.post(verify_path)
    assert "E-Mail-Adresse bestätigt" in confirmed.get_data(as_text=True)
    assert client.post(verify_path).status_code == 404  # single use

    db.session.rollback()
    employer = db.session.scalar(select(Employer).where(Employer.name == SIGNUP["name"]))
    assert client.get(f"/employers/{employer.id}").status_code == 404  # not public before approval

    login = client.post("/login", data={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert login.headers["Location"] == "/employer"
    dashboard = client.get("/employer").get_data(as_text=True)
    assert "Ihr Unternehmen wartet auf die Freigabe" in dashboard

    created = client.post("/employer/vacancies/new", data=vacancy_form())
    assert created.status_code == 303
    vacancy_page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "Entwurf" in vacancy_page
    assert "<strong>Elektroanlagen</strong>" in vacancy_page
    assert "3.200\xa0€ – 3.800\xa0€ pro Monat" in vacancy_page
    db.session.rollback()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.employer_id == employer.id))
    submitted = client.post(f"/employer/vacancies/{vacancy.id}/submit", follow_redirects=True)
    assert "Nach der Freigabe erscheint sie in der Stellenbörse" in submitted.get_data(as_text=True)
    assert "Elektrikerin / Elektriker" not in client.get("/jobs").get_data(as_text=True)

    db.session.rollback()
    result = runner.invoke(args=["employers", "pending"])
    assert f"employer {employer.id}: {SIGNUP['name']}" in result.output
    assert f"vacancy {vacancy.id}:" in result.output
    result = runner.invoke(args=["employers", "approve", str(employer.id)])
    assert result.exit_code == 0, result.output
    assert f"Approved employer {employer.id}" in result.output
    result = runner.invoke(args=["employers", "publish-vacancy", str(vacancy.id)])
    assert result.exit_code == 0, result.output
    deliver_due()
    approved_mail = smtp.wait_for(2)[1]
    assert approved_mail.message["Subject"] == f"{SIGNUP['name']} ist freigegeben"

    board = client.get("/jobs?q=Elektriker&town=senftenberg").get_data(as_text=True)
    assert "1 Stelle gefunden" in board
    assert "Elektrikerin / Elektriker für Gebäudetechnik" in board
    assert SIGNUP["name"] in client.get("/employers").get_data(as_text=True)
    profile = client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert "Elektrikerin / Elektriker für Gebäudetechnik" in profile
    assert client.get(f"/jobs/{vacancy.id}").status_code == 200

    # The day after valid-until, the periodic job expires it: it leaves the board, the employer still sees it.
    db.session.rollback()
    valid_until = db.session.get(Vacancy, vacancy.id).valid_until
    from datetime import UTC, datetime, time

    day_after = datetime.combine(valid_until + timedelta(days=1), time(12), tzinfo=UTC)
    assert committed(expire_vacancies, day_after) == 1
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).status == VacancyStatus.EXPIRED
    assert "0 Stellen gefunden" in client.get("/jobs").get_data(as_text=True)
    assert client.get(f"/jobs/{vacancy.id}").status_code == 410  # gone, and the page says so
    own = client.get(f"/employer/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "Abgelaufen" in own


def test_the_periodic_jobs_include_the_expiry(app: Flask, make_vacancy: Callable[..., Vacancy]) -> None:
    stale = make_vacancy(valid_until=berlin_today() - timedelta(days=1))
    fresh = make_vacancy(valid_until=berlin_today())
    outcome = run_due_jobs()
    assert outcome["vacancies.expire"] == "1"
    db.session.expire_all()
    assert db.session.get(Vacancy, stale.id).status == VacancyStatus.EXPIRED
    assert db.session.get(Vacancy, fresh.id).status == VacancyStatus.PUBLISHED


def test_signup_answers_the_same_for_a_known_address(
    client: FlaskClient, smtp: SMTPServer, make_employer: Callable[..., Employer]
) -> None:
    existing = make_employer().users[0]
    response = client.post("/employer/signup", data={**SIGNUP, "email": existing.email})
    assert response.status_code == 303
    assert response.headers["Location"] == "/employer/signup/sent"
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Registrierung mit Ihrer E-Mail-Adresse"
    db.session.rollback()
    assert db.session.scalar(select(Employer).where(Employer.name == SIGNUP["name"])) is None


def test_signup_shows_errors_beside_the_fields(client: FlaskClient) -> None:
    response = client.post(
        "/employer/signup", data={**SIGNUP, "postal_code": "123", "password": "kurz", "email": "kein-at"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert "Eine deutsche Postleitzahl hat fünf Ziffern." in page
    assert "mindestens 12 Zeichen" in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in page


def test_approval_waits_for_a_confirmed_address(runner: FlaskCliRunner, make_employer: Callable[..., Employer]) -> None:
    from rueckkehr.employers.models import EmployerStatus

    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None, verified=False)
    result = runner.invoke(args=["employers", "approve", str(employer.id)])
    assert result.exit_code != 0
    assert "confirmed an e-mail address" in result.output
    assert runner.invoke(args=["employers", "approve", "99999"]).exit_code != 0


def test_vacancy_form_reports_bad_input(
    client: FlaskClient, make_employer: Callable[..., Employer], login: Callable
) -> None:
    user = make_employer().users[0]
    login(client, user.email)
    response = client.post(
        "/employer/vacancies/new",
        data=vacancy_form(
            title="",
            town="other",
            working_times=[],
            valid_until="2001-01-01",
            salary_min="viel",
            apply_email="",
            starts_on="morgen",
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "Bitte geben Sie die Stellenbezeichnung an.",
        "Bitte nennen Sie den Arbeitsort.",
        "Bitte wählen Sie mindestens eine Arbeitszeit.",
        "Das Datum liegt in der Vergangenheit.",
        "Bitte geben Sie einen Betrag in ganzen Euro an",
        "Bitte geben Sie eine Webadresse oder eine E-Mail-Adresse für Bewerbungen an.",
        "Bitte geben Sie den Beginn als Datum an",
    ):
        assert message in page
