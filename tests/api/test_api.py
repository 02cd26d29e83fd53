"""The public API as another portal reads it: only public data, paged with Link headers, ETags, CORS, German and
English, JSON errors, its rate limit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.employers.models import EmployerStatus, StandStatus, VacancyStatus
from rueckkehr.events.models import EventStatus
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.employers import in_weeks

API = "/api/v1"


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()]


def links(response: Any) -> dict[str, str]:
    """The Link header as relation → path with query."""
    found = re.findall(r'<http://[^/]+([^>]*)>; rel="([a-z]+)"', response.headers.get("Link", ""))
    return {relation: target for target, relation in found}


def returnee(event: Any, email: str) -> ReturneeProfile:
    profile = ReturneeProfile(email=email, first_name="Rita", last_name="Rückkehr", postal_code="0150", city="Oslo",
                              country="NO", confirmed_at=datetime.now(UTC))  # fmt: skip
    db.session.add(profile)
    db.session.add(Registration(profile=profile, event=event, status=RegistrationStatus.CONFIRMED,
                                confirmed_at=datetime.now(UTC)))  # fmt: skip
    db.session.commit()
    return profile


def test_only_public_events_are_listed_and_found(client: FlaskClient, make_event: Callable[..., Any]) -> None:
    published = make_event(title="Rückkehrertag Senftenberg")
    cancelled = make_event(title="Abgesagter Tag", status=EventStatus.CANCELLED)
    draft = make_event(title="Entwurf", status=EventStatus.DRAFT)
    past = make_event(title="Vorbei", starts_at=datetime.now(UTC) - timedelta(days=30))
    returnee(published, "rita.rueckkehr@example.no")

    assert ids(client.get(f"{API}/events")) == [published.id, cancelled.id]
    assert ids(client.get(f"{API}/events?past=true")) == [past.id]
    listed = client.get(f"{API}/events").get_json()
    assert [event["status"] for event in listed] == ["published", "cancelled"]
    assert listed[0]["seats_left"] == published.capacity - 1
    assert listed[0]["url"] == f"http://rueckkehr.test/events/{published.id}"
    assert client.get(f"{API}/events/{draft.id}").status_code == 404
    detail = client.get(f"{API}/events/{published.id}")
    assert detail.status_code == 200
    assert detail.get_json()["title"] == "Rückkehrertag Senftenberg"
    for path in ("/events", "/events?past=true", f"/events/{published.id}", f"/events/{draft.id}"):
        body = client.get(API + path).get_data(as_text=True)
        assert "Entwurf" not in body
        assert "rita.rueckkehr" not in body and "Oslo" not in body  # never a returnee


def test_events_by_town_and_month(client: FlaskClient, make_event: Callable[..., Any],
                                  make_venue: Callable[..., Any], town: Callable[[str], Any]) -> None:  # fmt: skip
    senftenberg = make_event()
    finsterwalde = make_event(venue=make_venue(town=town("finsterwalde"), name="Kulturweberei"))
    assert ids(client.get(f"{API}/events?town=finsterwalde")) == [finsterwalde.id]
    month = senftenberg.starts_at.strftime("%Y-%m")
    assert senftenberg.id in ids(client.get(f"{API}/events?month={month}"))
    assert ids(client.get(f"{API}/events?month=2001-01")) == []  # a month, and no event in it
    unknown = client.get(f"{API}/events?town=atlantis")
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"]["query"]["town"] == ["Diese Stadt kennen wir nicht."]
    assert client.get(f"{API}/events?month=2026-13").status_code == 422


def test_event_detail_has_programme_and_exhibitors_of_approved_employers(
    client: FlaskClient, make_event: Callable[..., Any], make_employer: Callable[..., Any],
    make_stand: Callable[..., Any],
) -> None:  # fmt: skip
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    event = make_event(programme=[(start, None, "Begrüßung")])
    shown = make_employer(name="Lausitzer Stahlbau GmbH")
    make_stand(shown, event, status=StandStatus.CONFIRMED)
    make_stand(make_employer(name="Nur angefragt AG"), event)
    make_stand(make_employer(name="Noch nicht freigegeben KG", status=EmployerStatus.PENDING), event,
               status=StandStatus.CONFIRMED)  # fmt: skip
    document = client.get(f"{API}/events/{event.id}").get_json()
    assert [item["title"] for item in document["programme"]] == ["Begrüßung"]
    assert [employer["name"] for employer in document["exhibitors"]] == ["Lausitzer Stahlbau GmbH"]
    assert document["exhibitors"][0]["url"] == f"http://rueckkehr.test/api/v1/employers/{shown.id}"


def test_only_vacancies_on_the_board_are_listed_and_found(
    client: FlaskClient, make_vacancy: Callable[..., Any], make_employer: Callable[..., Any]
) -> None:
    on_board = make_vacancy(title="Elektriker/in (m/w/d)")
    hidden = [
        make_vacancy(title="Entwurf", status=VacancyStatus.DRAFT),
        make_vacancy(title="Eingereicht", status=VacancyStatus.SUBMITTED),
        make_vacancy(title="Besetzt", status=VacancyStatus.FILLED),
        make_vacancy(title="Abgelaufen", valid_until=in_weeks(-1)),
        make_vacancy(make_employer(status=EmployerStatus.PENDING), title="Firma nicht freigegeben"),
    ]
    assert ids(client.get(f"{API}/jobs")) == [on_board.id]
    for vacancy in hidden:
        assert client.get(f"{API}/jobs/{vacancy.id}").status_code == 404
        assert vacancy.title not in client.get(f"{API}/jobs").get_data(as_text=True)
    detail = client.get(f"{API}/jobs/{on_board.id}").get_json()
    assert detail["apply_email"] == "bewerbung@betrieb.example"
    assert "<strong>Elektroanlagen</strong>" in detail["description_html"]
    assert "personal" not in json.dumps(detail)  # the company's users stay private


def test_jobs_take_the_boards_filters(client: FlaskClient, make_vacancy: Callable[..., Any],
                                      town: Callable[[str], Any]) -> None:  # fmt: skip
    electrician = make_vacancy(title="Elektroniker/in für Betriebstechnik", working_times=["full_time", "shifts"])
    nurse = make_vacancy(title="Pflegefachkraft (m/w/d)", occupation_group_code="81", skill_level=2,
                         town=town("lauchhammer"), working_times=["part_time"])  # fmt: skip
    assert ids(client.get(f"{API}/jobs?q=Elektroniker")) == [electrician.id]
    assert ids(client.get(f"{API}/jobs?q=Pflege")) == [nurse.id]  # a compound part, as on the board
    assert ids(client.get(f"{API}/jobs?town=lauchhammer")) == [nurse.id]
    assert ids(client.get(f"{API}/jobs?field=81")) == [nurse.id]
    assert ids(client.get(f"{API}/jobs?field=8")) == [nurse.id]  # the Berufsbereich holds the group
    assert ids(client.get(f"{API}/jobs?time=shifts")) == [electrician.id]
    assert ids(client.get(f"{API}/jobs?level=4")) == []
    assert ids(client.get(f"{API}/jobs?q=Pflege&town=senftenberg")) == []
    board = client.get("/jobs?q=Elektroniker").get_data(as_text=True)
    assert f"/jobs/{electrician.id}" in board  # the board finds the same
    unknown = client.get(f"{API}/jobs?field=99&town=atlantis")
    assert unknown.status_code == 422
    assert set(unknown.get_json()["errors"]["query"]) == {"field", "town"}
    assert client.get(f"{API}/jobs?time=always").status_code == 422


def test_only_approved_employers_with_their_public_profile(
    client: FlaskClient, make_employer: Callable[..., Any], make_vacancy: Callable[..., Any]
) -> None:
    approved = make_employer(name="Alpha Bau GmbH", description="Wir bauen.")
    edited = make_employer(name="Beta Werk GmbH", pending_changes={"name": "Beta Werk NEU", "description": "Geheim"},
                           changes_submitted_at=datetime.now(UTC))  # fmt: skip
    pending = make_employer(name="Gamma wartet GmbH", status=EmployerStatus.PENDING)
    declined = make_employer(name="Delta abgelehnt GmbH", status=EmployerStatus.DECLINED)
    make_vacancy(approved)
    make_vacancy(approved, status=VacancyStatus.DRAFT)
    listed = client.get(f"{API}/employers")
    assert ids(listed) == [approved.id, edited.id]
    assert [employer["open_jobs"] for employer in listed.get_json()] == [1, 0]
    body = listed.get_data(as_text=True)
    assert "NEU" not in body and "Geheim" not in body and "Gamma" not in body and "Delta" not in body
    for hidden in (pending, declined):
        assert client.get(f"{API}/employers/{hidden.id}").status_code == 404
    detail = client.get(f"{API}/employers/{approved.id}").get_json()
    assert detail["description"] == "Wir bauen."
    assert len(detail["jobs"]) == 1
    assert "personal" not in json.dumps(detail)  # its users' names and addresses stay private


def test_pages_follow_their_link_headers(client: FlaskClient, make_employer: Callable[..., Any]) -> None:
    made = [make_employer(name=f"Betrieb {number:02d}").id for number in range(25)]
    first = client.get(f"{API}/employers?page_size=10")
    assert json.loads(first.headers["X-Pagination"])["total"] == 25
    assert links(first) == {
        "first": "/api/v1/employers?page_size=10&page=1",
        "next": "/api/v1/employers?page_size=10&page=2",
        "last": "/api/v1/employers?page_size=10&page=3",
    }
    seen, response = ids(first), first
    while "next" in links(response):
        response = client.get(links(response)["next"])
        seen += ids(response)
    assert seen == made  # every employer once, by name
    assert set(links(response)) == {"first", "prev", "last"}
    beyond = client.get(f"{API}/employers?page_size=10&page=7")
    assert ids(beyond) == []
    assert links(beyond)["prev"] == "/api/v1/employers?page_size=10&page=3"
    for odd in ("page=0", "page=abc", "page=10001", "page_size=101", "page=99999999999999999999999"):
        assert client.get(f"{API}/employers?{odd}").status_code == 422, odd


def test_filters_travel_in_the_links(client: FlaskClient, make_vacancy: Callable[..., Any]) -> None:
    for number in range(3):
        make_vacancy(title=f"Elektriker/in {number}")
    response = client.get(f"{API}/jobs?q=Elektriker&page_size=2")
    assert links(response)["next"] == "/api/v1/jobs?q=Elektriker&page_size=2&page=2"
    assert len(ids(client.get(links(response)["next"]))) == 1


def test_any_query_travels_in_the_links_as_text(client: FlaskClient, make_employer: Callable[..., Any]) -> None:
    for _ in range(2):
        make_employer()
    response = client.get(f"{API}/employers?page_size=1&endpoint=x&_external=0&_anchor=y&tag=a&tag=b")
    assert response.status_code == 200
    assert (
        links(response)["next"] == "/api/v1/employers?endpoint=x&_external=0&_anchor=y&tag=a&tag=b&page_size=1&page=2"
    )


def test_etag_answers_304_until_the_data_changes(client: FlaskClient, make_vacancy: Callable[..., Any]) -> None:
    vacancy = make_vacancy()
    for path in (f"{API}/jobs", f"{API}/jobs/{vacancy.id}"):
        first = client.get(path)
        etag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["ETag"] == etag
        assert again.get_data() == b""
        english = client.get(path, headers={"If-None-Match": etag, "Accept-Language": "en"})
        assert english.status_code == 200  # the labels differ, so does the tag
    etag = client.get(f"{API}/jobs").headers["ETag"]
    make_vacancy(title="Neue Stelle")
    changed = client.get(f"{API}/jobs", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_cors_lets_other_portals_read_but_not_write(client: FlaskClient, make_event: Callable[..., Any]) -> None:
    origin = {"Origin": "https://rueckkehr.brandenburg.example"}
    response = client.get(f"{API}/events", headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "ETag", "X-Pagination"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(f"{API}/events", headers={**origin, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    assert client.get(f"{API}/openapi.json", headers=origin).headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/events", headers=origin).headers  # the site: no CORS
    for method in ("post", "put", "patch", "delete"):
        refused = getattr(client, method)(f"{API}/events/{make_event().id}", headers=origin)
        assert refused.status_code == 405
        assert refused.is_json
        assert "GET" in refused.headers["Allow"]


@time_machine.travel(datetime(2036, 9, 1, 10, 0, tzinfo=UTC), tick=False)  # the event's registration opens in October
def test_german_first_english_through_accept_language(client: FlaskClient, make_vacancy: Callable[..., Any],
                                                      make_event: Callable[..., Any]) -> None:  # fmt: skip
    vacancy = make_vacancy(working_times=["full_time"])
    make_event(starts_at=datetime(2036, 12, 28, 9, 0, tzinfo=UTC))
    german = client.get(f"{API}/jobs/{vacancy.id}")
    assert german.headers["Content-Language"] == "de"
    assert "Accept-Language" in german.headers["Vary"]
    assert german.get_json()["working_times"] == [{"code": "full_time", "label": "Vollzeit"}]
    assert german.get_json()["skill_level"] == {"code": "2", "label": "Fachkraft"}
    english = client.get(f"{API}/jobs/{vacancy.id}", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert english.headers["Content-Language"] == "en"
    document = english.get_json()
    assert document["working_times"] == [{"code": "full_time", "label": "Full-time"}]
    assert document["skill_level"] == {"code": "2", "label": "Skilled worker"}
    assert document["contract"] == {"code": "permanent", "label": "permanent"}
    event = client.get(f"{API}/events", headers={"Accept-Language": "en"}).get_json()[0]
    assert event["time_text"] == "Sunday 28 December 2036, 10:00–15:00"
    assert event["registration"]["label"] == "Registration not yet open"
    assert client.get(f"{API}/events").get_json()[0]["time_text"] == "Sonntag, 28. Dezember 2036, 10:00–15:00 Uhr"
    french = client.get(f"{API}/jobs/{vacancy.id}", headers={"Accept-Language": "fr-FR"})
    assert french.headers["Content-Language"] == "de"
    missing = client.get(f"{API}/jobs/99999", headers={"Accept-Language": "en"})
    assert missing.get_json()["message"] == "There is no such item, or it is not public."
    refused = client.get(f"{API}/jobs?town=atlantis", headers={"Accept-Language": "en"}).get_json()
    assert refused["message"] == "The request holds values that are not valid."
    assert refused["errors"]["query"]["town"] == ["We do not know this town."]


def test_the_site_keeps_ignoring_accept_language(client: FlaskClient) -> None:
    """German first: the pages follow the visitor's choice, not the browser's header; only the API reads it."""
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/events/0", "/events/-1", "/events/2147483648", "/events/99999999999999999999", "/events/abc", "/events/1.5",
     "/events/%00", "/jobs/1e3", "/jobs/%20", "/employers/0x1", "/employers/1/", "/nothing", "/events/1/programme",
     "/jobs?q=%00", "/events?town=%00"],
)  # fmt: skip
def test_odd_ids_and_paths_are_a_json_404(client: FlaskClient, path: str) -> None:
    response = client.get(API + path)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_a_failure_inside_is_a_json_500_that_tells_nothing(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import rueckkehr.api.employers

    def broken() -> None:
        raise RuntimeError("secret detail of the database")

    monkeypatch.setattr(rueckkehr.api.employers, "public_employers_query", broken)
    response = client.get(f"{API}/employers", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert response.get_json() == {
        "code": 500,
        "status": "Internal Server Error",
        "message": "The request could not be answered.",
    }
    assert "secret detail" in caplog.text  # for the operators' log only


def test_unknown_parameters_are_ignored_and_odd_values_refused(client: FlaskClient) -> None:
    assert client.get(f"{API}/jobs?utm_source=portal&lang=xx").status_code == 200
    for odd in ("level=0", "level=zwei", "sort=oldest", "q=" + "x" * 201, "past=vielleicht", "town=Senftenberg"):
        response = client.get(f"{API}/{'events' if 'past' in odd else 'jobs'}?{odd}")
        assert response.status_code == 422, odd
        assert response.get_json()["errors"], odd


def test_a_value_with_more_than_its_pattern_is_refused_as_that_parameter(client: FlaskClient) -> None:
    """A line break after a value (``$`` matches before one) or digits of another script are no month, town or
    field: a 422 that names the parameter, never a 500."""
    for resource, parameter, value in [
        ("events", "month", "2026-12%0A"),
        ("events", "month", "20%D9%A2%D9%A6-12"),  # Arabic-Indic digits
        ("events", "town", "senftenberg%0A"),
        ("jobs", "town", "senftenberg%0A"),
        ("jobs", "field", "2%0A"),
        ("jobs", "field", "%D9%A3"),
    ]:
        response = client.get(f"{API}/{resource}?{parameter}={value}")
        assert response.status_code == 422, (parameter, value)
        assert list(response.get_json()["errors"]["query"]) == [parameter], (parameter, value)


def test_the_api_is_rate_limited_across_its_resources(make_app: Callable[..., Flask]) -> None:
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")
    client = limited.test_client()
    answers = [client.get(f"{API}/{resource}").status_code for resource in ("events", "jobs", "employers", "events")]
    assert answers == [200, 200, 200, 429]
    refused = client.get(f"{API}/jobs", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert refused.get_json()["message"].startswith("Too many requests")
    assert "Retry-After" in refused.headers
    assert client.get("/events").status_code == 200  # the site's pages are not counted
    elsewhere = client.get(f"{API}/events", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 200  # counted per address


def test_the_docs_page_draws_the_document_from_this_site_alone(client: FlaskClient) -> None:
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from elsewhere
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    script = client.get("/static/js/api-docs.js").get_data(as_text=True)
    assert "validatorUrl: null" in script  # Swagger UI would send the document to a validator elsewhere
    english = client.get(f"{API}/docs?lang=en").get_data(as_text=True)
    assert '<h1 class="kern-heading-x-large">Programming interface (API)</h1>' in english


def test_the_document_describes_every_resource(client: FlaskClient) -> None:
    document = client.get(f"{API}/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/jobs", "/api/v1/jobs/{vacancy_id}",
        "/api/v1/employers", "/api/v1/employers/{employer_id}",
    }  # fmt: skip
    for path, operations in document["paths"].items():
        assert set(operations) - {"parameters"} == {"get"}, path  # read-only
    jobs = {parameter.get("name") for parameter in document["paths"]["/api/v1/jobs"]["get"]["parameters"]}
    assert {"q", "town", "field", "level", "time", "sort", "page", "page_size"} <= jobs
