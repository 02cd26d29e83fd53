"""What employers are told and what they keep: a logo survives a failed sign-up, the stand picker names day and
town, publishing a vacancy mails the company (in its language, from the CLI at once), drafts are deleted rather
than withdrawn, and the CLI says when BASE_URL is missing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from config import DEFAULT_BASE_URL
from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.employers.logos import delete_stale_pending, logo_path, pending_folder
from rueckkehr.employers.models import Employer, Vacancy, VacancyStatus
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from tests.employers.test_journey import SIGNUP
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """The app, its uploads in a temporary folder."""
    app = make_app(UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        yield app


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (90, 30), (30, 90, 160)).save(output, format="PNG")
    return output.getvalue()


def test_a_logo_chosen_in_a_failed_sign_up_is_kept_for_the_next_try(client: FlaskClient, app: Flask) -> None:
    failed = client.post(
        "/employer/signup",
        data={**SIGNUP, "name": "", "logo": (io.BytesIO(png()), "lausitz-logo.png")},
        content_type="multipart/form-data",
    )
    assert failed.status_code == 422
    html = failed.get_data(as_text=True)
    assert "Ihr Logo „lausitz-logo.png“ ist geprüft und bleibt gewählt" in visible_text(failed)
    token = re.search(r'name="logo_kept" type="hidden" value="([^"]+)"', html).group(1)
    [kept] = list(pending_folder().iterdir())

    tampered = client.post("/employer/signup", data={**SIGNUP, "name": "", "logo_kept": token[:-2] + "xx"})
    assert "bleibt gewählt" not in visible_text(tampered)  # a changed token names nothing

    done = client.post("/employer/signup", data={**SIGNUP, "logo_kept": token})  # no file chosen again
    assert done.status_code == 303
    db.session.rollback()
    employer = db.session.scalar(select(Employer).where(Employer.name == SIGNUP["name"]))
    assert employer.logo_filename and logo_path(employer.logo_filename).is_file()
    assert not kept.exists()  # stored with the company now; the kept copy is gone


def test_kept_logos_nobody_came_back_for_are_deleted_after_a_day(client: FlaskClient, app: Flask) -> None:
    client.post(
        "/employer/signup",
        data={**SIGNUP, "email": "", "logo": (io.BytesIO(png()), "logo.png")},
        content_type="multipart/form-data",
    )
    [kept] = list(pending_folder().iterdir())
    assert delete_stale_pending() == 0
    assert delete_stale_pending(datetime.now(UTC).timestamp() + 25 * 3600) == 1
    assert not kept.exists()


@time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False)
def test_the_stand_picker_names_the_day_and_the_town(
    client: FlaskClient, make_employer: Callable[..., Employer], make_event: Callable[..., Event], login: Callable
) -> None:
    start = datetime(2026, 12, 27, 9, 0, tzinfo=UTC)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=5))
    employer = make_employer()
    login(client, employer.users[0].email)
    page = client.get("/employer/stands").get_data(as_text=True)
    assert (
        f'<option value="{event.id}">Rückkehrertag Senftenberg – Sonntag, 27. Dezember 2026, Senftenberg</option>'
        in page
    )
    english = client.get("/employer/stands?lang=en").get_data(as_text=True)
    assert "Rückkehrertag Senftenberg – Sunday 27 December 2026, Senftenberg" in english


def test_publishing_a_vacancy_mails_the_company_at_once_from_the_cli_in_its_language(
    runner: Any, smtp: SMTPServer, make_employer: Callable[..., Employer], make_vacancy: Callable[..., Vacancy],
    town: Callable[[str], Any],
) -> None:  # fmt: skip
    employer = make_employer()

    def prepare() -> None:
        db.session.get(User, employer.users[0].id).language = "en"
        senftenberg = town("senftenberg")
        senftenberg.contact_name, senftenberg.contact_email = "Anja Schulze", "rueckkehr@senftenberg.example"

    committed(prepare)
    vacancy = make_vacancy(employer, status=VacancyStatus.SUBMITTED, published_at=None, title="Pflegefachkraft")
    result = runner.invoke(args=["employers", "publish-vacancy", str(vacancy.id)])
    assert result.exit_code == 0, result.output
    [mail] = smtp.messages  # delivered before the command returned: nothing waits for `flask jobs run`
    assert mail.message["Subject"] == "Your job is published: Pflegefachkraft"
    assert f"http://rueckkehr.test/jobs/{vacancy.id}?lang=en" in mail.text_body()
    assert mail.message["Reply-To"].addresses[0].addr_spec == "rueckkehr@senftenberg.example"
    assert "BASE_URL is not set" not in result.output


def test_the_cli_says_when_base_url_is_missing(
    make_app: Callable[..., Flask], make_employer: Callable[..., Employer]
) -> None:
    app = make_app(BASE_URL=DEFAULT_BASE_URL)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["employers", "pending"])
    assert "Warning: BASE_URL is not set, so links in the mails of these commands point to http://127.0.0.1:5000" in (
        result.output + (result.stderr if hasattr(result, "stderr") else "")
    )


def test_a_draft_is_deleted_not_withdrawn(
    client: FlaskClient, make_employer: Callable[..., Employer], make_vacancy: Callable[..., Vacancy], login: Callable
) -> None:
    employer = make_employer()
    draft = make_vacancy(employer, status=VacancyStatus.DRAFT, published_at=None, title="Entwurf einer Stelle").id
    submitted = make_vacancy(employer, status=VacancyStatus.SUBMITTED, published_at=None).id
    login(client, employer.users[0].email)
    page = visible_text(client.get(f"/employer/vacancies/{draft}"))
    assert "Entwurf löschen" in page and "Zurückziehen" not in page
    assert "Zurückziehen" in visible_text(client.get(f"/employer/vacancies/{submitted}"))

    refused = client.post(f"/employer/vacancies/{draft}/withdraw", follow_redirects=True)
    assert "Das ist in diesem Zustand der Stelle nicht möglich." in visible_text(refused)
    deleted = client.post(f"/employer/vacancies/{draft}/delete")
    assert deleted.headers["Location"] == "/employer"
    assert "Der Entwurf „Entwurf einer Stelle“ ist gelöscht." in visible_text(client.get("/employer"))
    assert client.get(f"/employer/vacancies/{draft}").status_code == 404
    assert client.post(f"/employer/vacancies/{submitted}/delete", follow_redirects=True).status_code == 200
    db.session.rollback()
    assert db.session.get(Vacancy, submitted) is not None  # only drafts can be deleted
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "vacancy.deleted"))
    assert entry.object_id == draft and entry.changes == {"status": "draft"}


def test_users_keep_the_language_they_signed_up_in_for_mails_the_organizers_cause(
    client: FlaskClient, smtp: SMTPServer, runner: Any
) -> None:
    client.post("/sprache", data={"lang": "en", "next": "/"})
    assert client.post("/employer/signup", data=SIGNUP).status_code == 303
    verify = smtp.wait_for(1)[0]
    assert verify.message["Subject"] == "Please confirm your e-mail address"
    client.post(re.search(r"http://rueckkehr\.test(/verify/\S+)", verify.text_body()).group(1))
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.email == SIGNUP["email"]))
    assert user.language == "en"
    runner.invoke(args=["employers", "approve", str(user.employer_id)])
    approved = smtp.messages[-1]
    assert approved.message["Subject"] == f"{SIGNUP['name']} is approved"
