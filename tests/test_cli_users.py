"""``flask create-user`` makes accounts and never prints a secret."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.extensions import db

PASSWORD = "lausitz-rueckkehr-2026"


def user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).one_or_none()


def test_creates_an_organizer_bound_to_towns(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "--email", "Anna@Senftenberg.DE", "--password", PASSWORD, "--role", "organizer",
              "--town", "senftenberg", "--town", "grossraeschen"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created organizer anna@senftenberg.de for Großräschen, Senftenberg" in result.output
    assert PASSWORD not in result.output
    created = user("anna@senftenberg.de")
    assert created.role == Role.ORGANIZER
    assert created.check_password(PASSWORD)
    assert created.password_hash != PASSWORD
    assert [town.slug for town in created.towns] == ["grossraeschen", "senftenberg"]


def test_asks_for_the_password_when_not_given(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "--email", "admin@rwk.test", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert user("admin@rwk.test").check_password(PASSWORD)


def test_refuses_bad_input_with_a_clear_message(app: Flask, runner: FlaskCliRunner) -> None:
    cases = [
        (["--email", "x@rwk.test", "--password", PASSWORD, "--role", "organizer"], "needs at least one --town"),
        (["--email", "x@rwk.test", "--password", PASSWORD, "--role", "organizer", "--town", "berlin"], "unknown town"),
        (["--email", "x@rwk.test", "--password", "short", "--role", "admin"], "at least 12 characters"),
        (["--email", "x@rwk.test", "--password", "passwort1234", "--role", "admin"], "too easy to guess"),
        (["--email", "x@rwk.test", "--password", "x@rwk.test", "--role", "admin"], "at least 12 characters"),
        (["--email", "not-an-address", "--password", PASSWORD, "--role", "admin"], "not an e-mail address"),
        (["--email", "x@rwk.test", "--password", PASSWORD, "--role", "employer", "--town", "senftenberg"], "only"),
        (["--email", "x@rwk.test", "--password", PASSWORD, "--role", "king"], "Invalid value"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["create-user", *args])
        assert result.exit_code != 0
        assert message in result.output, (args, result.output)
    assert user("x@rwk.test") is None


def test_refuses_a_second_account_for_the_same_address(app: Flask, runner: FlaskCliRunner) -> None:
    args = ["create-user", "--email", "dup@rwk.test", "--password", PASSWORD, "--role", "admin"]
    assert runner.invoke(args=args).exit_code == 0
    second = runner.invoke(args=args)
    assert second.exit_code != 0
    assert "exists already" in second.output


def test_an_address_at_a_domain_with_umlauts_is_stored_as_mail_servers_read_it(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """The same form the web forms store (the domain in IDNA), so that the log-in finds it however it is typed; an
    umlaut before the @ is refused, as the forms refuse it."""
    result = runner.invoke(args=["create-user", "--email", "Chef@Müller.de", "--password", PASSWORD, "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert user("chef@xn--mller-kva.de") is not None
    refused = runner.invoke(
        args=["create-user", "--email", "zoë@example.org", "--password", PASSWORD, "--role", "admin"]
    )
    assert refused.exit_code != 0 and "umlaut" in refused.output
    client = app.test_client()
    for typed in ("chef@müller.de", "chef@xn--mller-kva.de"):
        answer = client.post("/login", data={"email": typed, "password": PASSWORD})
        assert answer.status_code == 303, typed  # on to the second factor
        client.post("/logout")
