"""The jobs board: German search with inflected and gendered forms, filters, sorting, paging, JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import Employer, EmployerStatus, VacancyStatus
from rueckkehr.employers.search import query_tokens, tokens


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("Elektriker", "Elektrikerin"),
        ("Elektriker", "Elektrikern"),
        ("Elektriker", "Elektriker/in"),
        ("Elektriker", "Elektriker:innen"),
        ("Elektriker", "ElektrikerIn"),
        ("Elektrikerin", "Elektriker (m/w/d)"),
        ("Ärztin", "Arzt"),
        ("Arzt", "Ärztinnen und Ärzte"),
        ("Pflegefachkräfte", "Pflegefachkraft"),
        ("Ingenieurin", "Ingenieur"),
        ("Kollegin", "Kollegen"),
        ("strasse", "Straße"),
    ],
)
def test_the_normaliser_folds_inflected_and_gendered_forms(query: str, document: str) -> None:
    assert set(query_tokens(query)) <= set(tokens(document))


def test_the_normaliser_leaves_words_that_only_end_in_in() -> None:
    assert tokens("Medizin") == ["medizin"]
    assert tokens("Verein") == ["verein"]


def titles(page: str) -> list[str]:
    """The vacancy titles in a board page, in order."""
    return re.findall(r'<h2 class="kern-heading-small"><a class="kern-link" href="/jobs/\d+">([^<]+)</a>', page)


@pytest.fixture
def board(make_vacancy: Callable[..., Any], make_employer: Callable[..., Employer], town: Callable) -> dict[str, Any]:
    """A handful of vacancies across towns, levels and working times."""
    now = datetime.now(UTC)
    hospital = make_employer(name="Klinikum Niederlausitz", sector_code="8")
    return {
        "elektro": make_vacancy(title="Elektriker/in (m/w/d)", published_at=now - timedelta(days=3)),
        "elektro_lauch": make_vacancy(
            title="Mechatroniker",
            description="Wir suchen Elektrikerinnen und Elektriker für die Instandhaltung.",
            town=town("lauchhammer"),
            working_times=["shifts"],
            published_at=now - timedelta(days=1),
        ),
        "aerztin": make_vacancy(
            hospital,
            title="Ärztin / Arzt in Weiterbildung",
            occupation_group_code="81",
            skill_level=4,
            description="Innere Medizin am Standort Großräschen.",
            town=town("grossraeschen"),
            working_times=["full_time", "part_time"],
            published_at=now - timedelta(days=2),
        ),
        "draft": make_vacancy(title="Elektriker Entwurf", status=VacancyStatus.DRAFT),
        "pending_employer": make_vacancy(
            make_employer(status=EmployerStatus.PENDING, approved_at=None), title="Elektriker ungeprüft"
        ),
        "stale": make_vacancy(title="Elektriker alt", valid_until=berlin_today() - timedelta(days=1)),
    }


@pytest.mark.parametrize("query", ["Elektriker", "Elektrikerin", "elektrikern", "Elektriker/in", "ELEKTRIKER:INNEN"])
def test_search_finds_inflected_and_gendered_forms(client: FlaskClient, board: dict[str, Any], query: str) -> None:
    page = client.get("/jobs", query_string={"q": query}).get_data(as_text=True)
    assert "2 Stellen gefunden" in page
    assert set(titles(page)) == {"Elektriker/in (m/w/d)", "Mechatroniker"}


def test_aerztin_finds_arzt(client: FlaskClient, board: dict[str, Any]) -> None:
    page = client.get("/jobs?q=%C3%84rztin").get_data(as_text=True)
    assert titles(page) == ["Ärztin / Arzt in Weiterbildung"]
    assert titles(client.get("/jobs?q=Arzt+Medizin").get_data(as_text=True)) == ["Ärztin / Arzt in Weiterbildung"]
    assert titles(client.get("/jobs?q=Arzt+Elektriker").get_data(as_text=True)) == []


def test_drafts_unapproved_and_stale_vacancies_stay_off_the_board(client: FlaskClient, board: dict[str, Any]) -> None:
    page = client.get("/jobs").get_data(as_text=True)
    assert "3 Stellen gefunden" in page
    assert titles(page) == ["Mechatroniker", "Ärztin / Arzt in Weiterbildung", "Elektriker/in (m/w/d)"]


def test_relevance_puts_title_matches_first(client: FlaskClient, board: dict[str, Any]) -> None:
    newest = titles(client.get("/jobs?q=Elektriker&sort=newest").get_data(as_text=True))
    relevant = titles(client.get("/jobs?q=Elektriker&sort=relevance").get_data(as_text=True))
    assert newest == ["Mechatroniker", "Elektriker/in (m/w/d)"]
    assert relevant == ["Elektriker/in (m/w/d)", "Mechatroniker"]


def test_with_a_search_term_the_best_match_comes_first(client: FlaskClient, board: dict[str, Any]) -> None:
    page = client.get("/jobs?q=Elektriker").get_data(as_text=True)
    assert titles(page) == ["Elektriker/in (m/w/d)", "Mechatroniker"]
    assert 'value="relevance" selected' in page
    assert titles(client.get("/jobs").get_data(as_text=True))[0] == "Mechatroniker"  # no term: the newest first


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"town": "lauchhammer"}, ["Mechatroniker"]),
        ({"town": "grossraeschen"}, ["Ärztin / Arzt in Weiterbildung"]),
        ({"field": "8"}, ["Ärztin / Arzt in Weiterbildung"]),
        ({"field": "26"}, ["Mechatroniker", "Elektriker/in (m/w/d)"]),
        ({"level": "4"}, ["Ärztin / Arzt in Weiterbildung"]),
        ({"time": "shifts"}, ["Mechatroniker"]),
        ({"time": "part_time"}, ["Ärztin / Arzt in Weiterbildung"]),
        ({"q": "Elektriker", "town": "senftenberg"}, ["Elektriker/in (m/w/d)"]),
    ],
)
def test_filters_live_in_the_url(
    client: FlaskClient, board: dict[str, Any], args: dict[str, str], expected: list[str]
) -> None:
    page = client.get("/jobs", query_string=args).get_data(as_text=True)
    assert titles(page) == expected
    for value in args.values():
        assert f'value="{value}" selected' in page or f'value="{value}"' in page


@pytest.mark.parametrize(
    "query",
    ["'\"; DROP TABLE vacancies; --", "NEAR(", "*", "-", "a OR 1=1", "%", "_", "\\", "🙂", "ä" * 500],
)
def test_hostile_or_odd_searches_never_fail(client: FlaskClient, board: dict[str, Any], query: str) -> None:
    response = client.get("/jobs", query_string={"q": query})
    assert response.status_code == 200
    assert "gefunden" in response.get_data(as_text=True)
    assert client.get("/jobs?q=Elektriker").status_code == 200  # the table is still there


def test_a_nul_byte_in_the_search_finds_no_page(client: FlaskClient, board: dict[str, Any]) -> None:
    """Nobody can type one; PostgreSQL refuses it in text, so the request ends before any query."""
    assert client.get("/jobs", query_string={"q": "Elektriker\x00"}).status_code == 404


@pytest.mark.parametrize(
    "args",
    [{"town": "atlantis"}, {"field": "x"}, {"level": "9"}, {"time": "nie"}, {"page": "abc"}, {"page": "-3"}],
)
def test_unknown_filter_values_show_a_message_not_an_error(
    client: FlaskClient, board: dict[str, Any], args: dict[str, str]
) -> None:
    response = client.get("/jobs", query_string=args)
    assert response.status_code == 200
    assert "3 Stellen gefunden" in response.get_data(as_text=True)


def test_pagination_with_a_count(
    client: FlaskClient, make_vacancy: Callable[..., Any], make_employer: Callable
) -> None:
    employer = make_employer()
    now = datetime.now(UTC)
    for number in range(23):
        make_vacancy(employer, title=f"Pflegefachkraft {number:02d}", published_at=now - timedelta(minutes=number))
    first = client.get("/jobs?q=Pflegefachkr%C3%A4fte").get_data(as_text=True)
    assert "23 Stellen gefunden" in first
    assert len(titles(first)) == 20
    assert "Seite 1 von 2" in first
    assert 'href="/jobs?page=2&amp;q=Pflegefachkr%C3%A4fte"' in first
    second = client.get("/jobs?q=Pflegefachkr%C3%A4fte&page=2").get_data(as_text=True)
    assert titles(second) == ["Pflegefachkraft 20", "Pflegefachkraft 21", "Pflegefachkraft 22"]


def json_ld(page: str) -> dict[str, Any]:
    """The JSON-LD block of a page."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def test_vacancy_page_has_job_posting_json_ld(client: FlaskClient, board: dict[str, Any]) -> None:
    vacancy = board["aerztin"]
    page = client.get(f"/jobs/{vacancy.id}").get_data(as_text=True)
    assert "Klinikum Niederlausitz" in page
    assert "Großräschen" in page
    assert "Experte/Expertin" in page
    assert 'href="mailto:bewerbung@betrieb.example"' in page
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    for required in ("title", "description", "datePosted", "validThrough", "hiringOrganization", "jobLocation"):
        assert data[required], required
    assert data["title"] == "Ärztin / Arzt in Weiterbildung"
    assert data["employmentType"] == ["FULL_TIME", "PART_TIME"]
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"] == "Klinikum Niederlausitz"
    address = data["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressLocality"] == "Großräschen"
    assert address["addressCountry"] == "DE"
    assert re.fullmatch(r"\d{5}", address["postalCode"])
    assert datetime.fromisoformat(data["validThrough"]).date() == vacancy.valid_until
    assert datetime.fromisoformat(data["datePosted"]).date() <= berlin_today()


def test_json_ld_cannot_break_out_of_its_script(client: FlaskClient, make_vacancy: Callable[..., Any]) -> None:
    vacancy = make_vacancy(title="</script><script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    page = client.get(f"/jobs/{vacancy.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert json_ld(page)["title"] == "</script><script>alert(1)</script>"


def test_markdown_is_rendered_and_sanitised(client: FlaskClient, make_vacancy: Callable[..., Any]) -> None:
    vacancy = make_vacancy(
        description="# Aufgaben\n\n- **Planen**\n- [Mehr](https://example.org) [böse](javascript:alert(1))\n\n"
        "<script>alert(1)</script><iframe src=x></iframe>"
    )
    page = client.get(f"/jobs/{vacancy.id}").get_data(as_text=True)
    assert "<h3>Aufgaben</h3>" in page
    assert "<strong>Planen</strong>" in page
    assert 'href="https://example.org"' in page
    assert "javascript:" not in page
    assert "<iframe" not in page
    assert "alert(1)" not in page


def test_employer_pages_list_approved_employers_only(
    client: FlaskClient, board: dict[str, Any], make_employer: Callable[..., Employer]
) -> None:
    hidden = make_employer(name="Noch Ungeprüft GmbH", status=EmployerStatus.PENDING, approved_at=None)
    page = client.get("/employers").get_data(as_text=True)
    assert "Klinikum Niederlausitz" in page
    assert "1 offene Stelle" in page
    assert "Noch Ungeprüft GmbH" not in page
    assert client.get(f"/employers/{hidden.id}").status_code == 404
    assert client.get("/employers/999999").status_code == 404


def test_pagination_links_carry_only_the_filters(client: FlaskClient, make_vacancy: Callable[..., Any]) -> None:
    for number in range(22):
        make_vacancy(title=f"Elektriker/in Nummer {number}")
    response = client.get("/jobs?q=Elektriker&_method=DELETE&_anchor=x&_external=1&page=1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    assert sorted(next_link.removeprefix("/jobs?").split("&amp;")) == ["page=2", "q=Elektriker"]
    links = re.findall(r'href="([^"]*)"', html)
    assert not [link for link in links if "_method" in link or "#x" in link or link.startswith("http://localhost")]


def test_a_filled_or_withdrawn_job_says_it_is_no_longer_available_and_leads_to_the_board(
    client: FlaskClient, make_vacancy: Callable[..., Any]
) -> None:
    from rueckkehr.employers.vacancies import mark_filled, withdraw_vacancy
    from tests.support.pages import visible_text
    from tests.support.units import committed

    filled, withdrawn, draft = make_vacancy(), make_vacancy(), make_vacancy(status=VacancyStatus.DRAFT)
    committed(lambda: mark_filled(db_vacancy(filled.id)))
    committed(lambda: withdraw_vacancy(db_vacancy(withdrawn.id)))
    for vacancy in (filled, withdrawn):  # a match mail's link, after the job was taken
        page = client.get(f"/jobs/{vacancy.id}")
        assert page.status_code == 410
        text = visible_text(page)
        assert "Diese Stelle ist nicht mehr verfügbar" in text and "Vielleicht wurde die Veranstaltung" not in text
        assert '<a class="kern-link" href="/jobs">Zur Stellenbörse</a>' in page.get_data(as_text=True)
        english = client.get(f"/jobs/{vacancy.id}?lang=en")
        assert english.status_code == 410 and "This job is no longer available" in visible_text(english)
        assert '<a class="kern-link" href="/jobs?lang=en">To the jobs board</a>' in english.get_data(as_text=True)
    for never_public in (draft.id, 999_999):  # nothing says a draft exists
        page = client.get(f"/jobs/{never_public}")
        assert page.status_code == 404 and "nicht mehr verfügbar" not in visible_text(page)
        assert '<a class="kern-link" href="/jobs">Zur Stellenbörse</a>' in page.get_data(as_text=True)


def db_vacancy(vacancy_id: int) -> Any:
    from rueckkehr.employers.models import Vacancy
    from rueckkehr.extensions import db

    return db.session.get(Vacancy, vacancy_id)
