"""The audit trail: one entry per change of state, with who did it, committed with the change or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from rueckkehr.actors import ActorKind
from rueckkehr.audit.models import AuditEntry, AuditTrailIsAppendOnlyError
from rueckkehr.audit.operations import blank_old_personal_parts, record
from rueckkehr.dates import utcnow
from rueckkehr.employers.models import Employer, EmployerStatus, VacancyStatus
from rueckkehr.employers.operations import approve_employer
from rueckkehr.employers.vacancies import publish_vacancy, submit_vacancy
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.registrations.operations import cancel
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.transactions import unit_of_work
from tests.support.registrations import code_from, link_in
from tests.support.smtp import SMTPServer
from tests.support.units import committed


def entries(verb: str | None = None) -> list[AuditEntry]:
    """The committed entries (a fresh read), oldest first."""
    db.session.rollback()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if verb is not None:
        query = query.where(AuditEntry.verb == verb)
    return list(db.session.scalars(query))


def registered_and_confirmed(client: FlaskClient, smtp: SMTPServer, event: Event, submit: Callable[..., Any]) -> str:
    """Register through the form and confirm through the mailed link; return the self-service path."""
    assert submit(event.id).status_code == 303
    client.post(link_in(smtp.wait_for(1)[0], "/confirm/"))
    manage = link_in(smtp.wait_for(2)[1], "/me/")
    db.session.rollback()  # end the test's own read snapshot: the requests committed since
    return manage


def test_a_returnee_journey_writes_one_entry_per_change_with_its_actor(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    manage = registered_and_confirmed(client, smtp, event, submit)
    profile = db.session.scalars(select(ReturneeProfile)).one()
    registration = db.session.scalars(select(Registration)).one()

    created = entries("registration.created")
    assert len(created) == 1
    assert created[0].actor_kind == ActorKind.PUBLIC  # the address is not proven yet
    assert created[0].object_id == registration.id and created[0].profile_id == profile.id
    assert created[0].town_id == event.venue.town_id
    assert created[0].changes == {"event_id": event.id, "status": "unconfirmed", "companions": 0}

    [confirmed] = entries("registration.confirmed")
    assert confirmed.actor_kind == ActorKind.RETURNEE and confirmed.actor_label == "self-service link"
    assert confirmed.profile_id == profile.id
    given = entries("consent.given")
    assert [entry.changes["purpose"] for entry in given] == ["participation"]
    assert all(entry.actor_kind == ActorKind.RETURNEE for entry in given)

    client.post(f"{manage}/consents", data={"consent_news": "y"})
    [news] = [entry for entry in entries("consent.given") if entry.changes["purpose"] == "news"]
    assert news.actor_kind == ActorKind.RETURNEE and news.profile_id == profile.id

    client.post(f"{manage}/registrations/{registration.id}/cancel")
    [cancelled] = entries("registration.cancelled")
    assert cancelled.actor_kind == ActorKind.RETURNEE
    assert cancelled.changes == {"event_id": event.id, "status": "cancelled", "was_waiting": False}
    # Nothing personal in what is not blanked: no name, no address, no free text.
    for entry in entries():
        assert "jana" not in repr(entry.changes).lower() and "oslo" not in repr(entry.changes).lower()


def test_an_entry_is_committed_with_its_change_and_rolled_back_with_it(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    registered_and_confirmed(client, smtp, event, submit)
    registration_id = db.session.scalars(select(Registration.id)).one()

    with pytest.raises(RuntimeError), unit_of_work():
        cancel(registration_id)
        assert [entry.verb for entry in db.session.scalars(select(AuditEntry))][-1] == "registration.cancelled"
        raise RuntimeError("the request failed after the operation")
    assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
    assert entries("registration.cancelled") == []

    committed(cancel, registration_id)
    assert db.session.get(Registration, registration_id).status == RegistrationStatus.CANCELLED
    assert len(entries("registration.cancelled")) == 1


def test_two_operations_share_one_unit_of_work(
    make_employer: Callable[..., Employer], make_vacancy: Callable[..., Any]
) -> None:
    employer = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    vacancy = make_vacancy(employer, status=VacancyStatus.DRAFT)
    with unit_of_work():
        approve_employer(employer.id)
        submit_vacancy(vacancy)
        publish_vacancy(vacancy.id)
    assert [entry.verb for entry in entries()][-3:] == ["employer.approved", "vacancy.submitted", "vacancy.published"]
    assert {entry.actor_kind for entry in entries()} == {ActorKind.SYSTEM}


def test_commands_jobs_and_logged_in_users_are_named(
    client: FlaskClient,
    runner: FlaskCliRunner,
    make_employer: Callable[..., Employer],
    login: Callable[..., Any],
    make_event: Callable[..., Event],
    submit: Callable[..., Any],
) -> None:
    pending = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    result = runner.invoke(args=["employers", "approve", str(pending.id)])
    assert result.exit_code == 0, result.output
    [approved] = entries("employer.approved")
    assert approved.actor_kind == ActorKind.SYSTEM and approved.actor_label.endswith("employers approve")
    assert approved.town_id == pending.town_id

    employer = make_employer()
    login(client, employer.users[0].email)
    client.post("/employer/stands", data={"event": str(make_event().id), "space_note": "Ein Tisch", "needs_power": "y"})
    [stand] = entries("stand.requested")
    assert stand.actor_kind == ActorKind.USER and stand.actor_user_id == employer.users[0].id
    assert stand.actor_label == "employer"

    event = make_event(capacity=5)
    submit(event.id, email="never-confirms@example.org")
    runner.invoke(args=["jobs", "run"])  # nothing lapses yet
    db.session.rollback()
    with unit_of_work():
        registration = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).one()
        registration.expires_at = utcnow() - timedelta(minutes=1)
    runner.invoke(args=["jobs", "run"])
    [lapsed] = entries("registration.lapsed")
    assert lapsed.actor_kind == ActorKind.SYSTEM and lapsed.actor_label == "job registrations.expire"


def test_the_trail_is_append_only(app: Any) -> None:
    with unit_of_work():
        record("test.recorded", object_type="test", changes={"n": 1})
    [entry] = entries()
    entry.verb = "test.rewritten"
    with pytest.raises(AuditTrailIsAppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditTrailIsAppendOnlyError):
        db.session.flush()
    db.session.rollback()
    assert [e.verb for e in entries()] == ["test.recorded"]


def test_erasure_blanks_the_personal_parts_and_keeps_the_entries(
    client: FlaskClient, smtp: SMTPServer, make_event: Callable[..., Event], submit: Callable[..., Any]
) -> None:
    event = make_event()
    manage = registered_and_confirmed(client, smtp, event, submit)
    profile_id = db.session.scalars(select(ReturneeProfile.id)).one()
    before = len(entries())
    client.post(f"{manage}/erase", data={"step": "request"})
    client.post(f"{manage}/erase", data={"code": code_from(smtp.wait_for(3)[2])})

    kept = entries()
    assert [entry.verb for entry in kept[before:]] == [
        "returnee_profile.code_requested",
        "returnee_profile.code_used",
        "registration.cancelled",  # the seat went back before the data went
        "returnee_profile.erased",
    ]
    assert kept[-2].changes["reason"] == "erasure" and kept[-1].changes == {"reason": "request"}
    assert all(entry.profile_id is None for entry in kept)
    for entry in kept:
        if entry.object_type in ("returnee_profile", "registration", "consent"):
            assert entry.object_id is None and entry.blanked_at is not None
    assert next(e for e in kept if e.verb == "registration.created").town_id == event.venue.town_id
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.profile_id == profile_id)).all()


def test_old_personal_parts_are_blanked_by_the_job(app: Any) -> None:
    with unit_of_work():
        old = record("employer.colleague_invited", object_type="employer", object_id=1, personal={"email": "a@b.de"})
        old.created_at = utcnow() - timedelta(days=400)
        record("employer.colleague_invited", object_type="employer", object_id=1, personal={"email": "c@d.de"})
    assert committed(blank_old_personal_parts) == 1
    first, second = entries()
    assert first.personal is None and first.blanked_at is not None and first.verb == "employer.colleague_invited"
    assert second.personal == {"email": "c@d.de"}


def test_flask_audit_tail_prints_the_newest_entries(app: Any, runner: FlaskCliRunner) -> None:
    with unit_of_work():
        for number in range(3):
            record("vacancy.published", object_type="vacancy", object_id=number, changes={"status": "published"})
    result = runner.invoke(args=["audit", "tail", "-n", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith('vacancy.published vacancy:1 {"status": "published"}')
    assert "vacancy:2" in lines[1]
