"""The second factor of admins and organizers: enrolment, a wrong code, a code used once, recovery codes used once,
a remembered device, an admin's reset, and the rate limit."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pyotp
import time_machine
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from rueckkehr.accounts.models import Role, User
from rueckkehr.accounts.second_factor import REMEMBER_COOKIE
from rueckkehr.audit.models import AuditEntry
from rueckkehr.database import UNREADABLE, derived_column_key
from rueckkehr.dates import utcnow
from rueckkehr.extensions import db
from tests.support.organizers import PASSWORD, totp_code
from tests.support.pages import visible_text
from tests.support.units import start_writing


def password_step(client: FlaskClient, user: User) -> str:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    return response.location


def test_the_first_login_enrols_with_qr_code_or_secret_and_shows_ten_recovery_codes(
    client: FlaskClient, make_user: Callable[..., User], town: Callable
) -> None:
    user = make_user(role=Role.ORGANIZER, towns=[town("senftenberg")], email="neu@senftenberg.example")
    assert password_step(client, user) == "/login/enrol"
    assert client.get("/organizer").status_code == 302  # not logged in before the code
    page = client.get("/login/enrol")
    html = page.get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    secret = "".join(re.search(r'class="secret">([A-Z2-7 ]+)<', html).group(1).split())
    assert len(secret) == 32
    assert client.get("/login/enrol").get_data(as_text=True).count(secret[:4] + " ") >= 1  # the same secret again

    wrong = client.post("/login/enrol", data={"code": "000000"})
    assert wrong.status_code == 422
    assert "Dieser Code stimmt nicht" in visible_text(wrong)
    done = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/organizer").status_code == 200
    db.session.rollback()
    stored = db.session.get(User, user.id)
    assert stored.totp_secret == secret
    assert not any(code.replace("-", "") in str(stored.__dict__) for code in codes)  # stored hashed only
    column = raw_secret(user.id)
    assert secret not in column and secret.lower() not in column  # encrypted at rest
    assert Fernet(derived_column_key("test-secret-key")).decrypt(column.encode()).decode() == secret


def raw_secret(user_id: int) -> str:
    """The users.totp_secret column as the database holds it."""
    with db.engine.connect() as connection:
        return str(connection.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar())


def test_the_column_never_holds_a_secret_in_clear_and_only_the_keys_open_it(
    make_app: Callable[..., Flask], make_staff: Callable[..., User]
) -> None:
    user_id = make_staff().id
    secret = db.session.get(User, user_id).totp_secret
    first = raw_secret(user_id)
    assert first.startswith("gAAAAA") and secret not in first
    other_id = make_staff(email="zweite@senftenberg.example").id
    start_writing()
    db.session.get(User, other_id).totp_secret = secret  # the same secret: another token (a fresh IV)
    db.session.commit()
    assert raw_secret(other_id) != first and secret not in raw_secret(other_id)
    db.session.remove()

    rotated = Fernet.generate_key().decode()
    with make_app(COLUMN_ENCRYPTION_KEYS=rotated).app_context():  # a dedicated key: old tokens still open
        assert db.session.get(User, user_id).totp_secret == secret
        start_writing()
        db.session.get(User, user_id).totp_secret = pyotp.random_base32(32)
        db.session.commit()
        renewed = db.session.get(User, user_id).totp_secret
        assert Fernet(rotated.encode()).decrypt(raw_secret(user_id).encode()).decode() == renewed  # the new key
    other = make_app(SECRET_KEY="another-secret-key")  # without the key: no code opens it, and it is never empty
    with other.app_context():
        assert db.session.get(User, user_id).totp_secret == UNREADABLE
        email = db.session.get(User, user_id).email
    client = other.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).location == "/login/second-factor"
    answer = client.post("/login/second-factor", data={"code": pyotp.TOTP(renewed).now()})
    assert answer.status_code == 422 and client.get("/organizer").status_code == 302


def test_a_wrong_code_a_replayed_code_and_a_recovery_code_used_once(
    client: FlaskClient, make_staff: Callable[..., User]
) -> None:
    user = make_staff()
    assert password_step(client, user) == "/login/second-factor"
    wrong = client.post("/login/second-factor", data={"code": "123456"})
    assert wrong.status_code == 422
    assert "Dieser Code stimmt nicht oder wurde schon benutzt" in visible_text(wrong)
    code = totp_code(user)
    assert client.post("/login/second-factor", data={"code": code}).location == "/organizer"
    client.post("/logout")

    password_step(client, user)
    assert client.post("/login/second-factor", data={"code": code}).status_code == 422  # the same code twice: no

    client.post("/login/second-factor", data={"code": totp_code(user, 1)})
    renewed = client.post("/organizer/security", data={"action": "renew"})
    recovery = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", renewed.get_data(as_text=True))
    assert len(recovery) == 10
    client.post("/logout")

    password_step(client, user)
    assert client.post("/login/second-factor", data={"code": recovery[3].upper()}).location == "/organizer"
    client.post("/logout")
    password_step(client, user)
    assert client.post("/login/second-factor", data={"code": recovery[3]}).status_code == 422
    assert client.post("/login/second-factor", data={"code": recovery[4]}).location == "/organizer"
    assert "Unbenutzte Wiederherstellungscodes 8" in visible_text(client.get("/organizer/security"))
    db.session.rollback()
    verbs = [entry.verb for entry in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert verbs.count("user.recovery_code_used") == 2


def test_a_remembered_device_skips_the_code_for_thirty_days_at_most(
    client: FlaskClient, make_staff: Callable[..., User]
) -> None:
    user = make_staff()
    password_step(client, user)
    response = client.post("/login/second-factor", data={"code": totp_code(user), "remember": "y"})
    cookie = client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None and cookie.http_only
    assert "Max-Age=2592000" in response.headers["Set-Cookie"] or any(
        "Max-Age=2592000" in value for value in response.headers.getlist("Set-Cookie")
    )
    client.post("/logout")
    assert password_step(client, user) == "/organizer"  # straight in on this device
    client.post("/logout")
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        assert password_step(client, user) == "/login/second-factor"


def test_an_admin_resets_a_lost_factor_and_the_person_enrols_again(
    client: FlaskClient, app: Flask, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    organizer = make_staff(email="verloren@senftenberg.example")
    other = app.test_client()
    password_step(other, organizer)
    other.post("/login/second-factor", data={"code": totp_code(organizer), "remember": "y"})
    assert other.get("/organizer").status_code == 200

    admin = make_staff(role=Role.ADMIN)
    staff_login(client, admin)
    page = client.get(f"/organizer/accounts/{organizer.id}")
    assert "Zweiten Faktor zurücksetzen" in visible_text(page)
    assert client.post(f"/organizer/accounts/{organizer.id}/reset-factor").status_code == 303
    db.session.rollback()
    stored = db.session.get(User, organizer.id)
    assert stored.totp_secret is None

    assert other.get("/organizer").status_code == 302  # the old session ended
    assert password_step(other, organizer) == "/login/enrol"  # the remembered device is forgotten too
    assert client.post(f"/organizer/accounts/{admin.id}/reset-factor").status_code == 303
    db.session.rollback()
    assert db.session.get(User, admin.id).totp_secret is not None  # nobody resets their own factor here


def test_a_password_reset_by_mail_never_resets_the_factor(client: FlaskClient, make_staff: Callable[..., User]) -> None:
    user = make_staff()
    from rueckkehr.accounts.tokens import TokenPurpose, issue_token
    from tests.support.units import committed

    token = committed(issue_token, TokenPurpose.RESET_PASSWORD, timedelta(hours=1), user=db.session.get(User, user.id))
    client.post(f"/password/reset/{token}", data={"password": "ein ganz neues passwort"})
    response = client.post("/login", data={"email": user.email, "password": "ein ganz neues passwort"})
    assert response.location == "/login/second-factor"


def test_the_second_factor_is_rate_limited(make_app: Callable[..., Flask], make_staff: Callable[..., User]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SECOND_FACTOR="3 per minute")
    with app.app_context():
        user = make_staff()
        client = app.test_client()
        password_step(client, user)
        statuses = [client.post("/login/second-factor", data={"code": "000000"}).status_code for _ in range(4)]
        assert statuses == [422, 422, 422, 429]
        assert client.post("/login/second-factor", data={"code": totp_code(user)}).status_code == 429
