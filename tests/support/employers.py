"""Factories for employers, their users, vacancies and stands, and a helper that logs a user in (a plugin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import (
    Contract,
    Employer,
    EmployerStatus,
    SizeBand,
    StandBooking,
    StandStatus,
    Vacancy,
    VacancyStatus,
)
from rueckkehr.employers.vacancies import index_vacancy
from rueckkehr.extensions import db
from rueckkehr.occupations.working_times import in_order
from rueckkehr.places.models import Town
from tests.support.units import start_writing

PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_employer(app: Flask, town: Callable[[str], Town]) -> Callable[..., Employer]:
    """Make an approved employer in Senftenberg with one verified user (``employer.users[0]``)."""
    counter = iter(range(1, 1000))

    def factory(*, with_user: bool = True, verified: bool = True, **values: Any) -> Employer:
        start_writing()
        number = next(counter)
        values.setdefault("town", town("senftenberg"))
        values = {
            "name": f"Testbetrieb {number} GmbH",
            "street": "Bahnhofstraße 1",
            "postal_code": "01968",
            "locality": "Senftenberg",
            "sector_code": "2",
            "size_band": SizeBand.MEDIUM,
            "status": EmployerStatus.APPROVED,
            "approved_at": datetime.now(UTC),
            **values,
        }
        employer = Employer(**values)
        db.session.add(employer)
        db.session.flush()
        if with_user:
            user = User(
                email=f"personal{number}@betrieb{number}.example",
                role=Role.EMPLOYER,
                full_name=f"Petra Personal {number}",
                employer_id=employer.id,
                email_verified_at=datetime.now(UTC) if verified else None,
            )
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        return employer

    return factory


@pytest.fixture
def make_vacancy(app: Flask, make_employer: Callable[..., Employer], town: Callable[[str], Town]) -> Callable:
    """Make a vacancy, published and valid for four weeks unless told otherwise, with its search terms."""

    def factory(employer: Employer | None = None, **values: Any) -> Vacancy:
        start_writing()
        employer = employer or make_employer()
        working_times = values.pop("working_times", ["full_time"])
        values.setdefault("town", town("senftenberg"))
        status = values.setdefault("status", VacancyStatus.PUBLISHED)
        values = {
            "title": "Elektriker/in (m/w/d)",
            "occupation_group_code": "26",
            "skill_level": 2,
            "contract": Contract.PERMANENT,
            "description": "Sie installieren **Elektroanlagen** in Gebäuden der Region.",
            "apply_email": "bewerbung@betrieb.example",
            "valid_until": berlin_today() + timedelta(weeks=4),
            "published_at": datetime.now(UTC) if status == VacancyStatus.PUBLISHED else None,
            **values,
        }
        vacancy = Vacancy(employer=employer, **values)
        vacancy.working_times = in_order(working_times)
        db.session.add(vacancy)
        index_vacancy(vacancy)
        db.session.commit()
        return vacancy

    return factory


@pytest.fixture
def make_stand(app: Flask) -> Callable[..., StandBooking]:
    """Make a stand booking, requested unless told otherwise."""

    def factory(employer: Employer, event: Any, **values: Any) -> StandBooking:
        start_writing()
        stand = StandBooking(employer=employer, event=event, **{"status": StandStatus.REQUESTED, **values})
        db.session.add(stand)
        db.session.commit()
        return stand

    return factory


@pytest.fixture
def login() -> Callable[[FlaskClient, str, str], Any]:
    """Log a client in through the real login form."""

    def do(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return do


def in_weeks(weeks: int) -> date:
    """A date some weeks from today in Berlin."""
    return berlin_today() + timedelta(weeks=weeks)
