"""The board finds what people type: parts of compound words, everyday names of occupations, a town in the query."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from rueckkehr.employers.models import StandStatus
from tests.employers.test_board import titles
from tests.support.pages import visible_text

# title, KldB group, level, town, description: the kind of vacancies the region lists
LISTED = [
    ("Pflegefachkraft (w/m/d) ambulante Pflege", "81", 2, "finsterwalde", "Sie versorgen Patienten zu Hause."),
    ("Pflegehelfer/in", "82", 1, "finsterwalde", "Unterstützung im Alltag und bei der Grundpflege."),
    ("Fachkraft für Lagerlogistik", "51", 2, "schipkau", "Wareneingang, Kommissionierung, Versand."),
    ("Berufskraftfahrer/in (C/CE)", "52", 2, "schipkau", "Nahverkehr in Brandenburg und Sachsen."),
    ("Softwareentwickler/in Python", "43", 3, "senftenberg", "Software für Stadtwerke."),
    ("Sachbearbeiter/in Bauverwaltung", "73", 3, "grossraeschen", "Bauanträge und Bebauungspläne."),
    ("Chemikant/in im Schichtdienst", "41", 2, "schwarzheide", "Anlagen der Batteriematerial-Produktion."),
    ("Tischler/in Möbelbau", "22", 2, "lauchhammer", "Wir fertigen Möbel aus Massivholz."),
    ("Ärztin / Arzt in Weiterbildung", "81", 4, "senftenberg", "Innere Medizin an beiden Standorten."),
    ("Ärztin / Arzt Allgemeinmedizin", "81", 4, "grossraeschen", "Hausarztpraxis am See."),
    ("Ingenieur/in Verfahrenstechnik", "27", 4, "schwarzheide", "Mit Erfahrung im Anlagenbau."),
]


@pytest.fixture
def listed(make_vacancy: Callable[..., Any], town: Callable) -> dict[str, Any]:
    return {
        title: make_vacancy(
            title=title, occupation_group_code=group, skill_level=level, town=town(place), description=text
        )
        for title, group, level, place, text in LISTED
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Pflege", {"Pflegefachkraft (w/m/d) ambulante Pflege", "Pflegehelfer/in"}),
        ("Lager", {"Fachkraft für Lagerlogistik"}),
        ("Fahrer", {"Berufskraftfahrer/in (C/CE)"}),  # not the engineer "mit Erfahrung" in "Verfahrenstechnik"
        ("Entwickler", {"Softwareentwickler/in Python"}),
        ("Verwaltung", {"Sachbearbeiter/in Bauverwaltung"}),
        ("Chemie", {"Chemikant/in im Schichtdienst"}),
        ("Holz", {"Tischler/in Möbelbau"}),
        ("Schreiner", {"Tischler/in Möbelbau"}),
        ("Schreinerin", {"Tischler/in Möbelbau"}),
        ("Krankenschwester", {"Pflegefachkraft (w/m/d) ambulante Pflege"}),
        ("Pflegefachfrau", {"Pflegefachkraft (w/m/d) ambulante Pflege"}),
        ("Arzt Senftenberg", {"Ärztin / Arzt in Weiterbildung"}),
        ("Ärztin in Großräschen", {"Ärztin / Arzt Allgemeinmedizin"}),
    ],
)
def test_the_board_finds_what_people_type(
    client: FlaskClient, listed: dict[str, Any], query: str, expected: set[str]
) -> None:
    page = client.get("/jobs", query_string={"q": query}).get_data(as_text=True)
    assert set(titles(page)) == expected


def test_a_town_in_the_query_becomes_the_town_filter(client: FlaskClient, listed: dict[str, Any]) -> None:
    page = client.get("/jobs", query_string={"q": "Senftenberg"}).get_data(as_text=True)
    assert set(titles(page)) == {"Ärztin / Arzt in Weiterbildung", "Softwareentwickler/in Python"}
    assert re.search(r'<option value="senftenberg" selected>', page)


def test_an_exact_word_ranks_above_a_compound_that_contains_it(
    client: FlaskClient, make_vacancy: Callable[..., Any]
) -> None:
    make_vacancy(title="Pflegedienstleitung", occupation_group_code="81", description="Leitung des Teams.")
    make_vacancy(title="Fachkraft Pflege", occupation_group_code="81", description="Pflege im Heim.")
    assert titles(client.get("/jobs?q=Pflege").get_data(as_text=True)) == ["Fachkraft Pflege", "Pflegedienstleitung"]


def test_a_vacancy_says_where_its_employer_meets_returnees(
    client: FlaskClient,
    make_vacancy: Callable[..., Any],
    make_employer: Callable[..., Any],
    make_event: Callable[..., Any],
    make_stand: Callable[..., Any],
) -> None:
    employer = make_employer(name="Klinikum Niederlausitz")
    vacancy = make_vacancy(employer, title="Pflegefachkraft")
    event = make_event(title="Rückkehrertag Senftenberg")
    make_stand(employer, event, status=StandStatus.CONFIRMED)
    other = make_vacancy(title="Elektriker/in", description="Ohne Stand.")
    make_stand(other.employer, make_event(), status=StandStatus.REQUESTED)  # not confirmed: no note
    board = client.get("/jobs").get_data(as_text=True)
    assert visible_text(client.get("/jobs")).count("Treffen Sie uns am") == 1
    assert f'href="/events/{event.id}"' in board
    detail = visible_text(client.get(f"/jobs/{vacancy.id}"))
    assert "Treffen Sie uns am" in detail and "in Senftenberg" in detail
    assert "Treffen Sie uns" not in visible_text(client.get(f"/jobs/{other.id}"))
