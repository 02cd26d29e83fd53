"""Organizer accounts in the browser: an admin invites by mail, the person sets a password and enrols; towns are
assigned and changed; an account is deactivated; only admins manage accounts."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.extensions import db
from tests.support.organizers import PASSWORD
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer


def invite(client: FlaskClient, town: Callable, email: str = "neu@grossraeschen.example") -> object:
    return client.post(
        "/organizer/accounts",
        data={
            "full_name": "Nele Neu",
            "email": email,
            "role": "organizer",
            "towns": [str(town("grossraeschen").id), str(town("schipkau").id)],
        },
    )


def test_an_admin_invites_an_organizer_who_sets_a_password_and_enrols(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, smtp: SMTPServer, town: Callable
) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    assert invite(client, town).status_code == 303
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["neu@grossraeschen.example"]
    assert "Arbeitsbereich" in str(mail.message["Subject"])
    link = re.search(r"http://rueckkehr\.test(/organizer/join/\S+)", mail.text_body()).group(1)
    listing = visible_text(client.get("/organizer/accounts"))
    assert "Nele Neu" in listing and "Großräschen, Schipkau" in listing and "eingeladen" in listing
    client.post("/logout")

    assert client.post("/login", data={"email": "neu@grossraeschen.example", "password": "x" * 12}).status_code == 422
    page = client.get(link)
    assert page.status_code == 200 and "neu@grossraeschen.example" in visible_text(page)
    short = client.post(link, data={"full_name": "Nele Neu", "password": "kurz"})
    assert short.status_code == 422 and "mindestens 12 Zeichen" in visible_text(short)
    assert client.post(link, data={"full_name": "Nele Neu", "password": "ein langes gutes passwort"}).status_code == 303
    assert client.get(link).status_code == 404  # used up
    response = client.post(
        "/login", data={"email": "neu@grossraeschen.example", "password": "ein langes gutes passwort"}
    )
    assert response.location == "/login/enrol"


def test_an_address_that_has_an_account_is_named_to_the_admin(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable, smtp: SMTPServer
) -> None:
    existing = make_staff()
    staff_login(client, make_staff(role=Role.ADMIN))
    response = invite(client, town, existing.email)
    assert response.status_code == 422
    assert "Für diese Adresse gibt es schon ein Konto." in visible_text(response)
    assert 'value="Nele Neu"' in response.get_data(as_text=True)  # what was typed stays
    assert smtp.messages == []


def test_an_organizer_needs_a_town(client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    response = client.post(
        "/organizer/accounts", data={"full_name": "Ohne Stadt", "email": "ohne@stadt.example", "role": "organizer"}
    )
    assert response.status_code == 422
    assert "Bitte wählen Sie mindestens eine Stadt." in visible_text(response)


def test_towns_change_and_a_deactivated_organizer_is_out_at_once(
    client: FlaskClient, app: object, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    organizer = make_staff(email="orga@senftenberg.example")
    their = app.test_client()  # type: ignore[attr-defined]
    staff_login(their, organizer)
    assert their.get("/organizer/towns/senftenberg").status_code == 200

    staff_login(client, make_staff(role=Role.ADMIN))
    response = client.post(
        f"/organizer/accounts/{organizer.id}", data={"role": "organizer", "towns": [str(town("lauchhammer").id)]}
    )
    assert response.status_code == 303
    assert their.get("/organizer").status_code == 302  # what they may see changed: log in again
    staff_login(their, organizer)
    assert their.get("/organizer/towns/senftenberg").status_code == 404
    assert their.get("/organizer/towns/lauchhammer").status_code == 200

    assert client.post(f"/organizer/accounts/{organizer.id}/deactivate").status_code == 303
    assert their.get("/organizer").status_code == 302
    assert their.post("/login", data={"email": organizer.email, "password": PASSWORD}).status_code == 422
    db.session.rollback()
    assert not db.session.get(User, organizer.id).active


def test_an_admin_cannot_lock_themselves_out(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    admin = make_staff(role=Role.ADMIN)
    staff_login(client, admin)
    client.post(f"/organizer/accounts/{admin.id}/deactivate")
    client.post(f"/organizer/accounts/{admin.id}", data={"role": "organizer"})
    db.session.rollback()
    stored = db.session.get(User, admin.id)
    assert stored.active and stored.role == Role.ADMIN


def test_an_empty_invitation_asks_for_the_invitees_name_and_address_not_the_admins(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    empty = {"full_name": "", "email": "", "role": "organizer", "towns": [str(town("schipkau").id)]}
    german = visible_text(client.post("/organizer/accounts", data=empty))
    assert "Bitte geben Sie den Namen der Person an." in german
    assert "Bitte geben Sie die E-Mail-Adresse der Person an." in german
    assert "Ihren Namen" not in german and "Ihre E-Mail-Adresse" not in german
    english = visible_text(client.post("/organizer/accounts?lang=en", data=empty))
    assert "Please enter the person's name." in english
    assert "Please enter the person's e-mail address." in english
    assert "your name" not in english and "your e-mail address" not in english


def test_an_account_made_on_the_command_line_is_active_not_invited(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, runner: object
) -> None:
    """The first admin of a town comes from ``flask create-user``: whoever ran it vouched for the address, and no
    invitation is pending, so none can be sent again."""
    result = runner.invoke(  # type: ignore[attr-defined]
        args=["create-user", "--email", "erste@rwk.test", "--password", PASSWORD, "--role", "organizer",
              "--town", "senftenberg"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    staff_login(client, make_staff(role=Role.ADMIN))
    db.session.rollback()
    made = db.session.query(User).filter_by(email="erste@rwk.test").one()
    row = re.search(r"erste@rwk\.test.*?</tr>", client.get("/organizer/accounts").get_data(as_text=True), re.S)
    assert row and ">aktiv<" in row.group(0) and "eingeladen" not in row.group(0)
    page = visible_text(client.get(f"/organizer/accounts/{made.id}"))
    assert "aktiv" in page and "eingeladen" not in page and "Einladung erneut senden" not in page


def test_an_invitation_not_taken_up_cannot_be_activated_by_hand(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, smtp: SMTPServer, town: Callable
) -> None:
    """Its password is known to nobody: only the invitation's link activates the account (the page offers no
    button for it, and a direct POST is refused too)."""
    staff_login(client, make_staff(role=Role.ADMIN))
    assert invite(client, town).status_code == 303
    db.session.rollback()
    invited = db.session.query(User).filter_by(email="neu@grossraeschen.example").one()
    answer = client.post(f"/organizer/accounts/{invited.id}/activate", follow_redirects=True)
    assert "Das ist für dieses Konto nicht möglich." in visible_text(answer)
    db.session.rollback()
    assert db.session.get(User, invited.id).active is False
