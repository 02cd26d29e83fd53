"""How PostgreSQL runs the registration list of a large event: one kept plan for a page, no compilation at the end.

A page of 5,000 registrations is read by one statement. PostgreSQL plans it once and keeps the plan when the
statement's only parameters are the filter's values. Without that it planned every page anew, which cost about
half as much as running it. The last pages, which a planner guesses to be dear, were compiled to machine code
(JIT) before they ran: about 300 ms for a page that takes 1 ms to read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, text
from sqlalchemy import event as sqlalchemy_event

from rueckkehr.accounts.models import Role, User
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus, sort_names
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.units import start_writing

PEOPLE = 5_000


@pytest.fixture
def large_event(app: Flask, make_event: Callable[..., Event]) -> Event:
    """An event with 5,000 registrations of varied state, its statistics up to date (as autovacuum keeps them)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plans and the JIT compilation are PostgreSQL's")
    event = make_event(capacity=PEOPLE)
    start_writing()
    now = datetime.now(UTC)
    first_id = int(db.session.scalar(text("SELECT coalesce(max(id), 0) FROM returnee_profiles")) or 0) + 1
    ids = range(first_id, first_id + PEOPLE)
    db.session.execute(
        ReturneeProfile.__table__.insert(),
        [
            {"id": number, "email": f"p{number}@example.org", "language": "de", "first_name": "Kim",
             "last_name": f"Name{number:05}", "postal_code": "01968", "city": "Oslo", "country": "NO",
             "working_times": [], "interests": [], "link_key": f"k{number}", "link_generation": 0,
             "created_at": now, "updated_at": now}
            for number in ids
        ],
    )  # fmt: skip
    statuses = [RegistrationStatus.CONFIRMED] * 6 + [RegistrationStatus.WAITING, RegistrationStatus.CANCELLED]
    db.session.execute(
        Registration.__table__.insert(),
        [
            {"profile_id": number, "event_id": event.id, "status": statuses[number % len(statuses)].value,
             "waitlist_position": number, "sort_last_name": sort_names(first="Kim", last=f"Name{number:05}")[0],
             "sort_first_name": "kim", "companions": 0, "submission": {}, "confirm_nonce": "", "uid": f"plan-{number}",
             "sequence": 0, "walk_in": False, "created_at": now, "confirmed_at": now}
            for number in ids
        ],
    )  # fmt: skip
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return event


@contextmanager
def page_statements(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their parameters) that read a page of the list while the block runs."""
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if "party_size" in statement:
            seen.append((statement, parameters))

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", keep)


def the_page_statement(
    client: FlaskClient, app: Flask, path: str, make_staff: Callable[..., User], staff_login: Callable
) -> tuple[str, Any, Connection]:
    """The one statement an admin's page of the list ran, its parameters, and a connection of the app's engine
    (set up as every request's is) to run it again on."""
    staff_login(client, make_staff(role=Role.ADMIN))
    with page_statements(app) as seen:
        response = client.get(path)
    assert response.status_code == 200 and "Name" in response.get_data(as_text=True)
    assert len(seen) == 1
    db.session.rollback()
    return seen[0][0], seen[0][1], db.session.connection()


def test_the_last_page_of_a_large_event_is_not_compiled_before_it_runs(
    client: FlaskClient, app: Flask, large_event: Event, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    path = f"/organizer/events/{large_event.id}/registrations?page=100"
    statement, parameters, connection = the_page_statement(client, app, path, make_staff, staff_login)
    assert connection.exec_driver_sql("SHOW jit").scalar_one() == "off"
    plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters).scalar_one()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert plan[0]["Plan"]["Actual Rows"] == 50
    assert "JIT" not in plan[0], plan[0]["JIT"]


def test_postgresql_keeps_one_plan_for_the_first_page(
    client: FlaskClient, app: Flask, large_event: Event, make_staff: Callable[..., User], staff_login: Callable
) -> None:
    path = f"/organizer/events/{large_event.id}/registrations"
    statement, parameters, connection = the_page_statement(client, app, path, make_staff, staff_login)
    for _ in range(12):  # prepared after five runs (psycopg), then planned five times before a plan is kept
        assert len(connection.exec_driver_sql(statement, parameters).all()) == 50
    generic, custom = connection.execute(
        text("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE :pattern"),
        {"pattern": "%party_size%"},
    ).one()
    assert generic > 0, f"planned anew each time: {custom} plans, none kept"
