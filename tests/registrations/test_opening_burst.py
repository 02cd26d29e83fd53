"""When registration opens, hundreds register at once and each waits for the event's lock: what a registration does
while it holds it is only the seat count (and a waiting party's place in line); the rest is written before, and
stays right when the seats went (or the event was called off) in the meantime."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.events.operations import cancel_event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.registrations.operations import RegistrationClosedError, register
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.returnees.operations import ProfileData, erase_profile
from rueckkehr.transactions import unit_of_work
from tests.support.smtp import SMTPServer

PROFILE = ProfileData(first_name="Kim", last_name="Lehmann", postal_code="01968", city="Senftenberg", country="DE")


def sign_up(event_id: int, email: str) -> None:
    register(event_id, email=email, language="de", profile_data=PROFILE, companions=0, optional_consents=[])


def is_lock(statement: str) -> bool:
    """The statement of ``events.operations.lock_events`` (``FOR NO KEY UPDATE`` on PostgreSQL; on SQLite the write lock
    is held from the transaction's start, and the statement marks the same point)."""
    return "FROM events" in statement and "ORDER BY events.id" in statement


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the test's own thread sends, and ``COMMIT`` where a transaction commits."""
    seen: list[str] = []
    main = threading.get_ident()

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() == main:
            seen.append(" ".join(statement.split()))

    def committed(conn: Any) -> None:
        if threading.get_ident() == main:
            seen.append("COMMIT")

    sa_event.listen(db.engine, "before_cursor_execute", note)
    sa_event.listen(db.engine, "commit", committed)
    yield seen
    sa_event.remove(db.engine, "before_cursor_execute", note)
    sa_event.remove(db.engine, "commit", committed)


@contextmanager
def before_the_lock(app: Flask, action: Callable[[], None]) -> Iterator[None]:
    """Run ``action`` in another thread (its own session and transaction, committed) just before the registration
    takes the event's lock: what another request could do at that moment."""
    main = threading.get_ident()
    done: list[bool] = []

    def meanwhile() -> None:
        with app.app_context(), unit_of_work():
            action()

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() == main and not done and is_lock(statement):
            done.append(True)
            other = threading.Thread(target=meanwhile)
            other.start()
            other.join(timeout=30)

    sa_event.listen(db.engine, "before_cursor_execute", hook)
    yield
    sa_event.remove(db.engine, "before_cursor_execute", hook)
    assert done, "the registration never took the event's lock"


def test_under_the_lock_a_registration_only_counts_and_writes_its_place_in_line(
    app: Flask, make_event: Callable[..., Event], statements: list[str]
) -> None:
    event = make_event(capacity=1)
    with unit_of_work():
        sign_up(event.id, "first@example.org")
    # Its row and its mail were written before the lock; under it one read of the seats and the line, the audit
    # entry of the outcome, then the commit.
    under_lock = after_the_lock(statements)
    assert [s.split(" ")[0] for s in under_lock] == ["SELECT", "INSERT"], under_lock
    assert "FROM registrations" in under_lock[0] and under_lock[1].startswith("INSERT INTO audit_entries")
    statements.clear()
    with unit_of_work():
        sign_up(event.id, "second@example.org")
    # The seat is gone: the party waits, and its place in line is written under the lock as well.
    under_lock = after_the_lock(statements)
    assert under_lock[0].startswith("SELECT") and len(under_lock) == 3, under_lock
    writes = sorted(statement.split("=")[0] for statement in under_lock[1:])
    assert writes[0].startswith("INSERT INTO audit_entries"), under_lock
    assert writes[1] == "UPDATE registrations SET waitlist_position", under_lock
    rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [(r.status, r.waitlist_position) for r in rows] == [
        (RegistrationStatus.UNCONFIRMED, None),
        (RegistrationStatus.WAITING, 1),
    ]


def after_the_lock(statements: list[str]) -> list[str]:
    """The statements after the event's lock was taken, until the commit."""
    locked = next(index for index, statement in enumerate(statements) if is_lock(statement))
    return statements[locked + 1 : statements.index("COMMIT", locked)]


def postgres_only(app: Flask) -> None:
    if db.engine.dialect.name == "sqlite":
        pytest.skip(
            "on SQLite a registration holds the database's write lock from its start: nothing happens meanwhile"
        )


def test_the_last_seat_taken_meanwhile_puts_the_registration_on_the_waiting_list_and_its_mail_says_so(
    app: Flask, make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    postgres_only(app)
    event_id = make_event(capacity=1).id
    with before_the_lock(app, lambda: sign_up(event_id, "quicker@example.org")), unit_of_work():
        sign_up(event_id, "late@example.org")

    rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id)).all()
    assert {(r.profile.email, r.status, r.waitlist_position) for r in rows} == {
        ("quicker@example.org", RegistrationStatus.UNCONFIRMED, None),
        ("late@example.org", RegistrationStatus.WAITING, 1),
    }
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "late@example.org")).all()
    assert len(mails) == 1  # the request composed for a seat was replaced, not sent as well
    late = next(m for m in smtp.wait_for(2) if m.envelope_to == ["late@example.org"])
    assert "Warteliste" in late.text_body()
    assert "Ihr Platz ist für Sie reserviert" not in late.text_body()


def test_an_event_called_off_meanwhile_keeps_nothing_of_the_registration(
    app: Flask, make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    postgres_only(app)
    event_id = make_event(capacity=10).id
    # The page answers "called off", and its request commits.
    with before_the_lock(app, lambda: cancel_event(event_id)), unit_of_work(), pytest.raises(RegistrationClosedError):
        sign_up(event_id, "new@example.org")

    assert db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.email == "new@example.org")).all() == []
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "new@example.org")).all() == []
    assert db.session.scalars(select(Registration).where(Registration.event_id == event_id)).all() == []


def test_a_profile_erased_while_a_second_submission_waits_for_the_lock_neither_deadlocks_nor_leaves_a_row(
    app: Flask, make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    """The second submission has written its row (a share of the profile's row) when the erasure comes; the erasure
    locks the profile first, so neither waits for the other's lock, and nothing of the person stays."""
    postgres_only(app)
    event_id = make_event(capacity=10).id
    with unit_of_work():
        sign_up(event_id, "kim@example.org")
    profile_id = db.session.scalars(select(ReturneeProfile.id)).one()
    main = threading.get_ident()
    failures: list[BaseException] = []
    eraser: list[threading.Thread] = []

    def erase() -> None:
        try:
            with app.app_context(), unit_of_work():
                erase_profile(profile_id)
        except BaseException as error:  # a deadlock aborts one of the two
            failures.append(error)

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.get_ident() == main and not eraser and is_lock(statement):
            eraser.append(threading.Thread(target=erase))
            eraser[0].start()
            eraser[0].join(timeout=1.5)  # the erasure waits for this registration (or, before, took the event)

    sa_event.listen(db.engine, "before_cursor_execute", hook)
    try:
        with unit_of_work():
            sign_up(event_id, "kim@example.org")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", hook)
    eraser[0].join(timeout=30)
    assert not eraser[0].is_alive() and failures == []
    db.session.rollback()
    assert db.session.scalars(select(ReturneeProfile)).all() == []
    assert db.session.scalars(select(Registration)).all() == []
