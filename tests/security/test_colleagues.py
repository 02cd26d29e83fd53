"""Colleague invitations are no mail relay: only approved companies invite, within limits per user, per company and
per invited address; a company keeps at least one user; removing a colleague asks first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.employers.models import Employer, EmployerStatus
from rueckkehr.extensions import db
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer


def test_a_company_waiting_for_approval_cannot_invite(
    client: FlaskClient, smtp: SMTPServer, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    login(client, employer.users[0].email)
    page = client.get("/employer/colleagues")
    assert "Sobald die Organisatoren Ihr Unternehmen freigegeben haben" in visible_text(page)
    assert 'name="email"' not in page.get_data(as_text=True)
    for _attempt in range(3):
        client.post("/employer/colleagues", data={"email": "ziel@example.org"})
    assert smtp.messages == []


def two_colleagues(app: Flask, make_employer: Callable[..., Employer], make_user: Callable[..., User],
                   login: Callable[..., Any]) -> tuple[FlaskClient, FlaskClient]:  # fmt: skip
    """Two logged-in users of one approved company."""
    employer = make_employer()
    colleague = make_user(Role.EMPLOYER, employer_id=employer.id, email="kollegin@betrieb.example",
                          email_verified_at=employer.users[0].email_verified_at)  # fmt: skip
    first, second = app.test_client(), app.test_client()
    login(first, employer.users[0].email)
    login(second, colleague.email)
    return first, second


def invite(client: FlaskClient, address: str) -> int:
    return client.post("/employer/colleagues", data={"email": address}).status_code


@pytest.mark.parametrize(
    ("limits", "sequence", "expected"),
    [
        # per invited address, whichever colleague invites
        ({"RATELIMIT_INVITATIONS_PER_ADDRESS": "2 per day"}, [(0, "a"), (1, "a"), (0, "a"), (1, "b")],
         [303, 303, 429, 303]),
        # per user, whichever address
        ({"RATELIMIT_INVITATIONS_PER_USER": "2 per day"}, [(0, "a"), (0, "b"), (0, "c"), (1, "d")],
         [303, 303, 429, 303]),
        # per company, whichever user and address
        ({"RATELIMIT_INVITATIONS_PER_COMPANY": "2 per day"}, [(0, "a"), (1, "b"), (0, "c"), (1, "d")],
         [303, 303, 429, 429]),
    ],
    ids=["address", "user", "company"],
)  # fmt: skip
def test_invitations_are_limited(
    limits: dict[str, str],
    sequence: list[tuple[int, str]],
    expected: list[int],
    make_app: Callable[..., Flask],
    smtp: SMTPServer,
    make_employer: Callable[..., Employer],
    make_user: Callable[..., User],
    login: Callable[..., Any],
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, **limits)
    with app.app_context():
        clients = two_colleagues(app, make_employer, make_user, login)
        statuses = [invite(clients[who], f"{name}@example.org") for who, name in sequence]
        assert statuses == expected
        assert len(smtp.wait_for(statuses.count(303))) == statuses.count(303)


def test_the_last_user_of_a_company_cannot_leave_it(
    client: FlaskClient, make_employer: Callable[..., Employer], login: Callable[..., Any]
) -> None:
    employer = make_employer()
    user_id = employer.users[0].id
    login(client, employer.users[0].email)
    response = client.post("/employer/account/delete", follow_redirects=True)
    assert "Sie sind die letzte Person mit Zugang zu Ihrem Unternehmen" in visible_text(response)
    db.session.rollback()
    assert db.session.get(User, user_id) is not None
    assert client.get("/employer").status_code == 200  # still logged in


def test_removing_a_colleague_asks_first(
    client: FlaskClient, make_employer: Callable[..., Employer], make_user: Callable[..., User],
    login: Callable[..., Any],
) -> None:  # fmt: skip
    employer = make_employer()
    colleague = make_user(Role.EMPLOYER, employer_id=employer.id, email="kollege@betrieb.example", full_name="Kai")
    login(client, employer.users[0].email)
    assert 'href="/employer/colleagues/' in client.get("/employer/colleagues").get_data(as_text=True)
    question = client.get(f"/employer/colleagues/{colleague.id}/remove")
    assert "Das Konto von Kai löschen?" in visible_text(question)
    assert "Ja, Konto löschen" in visible_text(question)
    db.session.rollback()
    assert db.session.get(User, colleague.id) is not None
    assert client.post(f"/employer/colleagues/{colleague.id}/remove").status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.email == "kollege@betrieb.example")) is None
