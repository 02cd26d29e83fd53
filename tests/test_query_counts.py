"""Every main page runs a fixed number of statements, whatever the number of rows it shows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event as sqlalchemy_event

from rueckkehr.employers.models import Employer, StandStatus
from rueckkehr.events.models import Event, EventSeries, ProgrammeItem
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.consents import CONSENT_VERSION
from rueckkehr.returnees.links import manage_token
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile

FEW, MANY = 1, 50


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app sends while the block runs."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", count)


class Pages:
    """Build the rows each main page shows, ``n`` of each, and return the page's path."""

    def __init__(self, fixtures: dict[str, Any]) -> None:
        self.f = fixtures
        self.day = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=20)

    def events(self, n: int) -> str:
        for number in range(n):
            self.f["make_event"](title=f"Tag {number}", starts_at=self.day + timedelta(days=number))
        return "/events"

    def _exhibitors(self, event: Event, n: int) -> None:
        for _ in range(n):
            self.f["make_stand"](self.f["make_employer"](), event, status=StandStatus.CONFIRMED)

    def event(self, n: int) -> str:
        event = self.f["make_event"]()
        for number in range(n):
            start = event.starts_at + timedelta(minutes=number)
            db.session.add(ProgrammeItem(event=event, starts_at=start, title=f"Punkt {number}"))
        db.session.commit()
        self._exhibitors(event, n)
        return f"/events/{event.id}"

    def jobs(self, n: int) -> str:
        employer = self.f["make_employer"]()
        for number in range(n):
            self.f["make_vacancy"](employer if number % 2 else None, title=f"Elektriker/in {number}")
        return "/jobs"

    def vacancy(self, n: int) -> str:
        employer = self.f["make_employer"]()
        vacancy = self.f["make_vacancy"](employer)
        for number in range(n):
            self.f["make_stand"](employer, self.f["make_event"](starts_at=self.day + timedelta(days=number)),
                                 status=StandStatus.CONFIRMED)  # fmt: skip
        return f"/jobs/{vacancy.id}"

    def employers(self, n: int) -> str:
        for _ in range(n):
            self.f["make_vacancy"](self.f["make_employer"]())
        return "/employers"

    def employer(self, n: int) -> str:
        employer = self.f["make_employer"]()
        for number in range(n):
            self.f["make_vacancy"](employer, title=f"Stelle {number}")
            self.f["make_stand"](employer, self.f["make_event"](starts_at=self.day + timedelta(days=number)),
                                 status=StandStatus.CONFIRMED)  # fmt: skip
        return f"/employers/{employer.id}"

    def selfservice(self, n: int) -> str:
        profile = ReturneeProfile(email=f"viele-{n}@example.org", first_name="Vi", last_name="Ele", postal_code="01968",
                                  city="Senftenberg", country="DE", confirmed_at=datetime.now(UTC),
                                  occupation_group_code="26", skill_level=2)  # fmt: skip
        db.session.add(profile)
        for number in range(n):
            waiting = number % 2 == 0  # one row is a waiting one, so its place in line is asked for
            event = self.f["make_event"](starts_at=self.day + timedelta(days=number), capacity=0 if waiting else 9)
            self.f["make_stand"](self.f["make_vacancy"]().employer, event, status=StandStatus.CONFIRMED)  # a fair plan
            status = RegistrationStatus.WAITING if waiting else RegistrationStatus.CONFIRMED
            db.session.add(Registration(profile=profile, event=event, status=status, waitlist_position=number,
                                        confirmed_at=datetime.now(UTC)))  # fmt: skip
        db.session.commit()
        return f"/me/{manage_token(profile)}"

    def _returnee(
        self, consents: tuple[ConsentPurpose, ...] = (ConsentPurpose.JOB_ALERTS,), commit: bool = True, **values: Any
    ) -> Any:
        """A confirmed returnee in field 26 with confirmed consents, and a partner in the same field."""
        given = datetime.now(UTC) - timedelta(days=1)
        values = {"occupation_group_code": "26", "skill_level": 2, "partner_occupation_group_code": "26",
                  "partner_skill_level": 3, **values}  # fmt: skip
        profile = ReturneeProfile(
            email=f"r{uuid.uuid4().hex[:12]}@example.org", first_name="Ma", last_name="Tch", postal_code="0150",
            city="Oslo", country="NO", confirmed_at=given, earliest_return="flexible",
            consents=[Consent(purpose=purpose, text_version=CONSENT_VERSION, given_at=given, confirmed_at=given)
                      for purpose in consents], **values,
        )  # fmt: skip
        db.session.add(profile)
        if commit:
            db.session.commit()
        return profile

    def matches(self, n: int) -> str:
        profile = self._returnee()
        for number in range(n):
            self.f["make_vacancy"](title=f"Elektriker/in {number}", skill_level=2 + number % 2)
        return f"/me/{manage_token(profile)}/matches"

    def fair_plan(self, n: int) -> str:
        profile = self._returnee()
        event = self.f["make_event"]()
        for number in range(n):
            employer = self.f["make_employer"]()
            self.f["make_stand"](employer, event, status=StandStatus.CONFIRMED)
            self.f["make_vacancy"](employer, title=f"Elektriker/in {number}", skill_level=2 + number % 2)
        db.session.add(Registration(profile=profile, event=event, status=RegistrationStatus.CONFIRMED,
                                    confirmed_at=datetime.now(UTC)))  # fmt: skip
        db.session.commit()
        return f"/me/{manage_token(profile)}/fair-plan/{event.id}"

    def pool(self, n: int) -> str:
        from rueckkehr.matching.pool_operations import sync_pool_cards
        from tests.support.units import committed, start_writing

        start_writing()
        for number in range(5 * n):  # five share every cell, so the cards are shown
            self._returnee((ConsentPurpose.EMPLOYER_POOL,), commit=False, skill_level=1 + number % 2)
        db.session.commit()
        committed(sync_pool_cards)
        employer: Employer = self.f["make_employer"]()
        self.f["login"](self.f["client"], employer.users[0].email)
        return "/employer/pool"

    def dashboard(self, n: int) -> str:
        employer: Employer = self.f["make_employer"]()
        for number in range(n):
            self.f["make_vacancy"](employer, title=f"Stelle {number}")
            self.f["make_stand"](employer, self.f["make_event"](starts_at=self.day + timedelta(days=number)))
        self.f["login"](self.f["client"], employer.users[0].email)
        return "/employer"

    def stands(self, n: int) -> str:
        employer: Employer = self.f["make_employer"]()
        for number in range(n):
            self.f["make_stand"](employer, self.f["make_event"](starts_at=self.day + timedelta(days=number)))
            self.f["make_event"](starts_at=self.day + timedelta(days=number, hours=1))  # one more to book
        self.f["login"](self.f["client"], employer.users[0].email)
        return "/employer/stands"

    # The public API: a page of up to 100 rows, so the 50 all show

    def api_events(self, n: int) -> str:
        series = EventSeries(title=f"Reihe {n}")
        for number in range(n):
            event = self.f["make_event"](title=f"Tag {number}", starts_at=self.day + timedelta(days=number),
                                         series=series)  # fmt: skip
            self._registrations(event, 1, status=RegistrationStatus.CONFIRMED)  # seats left are counted
        return "/api/v1/events?page_size=100"

    def api_event(self, n: int) -> str:
        return "/api/v1" + self.event(n)

    def api_jobs(self, n: int) -> str:
        self.jobs(n)
        return "/api/v1/jobs?page_size=100&q=Elektriker"

    def api_job(self, n: int) -> str:
        return "/api/v1" + self.vacancy(n)

    def api_employers(self, n: int) -> str:
        for number in range(n):
            self.f["make_vacancy"](self.f["make_employer"](sector_code=str(number % 9)))
        return "/api/v1/employers?page_size=100"

    def api_employer(self, n: int) -> str:
        return "/api/v1" + self.employer(n)

    # The organizer workspace (an admin, after the second factor)

    def _registrations(self, event: Event, n: int, **values: Any) -> None:
        for number in range(n):
            profile = ReturneeProfile(
                email=f"r{event.id}-{values.get('status')}-{number}@example.org",
                first_name="Re",
                last_name=f"G{number}",
                postal_code="01968",
                city="Senftenberg",
                country="DE",
                interests=["advice"],
            )
            db.session.add(Registration(profile=profile, event=event, confirmed_at=datetime.now(UTC), **values))
        db.session.commit()

    def _as_admin(self, path: str) -> str:
        from rueckkehr.accounts.models import Role

        self.f["staff_login"](self.f["client"], self.f["make_staff"](role=Role.ADMIN))
        return path

    def organizer(self, n: int) -> str:
        for number in range(n):
            event = self.f["make_event"](starts_at=self.day + timedelta(days=number))
            self._registrations(event, 2, status=RegistrationStatus.CONFIRMED)
        return self._as_admin("/organizer")

    def organizer_events(self, n: int) -> str:
        for number in range(n):
            self.f["make_event"](starts_at=self.day + timedelta(days=number))
        return self._as_admin("/organizer/events")

    def registrations(self, n: int) -> str:
        event = self.f["make_event"]()
        self._registrations(event, n, status=RegistrationStatus.CONFIRMED)
        return self._as_admin(f"/organizer/events/{event.id}/registrations")

    def series_registrations(self, n: int) -> str:
        series = self.f["make_series"](f"Reihe mit {n}")
        for number in range(n):
            event = self.f["make_event"](series=series, starts_at=self.day + timedelta(days=number))
            self._registrations(event, n, status=RegistrationStatus.CONFIRMED)
            self._registrations(event, 1, status=RegistrationStatus.WAITING, waitlist_position=1)
        return self._as_admin(f"/organizer/series/{series.id}/registrations")

    def approvals(self, n: int) -> str:
        from rueckkehr.employers.models import EmployerStatus, VacancyStatus

        for number in range(n):
            self.f["make_employer"](status=EmployerStatus.PENDING)
            employer = self.f["make_employer"](pending_changes={"name": "Neu"}, changes_submitted_at=datetime.now(UTC))
            self.f["make_vacancy"](employer, status=VacancyStatus.SUBMITTED)
            self.f["make_stand"](employer, self.f["make_event"](starts_at=self.day + timedelta(days=number)))
        return self._as_admin("/organizer/approvals")

    def advice(self, n: int) -> str:
        event = self.f["make_event"]()
        self._registrations(event, n, status=RegistrationStatus.CONFIRMED)
        return self._as_admin("/organizer/advice")

    def audit(self, n: int) -> str:
        self.registrations(n)  # the staff user and its log-in write entries too
        from rueckkehr.audit.models import AuditEntry
        from tests.support.units import start_writing

        start_writing()
        for number in range(n):
            db.session.add(AuditEntry(actor_kind="system", verb="test.done", object_type="event", object_id=number))
        db.session.commit()
        return "/organizer/audit"


PAGES = ["events", "event", "jobs", "vacancy", "employers", "employer", "selfservice", "dashboard", "stands",
         "organizer", "organizer_events", "registrations", "series_registrations", "approvals", "advice", "audit",
         "matches", "fair_plan", "pool",
         "api_events", "api_event", "api_jobs", "api_job", "api_employers", "api_employer"]  # fmt: skip


def statements_for(page: str, n: int, fixtures: dict[str, Any]) -> int:
    """How many statements the page runs with ``n`` rows (the page is asked for once first, to warm caches)."""
    path = getattr(Pages(fixtures), page)(n)
    client: FlaskClient = fixtures["client"]
    assert client.get(path).status_code == 200
    with counted(fixtures["app"]) as statements:
        response = client.get(path)
    assert response.status_code == 200
    if page in os.environ.get("SHOW_STATEMENTS", "").split(","):  # SHOW_STATEMENTS=jobs,event pytest -s …
        print("\n".join(" ".join(statement.split())[:160] for statement in statements))
    return len(statements)


@pytest.mark.parametrize("page", PAGES)
def test_statements_do_not_grow_with_the_rows(
    page: str,
    request: pytest.FixtureRequest,
) -> None:
    names = ["client", "app", "make_event", "make_employer", "make_vacancy", "make_stand", "login", "make_staff",
             "staff_login", "make_series"]  # fmt: skip
    fixtures = {name: request.getfixturevalue(name) for name in names}
    few = statements_for(page, FEW, fixtures)
    many = statements_for(page, MANY, fixtures)  # a second object, or more rows in the same list
    print(f"{page}: {few} statements with {FEW} row(s), {many} with {MANY}")
    assert many == few, f"{page} runs {few} statements for {FEW} row and {many} for {MANY}"


@pytest.mark.parametrize("role", ["admin", "organizer"])
def test_a_page_of_an_events_registrations_is_read_in_one_statement_beside_the_log_in_check(
    role: str, request: pytest.FixtureRequest
) -> None:
    """A page reads the event with its rows (a round trip is a tenth of the page on PostgreSQL), an event with no
    registrations on its own; for an organizer the rows are read behind their towns' gate (nothing of another
    town's event is read), their towns come with the log-in check."""
    from rueckkehr.accounts.models import Role

    names = ["client", "app", "make_event", "make_employer", "make_vacancy", "make_stand", "login", "make_staff",
             "staff_login", "make_series"]  # fmt: skip
    fixtures = {name: request.getfixturevalue(name) for name in names}
    client: FlaskClient = fixtures["client"]
    pages = Pages(fixtures)
    paths = [(pages.registrations(MANY), MANY), (pages.registrations(0), 0)]
    if role == "organizer":  # of Senftenberg, where the events are
        client.post("/logout")
        fixtures["staff_login"](client, fixtures["make_staff"](role=Role.ORGANIZER))
    for path, rows in paths:
        assert client.get(path).status_code == 200
        with counted(fixtures["app"]) as statements:
            response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Anmeldungen: Rückkehrertag Senftenberg" in text  # the event's title, from either statement
        assert "Person am Einlass eintragen" in text  # a published event takes walk-ins
        if rows:
            assert text.count('<tr class="kern-table__row">') == rows + 1  # the head's row and the page's
        reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
        assert "login_sessions" in reads[0]
        expected = 2 if rows else 3
        assert len(reads) == expected, "\n".join(" ".join(read.split())[:120] for read in reads)
