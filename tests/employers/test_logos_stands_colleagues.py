"""Logo upload, stand booking with the organizer's confirmation, and colleagues of a company."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from PIL import Image
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.employers.models import Employer, EmployerStatus, StandBooking, StandStatus, Vacancy
from rueckkehr.employers.queries import confirmed_exhibitors
from rueckkehr.extensions import db
from rueckkehr.mail.delivery import deliver_due
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer


@pytest.fixture
def uploads(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app whose uploads go to a temporary folder."""
    app = make_app(UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        yield app


def image_bytes(image_format: str, exif: bool = False, size: tuple[int, int] = (80, 40)) -> bytes:
    """A small image in the given format, with a GPS-like EXIF comment when asked."""
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010E] = "Secret location 51.52N 14.00E"
        image.save(output, format=image_format, exif=data)
    else:
        image.save(output, format=image_format)
    return output.getvalue()


@pytest.mark.parametrize(
    ("image_format", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_logo_upload_is_reencoded_without_metadata(
    uploads: Flask,
    make_employer: Callable[..., Employer],
    login: Callable,
    image_format: str,
    content_type: str,
) -> None:
    client = uploads.test_client()
    employer = make_employer()
    login(client, employer.users[0].email)
    upload = (io.BytesIO(image_bytes(image_format, exif=True)), f"logo.{image_format.lower()}")
    response = client.post("/employer/logo", data={"logo": upload}, content_type="multipart/form-data")
    assert response.status_code == 303
    profile = client.get("/employer/profile").get_data(as_text=True)
    # An approved employer's new logo waits for the organizers' second look; its own users see it already.
    src = re.search(r'<img class="employer-logo" src="([^"]+)" alt="Neues Logo von ([^"]+)"', profile)
    assert src and src.group(2) == employer.name
    served = client.get(src.group(1))
    assert served.status_code == 200
    assert served.headers["Content-Type"] == content_type
    assert b"Secret location" not in served.data
    assert Image.open(io.BytesIO(served.data)).getexif().get(0x010E) is None
    assert str(Path(uploads.config["UPLOAD_FOLDER"])) in str(next(Path(uploads.config["UPLOAD_FOLDER"]).rglob("*.*")))


@pytest.mark.parametrize(
    "payload",
    [
        b"GIF89a" + b"\x00" * 100,
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4 not an image",
        b"\x89PNG\r\n\x1a\n broken",
    ],
)
def test_other_files_are_refused_with_a_message(
    uploads: Flask, make_employer: Callable[..., Employer], login: Callable, payload: bytes
) -> None:
    client = uploads.test_client()
    employer = make_employer(name="Lausitzer Glaswerk GmbH")
    login(client, employer.users[0].email)
    response = client.post(
        "/employer/logo", data={"logo": (io.BytesIO(payload), "logo.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte laden Sie ein Bild im Format PNG, JPEG oder WebP hoch" in html
    assert 'value="Lausitzer Glaswerk GmbH"' in html  # the profile form beside it keeps its values


def test_a_pending_employers_logo_is_not_public(
    uploads: Flask, make_employer: Callable[..., Employer], login: Callable
) -> None:
    client = uploads.test_client()
    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    login(client, employer.users[0].email)
    client.post(
        "/employer/logo", data={"logo": (io.BytesIO(image_bytes("PNG")), "l.png")}, content_type="multipart/form-data"
    )
    db.session.rollback()
    db.session.refresh(employer)
    path = f"/employers/{employer.id}/logo/{employer.logo_filename}"
    assert client.get(path).status_code == 200
    assert uploads.test_client().get(path).status_code == 404


def test_stand_request_confirmation_and_exhibitor_list(
    client: FlaskClient,
    runner: FlaskCliRunner,
    smtp: SMTPServer,
    make_employer: Callable[..., Employer],
    make_event: Callable[..., Any],
    login: Callable,
) -> None:
    event = make_event(title="Rückkehrertag Schwarzheide")
    employer = make_employer(name="BASF Schwarzheide GmbH")
    login(client, employer.users[0].email)
    page = client.get("/employer/stands").get_data(as_text=True)
    assert "Rückkehrertag Schwarzheide" in page
    response = client.post(
        "/employer/stands", data={"event": str(event.id), "space_note": "Zwei Tische", "needs_power": "y"}
    )
    assert response.status_code == 303
    assert "Angefragt" in client.get("/employer/stands").get_data(as_text=True)
    assert confirmed_exhibitors(event.id) == []

    db.session.rollback()
    stand = db.session.scalar(select(StandBooking).where(StandBooking.employer_id == employer.id))
    assert stand.needs_power and stand.space_note == "Zwei Tische"
    assert f"stand {stand.id}: BASF Schwarzheide GmbH" in runner.invoke(args=["employers", "pending"]).output
    result = runner.invoke(args=["employers", "confirm-stand", str(stand.id)])
    assert result.exit_code == 0, result.output
    deliver_due()
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Ihr Stand ist bestätigt: Rückkehrertag Schwarzheide"

    assert [e.name for e in confirmed_exhibitors(event.id)] == ["BASF Schwarzheide GmbH"]
    profile = client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert "Rückkehrertag Schwarzheide" in profile
    assert runner.invoke(args=["employers", "confirm-stand", str(stand.id)]).exit_code != 0

    cancel = client.post(f"/employer/stands/{stand.id}/cancel")
    assert cancel.status_code == 303
    db.session.rollback()
    assert db.session.get(StandBooking, stand.id).status == StandStatus.CANCELLED
    assert confirmed_exhibitors(event.id) == []


def test_unapproved_employers_cannot_book(
    client: FlaskClient, make_employer: Callable[..., Employer], make_event: Callable[..., Any], login: Callable
) -> None:
    event = make_event()
    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    login(client, employer.users[0].email)
    page = client.get("/employer/stands").get_data(as_text=True)
    assert "sobald die Organisatoren Ihr Unternehmen freigegeben haben" in page
    client.post("/employer/stands", data={"event": str(event.id)})
    db.session.rollback()
    assert db.session.scalar(select(StandBooking)) is None


def test_invite_join_and_remove_a_colleague(
    client: FlaskClient,
    smtp: SMTPServer,
    make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Vacancy],
    login: Callable,
    make_app: Callable[..., Flask],
) -> None:
    employer = make_employer(name="Lausitz Logistik GmbH")
    vacancy = make_vacancy(employer)
    login(client, employer.users[0].email)
    assert client.post("/employer/colleagues", data={"email": "neu@lausitz-logistik.example"}).status_code == 303
    [mail] = smtp.wait_for(1)
    assert mail.message["Subject"] == "Einladung: Lausitz Logistik GmbH bei den Rückkehrertagen"
    path = re.search(r"http://rueckkehr\.test(/employer/join/\S+)", mail.text_body()).group(1)

    other = client.application.test_client()
    landing = other.get(path).get_data(as_text=True)
    assert "Konto für Lausitz Logistik GmbH einrichten" in landing
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.email == "neu@lausitz-logistik.example")) is None
    joined = other.post(path, data={"full_name": "Nora Neu", "password": "Spreewald Gurken 2026"})
    assert joined.status_code == 303
    assert other.get(path).status_code == 404
    login(other, "neu@lausitz-logistik.example", "Spreewald Gurken 2026")
    assert "Lausitz Logistik GmbH" in other.get("/employer").get_data(as_text=True)

    db.session.rollback()
    nora_id = db.session.scalar(select(User.id).where(User.email == "neu@lausitz-logistik.example"))
    page = client.get("/employer/colleagues").get_data(as_text=True)
    assert "Nora Neu" in page
    assert client.post(f"/employer/colleagues/{nora_id}/remove").status_code == 303
    db.session.rollback()
    assert db.session.get(User, nora_id) is None
    assert db.session.get(Vacancy, vacancy.id) is not None
    assert other.get("/employer").status_code == 302  # the removed user's session is gone with the account


def test_deleting_ones_own_account_keeps_the_company(
    client: FlaskClient,
    make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Vacancy],
    make_user: Callable[..., User],
    login: Callable,
) -> None:
    employer = make_employer()
    make_user(Role.EMPLOYER, employer_id=employer.id, email="bleibt@betrieb.example")
    vacancy = make_vacancy(employer)
    user_id = employer.users[0].id
    login(client, employer.users[0].email)
    asked = client.get("/employer/account/delete")
    assert "Ihr Konto löschen?" in asked.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(User, user_id) is not None  # the question alone deletes nothing
    english = client.get("/employer/account/delete?lang=en").get_data(as_text=True)
    action = re.search(r'<form method="post"(?: action="([^"]*)")?', english.split("<main", 1)[1])
    assert action, "the page has its form"
    target = (action.group(1) or "/employer/account/delete?lang=en").replace("&amp;", "&")  # none: the page's own
    response = client.post(target, follow_redirects=True)
    assert "Your account and your personal data are deleted." in response.get_data(as_text=True)  # still English
    db.session.rollback()
    assert db.session.get(User, user_id) is None
    assert db.session.get(Employer, employer.id) is not None
    assert client.get(f"/jobs/{vacancy.id}").status_code == 200


def test_an_older_invitation_cannot_bring_a_removed_colleague_back(
    client: FlaskClient, smtp: SMTPServer, make_employer: Callable[..., Employer], login: Callable
) -> None:
    employer = make_employer()
    login(client, employer.users[0].email)
    for _ in range(2):
        client.post("/employer/colleagues", data={"email": "zweimal@betrieb.example"})
    first, second = (
        re.search(r"http://rueckkehr\.test(/employer/join/\S+)", mail.text_body()).group(1) for mail in smtp.wait_for(2)
    )
    other = client.application.test_client()
    assert other.post(first, data={"full_name": "Zoe Zweimal", "password": "Spreewald Gurken 2026"}).status_code == 303
    db.session.rollback()
    zoe_id = db.session.scalar(select(User.id).where(User.email == "zweimal@betrieb.example"))
    client.post(f"/employer/colleagues/{zoe_id}/remove")
    assert other.get(second).status_code == 404
    again = other.post(second, data={"full_name": "Zoe Zweimal", "password": "Spreewald Gurken 2026"})
    assert again.status_code == 404
    db.session.rollback()
    assert db.session.scalar(select(User.id).where(User.email == "zweimal@betrieb.example")) is None


def test_a_password_reset_logs_out_every_other_session(
    client: FlaskClient, smtp: SMTPServer, make_employer: Callable[..., Employer], login: Callable
) -> None:
    email = make_employer().users[0].email
    other = client.application.test_client()
    login(other, email)
    assert other.get("/employer").status_code == 200
    client.post("/password/forgot", data={"email": email})
    path = re.search(r"http://rueckkehr\.test(/password/reset/\S+)", smtp.wait_for(1)[0].text_body()).group(1)
    client.post(path, data={"password": "Kaffee und Stollen am See"})
    assert other.get("/employer").status_code == 302  # the session that knew the old password is gone
    login(client, email, "Kaffee und Stollen am See")
    assert client.get("/employer").status_code == 200


def test_an_empty_invitation_asks_for_the_colleagues_address(
    client: FlaskClient, make_employer: Callable[..., Employer], login: Callable
) -> None:
    login(client, make_employer().users[0].email)
    german = client.post("/employer/colleagues", data={"email": ""})
    assert german.status_code == 422
    assert "Bitte geben Sie die E-Mail-Adresse der Kollegin oder des Kollegen an." in german.get_data(as_text=True)
    english = visible_text(client.post("/employer/colleagues?lang=en", data={"email": ""}))
    assert "Please enter your colleague's e-mail address." in english
