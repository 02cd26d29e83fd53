"""Log-ins, the second factor's enrolment and the use of a recovery code are credited to the person who proved who
they are; a failed log-in to the public, telling nothing of the address; the security page renews only on its word."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.accounts.models import Role, User
from rueckkehr.accounts.tokens import TokenPurpose, issue_token
from rueckkehr.actors import ActorKind
from rueckkehr.audit.models import AuditEntry
from rueckkehr.employers.models import Employer
from rueckkehr.extensions import db
from tests.support.organizers import PASSWORD, totp_code
from tests.support.pages import table_column, visible_text, without_form_tokens
from tests.support.units import committed

CODES = re.compile(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")


def entry(verb: str) -> AuditEntry:
    """The newest committed entry of this verb."""
    db.session.rollback()
    found = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == verb).order_by(AuditEntry.id.desc()))
    return found.first()


def assert_credited_to(found: AuditEntry, user: User, role: Role) -> None:
    assert found is not None
    assert (found.actor_kind, found.actor_user_id, found.actor_label) == (ActorKind.USER, user.id, role.value)


def test_a_staff_login_with_the_code_of_the_app_is_credited_to_that_person_on_screen(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    organizer = make_staff(email="wirtschaft@senftenberg.example")
    staff_login(client, organizer)
    assert_credited_to(entry("user.logged_in"), organizer, Role.ORGANIZER)
    client.post("/logout")

    admin = make_staff(role=Role.ADMIN, email="chefin@rwk.example")
    staff_login(client, admin)
    page = client.get("/organizer/audit?verb=user.logged_in").get_data(as_text=True)
    who, what = table_column(page, 1), table_column(page, 2)  # the table's Wer and Vorgang, not the filter's lists
    assert who[-1] == "wirtschaft@senftenberg.example"  # newest first: the organizer's log-in before the admin's
    assert what == ["Am Konto angemeldet"] * len(who) and len(who) == 2
    assert not any("Öffentlichkeit" in text for text in who)
    english = client.get("/organizer/audit?verb=user.logged_in&lang=en").get_data(as_text=True)
    assert table_column(english, 1)[-1] == "wirtschaft@senftenberg.example"
    assert set(table_column(english, 2)) == {"Logged in"}


def test_the_enrolment_and_a_recovery_code_are_credited_to_the_person_who_used_them(
    client: FlaskClient, make_user: Callable[..., User], town: Callable
) -> None:
    user = make_user(role=Role.ORGANIZER, towns=[town("senftenberg")], email="neu@senftenberg.example")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    html = client.get("/login/enrol").get_data(as_text=True)
    secret = "".join(re.search(r'class="secret">([A-Z2-7 ]+)<', html).group(1).split())
    codes = CODES.findall(client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()}).get_data(as_text=True))
    assert len(codes) == 10
    assert_credited_to(entry("user.second_factor_enabled"), user, Role.ORGANIZER)
    assert_credited_to(entry("user.logged_in"), user, Role.ORGANIZER)
    client.post("/logout")

    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login/second-factor", data={"code": codes[0]}).location == "/organizer"
    assert_credited_to(entry("user.recovery_code_used"), user, Role.ORGANIZER)


def test_an_employer_login_and_a_remembered_device_are_credited_to_the_account(
    client: FlaskClient, make_employer: Callable[..., Employer], make_staff: Callable[..., User]
) -> None:
    account = make_employer().users[0]
    assert client.post("/login", data={"email": account.email, "password": PASSWORD}).status_code == 303
    assert_credited_to(entry("user.logged_in"), account, Role.EMPLOYER)
    client.post("/logout")

    staff = make_staff()
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    client.post("/login/second-factor", data={"code": totp_code(staff), "remember": "y"})
    client.post("/logout")
    assert client.post("/login", data={"email": staff.email, "password": PASSWORD}).location == "/organizer"
    assert_credited_to(entry("user.logged_in"), staff, Role.ORGANIZER)


def test_a_failed_login_is_nobodys_and_tells_nothing_about_the_address(
    client: FlaskClient, make_staff: Callable[..., User]
) -> None:
    staff = make_staff(email="bekannt@senftenberg.example")
    db.session.rollback()
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    wrong = client.post("/login", data={"email": staff.email, "password": "falsch falsch falsch"})
    unknown = client.post("/login", data={"email": "unbekannt@senftenberg.example", "password": "falsch falsch falsch"})
    assert wrong.status_code == unknown.status_code == 422
    assert without_form_tokens(wrong.get_data(as_text=True)).replace(staff.email, "X") == without_form_tokens(
        unknown.get_data(as_text=True)
    ).replace("unbekannt@senftenberg.example", "X")
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert client.post("/login/second-factor", data={"code": "000000"}).status_code == 422
    db.session.rollback()
    after = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(before)).all()
    assert not [found for found in after if found.actor_user_id == staff.id]  # nothing credited to the address


def test_only_the_renew_button_renews_the_recovery_codes(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    user = make_staff()
    staff_login(client, user)
    codes = CODES.findall(client.post("/organizer/security", data={"action": "renew"}).get_data(as_text=True))
    assert len(codes) == 10
    renewed = entry("user.recovery_codes_renewed").id
    for action in ({"action": "bogus"}, {"action": ""}, {}):
        answer = client.post("/organizer/security", data=action)
        assert answer.status_code == 400
        assert not CODES.findall(answer.get_data(as_text=True))
    assert entry("user.recovery_codes_renewed").id == renewed
    assert "Unbenutzte Wiederherstellungscodes 10" in visible_text(client.get("/organizer/security"))
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login/second-factor", data={"code": codes[0]}).location == "/organizer"  # the same codes


def token_for(purpose: TokenPurpose, user: User | None = None, **values: object) -> str:
    """A fresh link's token, committed as the mail that carries it would be."""
    return committed(issue_token, purpose, timedelta(hours=2), user=db.session.get(User, user.id) if user else None,
                     **values)  # fmt: skip


def test_a_link_that_proves_who_it_is_credits_that_account(
    client: FlaskClient,
    make_user: Callable[..., User],
    make_employer: Callable[..., Employer],
    make_staff: Callable[..., User],
    staff_login: Callable,
    town: Callable,
) -> None:
    """Accepting an invitation, confirming an address and resetting a password are the account's own doing: the
    link's token proves who it is, as a log-in does; none is credited to the public."""
    invited = make_user(role=Role.ORGANIZER, towns=[town("senftenberg")], email="eingeladen@senftenberg.example",
                        active=False)  # fmt: skip
    token = token_for(TokenPurpose.STAFF_INVITE, invited)
    joined = client.post(f"/organizer/join/{token}", data={"full_name": "Ina Eingeladen", "password": PASSWORD})
    assert joined.status_code == 303
    assert_credited_to(entry("user.invitation_accepted"), invited, Role.ORGANIZER)

    employer = make_employer(verified=False)
    account = employer.users[0]
    token = token_for(TokenPurpose.VERIFY_EMAIL, account)
    assert client.post(f"/verify/{token}").status_code == 200
    assert_credited_to(entry("user.email_verified"), account, Role.EMPLOYER)

    token = token_for(TokenPurpose.RESET_PASSWORD, account)
    assert client.post(f"/password/reset/{token}", data={"password": "ein ganz neues passwort"}).status_code == 200
    assert_credited_to(entry("user.password_reset"), account, Role.EMPLOYER)

    token = token_for(TokenPurpose.INVITE, employer_id=employer.id, email="kollegin@betrieb.example")
    colleague_joins = client.post(f"/employer/join/{token}", data={"full_name": "Kai Kollege", "password": PASSWORD})
    assert colleague_joins.status_code == 303
    db.session.rollback()
    colleague = db.session.scalars(select(User).where(User.email == "kollegin@betrieb.example")).one()
    assert_credited_to(entry("user.created"), colleague, Role.EMPLOYER)

    staff_login(client, make_staff(role=Role.ADMIN))
    who = table_column(client.get("/organizer/audit?object_type=user").get_data(as_text=True), 1)
    assert "Öffentlichkeit (ein Formular der Website)" not in who
    assert "eingeladen@senftenberg.example" in who  # a staff member by their address, as admins see them
