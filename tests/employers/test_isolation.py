"""The isolation matrix: a second employer gets 404 on every employer route that names the first one's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.employers.models import Employer, StandStatus, VacancyStatus
from rueckkehr.extensions import db


@pytest.fixture
def first_company(
    make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Any],
    make_stand: Callable[..., Any],
    make_event: Callable[..., Any],
) -> dict[str, Any]:
    """A company with a colleague, a draft, a published vacancy and a stand."""
    employer = make_employer(name="Erste Firma GmbH")
    colleague = User(
        email="kollege@erste-firma.example", role=Role.EMPLOYER, full_name="Karl Kollege", employer_id=employer.id
    )
    colleague.set_password("correct horse battery staple")
    db.session.add(colleague)
    db.session.commit()
    draft = make_vacancy(employer, title="Geheimer Entwurf", status=VacancyStatus.DRAFT)
    published = make_vacancy(employer, title="Öffentliche Stelle")
    stand = make_stand(employer, make_event(), status=StandStatus.REQUESTED)
    return {"employer": employer, "colleague": colleague, "draft": draft, "published": published, "stand": stand}


def owned_routes(company: dict[str, Any]) -> list[tuple[str, str]]:
    """Every employer-area route that takes an id, filled with the first company's ids."""
    draft, published, stand, colleague = (
        company["draft"].id,
        company["published"].id,
        company["stand"].id,
        company["colleague"].id,
    )
    return [
        ("GET", f"/employer/vacancies/{draft}"),
        ("GET", f"/employer/vacancies/{published}"),
        ("GET", f"/employer/vacancies/{draft}/edit"),
        ("POST", f"/employer/vacancies/{draft}/edit"),
        ("POST", f"/employer/vacancies/{draft}/submit"),
        ("POST", f"/employer/vacancies/{draft}/delete"),
        ("POST", f"/employer/vacancies/{published}/withdraw"),
        ("POST", f"/employer/vacancies/{published}/filled"),
        ("POST", f"/employer/stands/{stand}/cancel"),
        ("POST", f"/employer/colleagues/{colleague}/remove"),
    ]


def test_the_matrix_covers_every_employer_route_with_an_id(app: Flask, first_company: dict[str, Any]) -> None:
    with_ids = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("company_area.") and "<int:" in rule.rule
    }
    covered = set()
    for _method, path in owned_routes(first_company):
        for rule in with_ids:
            prefix = rule.split("<int:")[0]
            suffix = rule.split(">", 1)[1]
            if (
                path.startswith(prefix)
                and path.endswith(suffix)
                and path[len(prefix) : len(path) - len(suffix)].isdigit()
            ):
                covered.add(rule)
    assert covered == with_ids


def test_a_second_employer_gets_404_everywhere(
    client: FlaskClient, first_company: dict[str, Any], make_employer: Callable[..., Employer], login: Callable
) -> None:
    second = make_employer(name="Zweite Firma GmbH").users[0]
    login(client, second.email)
    for method, path in owned_routes(first_company):
        response = client.open(path, method=method, data={"title": "Übernommen"})
        assert response.status_code == 404, (method, path)
        assert "Erste Firma" not in response.get_data(as_text=True)
        assert "Geheimer Entwurf" not in response.get_data(as_text=True)
    dashboard = client.get("/employer").get_data(as_text=True)
    assert "Zweite Firma GmbH" in dashboard
    assert "Geheimer Entwurf" not in dashboard
    assert "Karl Kollege" not in client.get("/employer/colleagues").get_data(as_text=True)
    db.session.rollback()
    draft = db.session.get(type(first_company["draft"]), first_company["draft"].id)
    assert draft.title == "Geheimer Entwurf"
    assert draft.status == VacancyStatus.DRAFT
    assert db.session.get(User, first_company["colleague"].id) is not None


def test_organizers_and_visitors_do_not_reach_the_employer_area(
    client: FlaskClient, first_company: dict[str, Any], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    for method, path in owned_routes(first_company):
        assert client.open(path, method=method).status_code in (302, 400)
    organizer = make_staff(role=Role.ORGANIZER, email="orga@senftenberg.example")
    staff_login(client, organizer)
    for method, path in [*owned_routes(first_company), ("GET", "/employer"), ("GET", "/employer/profile")]:
        assert client.open(path, method=method).status_code == 404, (method, path)


def test_a_draft_is_not_public(client: FlaskClient, first_company: dict[str, Any]) -> None:
    assert client.get(f"/jobs/{first_company['draft'].id}").status_code == 404
    assert client.get(f"/jobs/{first_company['published'].id}").status_code == 200
