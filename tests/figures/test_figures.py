"""Figures per event and per series: small cells shown as "< 5", a second cell hidden where the first could be
worked out from the total, charts drawn on the server, the same tables as CSV; and counts that outlive erasure."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import product

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from rueckkehr.figures.counting import freeze_ended_events
from rueckkehr.figures.suppression import suppress, total_cell
from rueckkehr.registrations.models import RegistrationStatus
from rueckkehr.registrations.retention import purge_expired_profiles
from rueckkehr.returnees.operations import erase_profile
from rueckkehr.transactions import unit_of_work
from tests.support.attendees import NOW
from tests.support.pages import visible_text

PAST = datetime(2026, 9, 5, 8, 0, tzinfo=UTC)


def shown(cells: list) -> dict[str, str]:
    return {cell.value: cell.shown for cell in cells}


def test_small_cells_are_shown_as_under_five_and_a_second_cell_is_hidden_beside_them() -> None:
    assert shown(suppress({"a": 12, "b": 3, "c": 7, "d": 30})) == {"a": "12", "b": "< 5", "c": "x", "d": "30"}
    # two small ones holding together less than five could be worked out (1 + 1 = 52 - 50): a third goes
    assert shown(suppress({"a": 1, "b": 1, "c": 9, "d": 50})) == {"a": "< 5", "b": "< 5", "c": "x", "d": "50"}
    # small ones alone are not enough, whatever their sum: one hidden beside them is not small
    assert shown(suppress({"a": 2, "b": 4, "c": 40})) == {"a": "< 5", "b": "< 5", "c": "x"}
    assert shown(suppress({"a": 3, "b": 1})) == {"a": "< 5", "b": "< 5"}, "a small total hides everything"
    assert shown(suppress({"a": 0, "b": 9, "c": 6})) == {"a": "0", "b": "9", "c": "6"}, "nothing small, nothing hidden"
    # interests are named several times over: no total, so nothing can be worked out and nothing more is hidden
    assert shown(suppress({"a": 3, "b": 8}, partition=False)) == {"a": "< 5", "b": "8"}


def worked_out(published: dict[str, str], total: str) -> dict[str, int]:
    """The hidden counts a reader can work out from a table as published: "< 5" is 1 to 4, "x" at least 5 and (the
    smallest are hidden first) at most the smallest count shown from five up; together the total minus the rest."""
    shown_counts = [int(value) for value in published.values() if value.isdigit()]
    if not total.isdigit():
        return {}
    rest = int(total) - sum(shown_counts)
    ceiling = min([count for count in shown_counts if count >= 5], default=rest)
    choices = {
        value: range(1, 5) if mark == "< 5" else range(5, ceiling + 1)
        for value, mark in published.items()
        if not mark.isdigit()
    }
    possible: dict[str, set[int]] = {value: set() for value in choices}
    for combination in product(*choices.values()):
        if sum(combination) == rest:
            for value, count in zip(choices, combination, strict=True):
                possible[value].add(count)
    return {value: next(iter(counts)) for value, counts in possible.items() if len(counts) == 1}


def test_no_hidden_count_can_be_worked_out_from_the_total_and_the_marks() -> None:
    # all hidden ones small and their sum four times their number: each is 4
    assert shown(suppress({"a": 4, "b": 4, "c": 10})) == {"a": "< 5", "b": "< 5", "c": "x"}
    assert shown(suppress({"a": 4, "b": 4, "c": 4, "d": 10})) == {"a": "< 5", "b": "< 5", "c": "< 5", "d": "x"}
    # 1 + x = 6 with x at least 5: 1 and 5; and 4 + x = 11 with x at most the other 7: 4 and 7
    assert shown(suppress({"a": 1, "b": 5, "c": 20})) == {"a": "< 5", "b": "x", "c": "x"}
    assert shown(suppress({"a": 4, "b": 7, "c": 7})) == {"a": "< 5", "b": "x", "c": "x"}
    for size, values in ((2, range(13)), (3, range(13)), (4, (0, 1, 2, 4, 5, 6, 9))):
        for counts in product(values, repeat=size):
            table = dict(zip("abcd", counts, strict=False))
            cells = suppress(table)
            total = total_cell(table, cells).shown
            assert not worked_out(shown(cells), total), (table, shown(cells), total)


def fill(event: Event, register: Callable) -> None:
    """12 from Senftenberg, 7 from Lauchhammer, 3 from Finsterwalde; two waiting; one advice wish in Norway."""
    people = (
        [("senftenberg", "DE", "01968", [])] * 12
        + [("lauchhammer", "DE", "80331", ["housing"])] * 7
        + [("finsterwalde", "NO", "0150", ["advice"])] * 3
    )
    for number, (hometown, country, postal_code, interests) in enumerate(people):
        register(
            event,
            f"P{number}",
            hometown=hometown,
            country=country,
            postal_code=postal_code,
            interests=interests,
            status=RegistrationStatus.WAITING if number < 2 else RegistrationStatus.CONFIRMED,
            created_at=PAST - timedelta(days=30 if number < 10 else 3),
            commit=False,
        )
    from rueckkehr.extensions import db

    db.session.commit()


def rows_of(text: str, title: str) -> str:
    return text.split(title, 2)[2][:400]


def test_the_figures_page_shows_charts_tables_and_suppressed_cells_and_the_csv_matches(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Herbsttag", starts_at=PAST)
    fill(event, register)
    staff_login(client, make_staff())
    page = client.get(f"/organizer/figures/events/{event.id}")
    assert page.status_code == 200
    text = visible_text(page)
    hometowns = rows_of(text, "Früherer Heimatort")
    assert "Senftenberg 12" in hometowns and "Lauchhammer x" in hometowns and "Finsterwalde < 5" in hometowns
    assert "zusammen 22" in hometowns
    status = rows_of(text, "Bestätigungen und Warteliste (Stand der Anmeldungen)")
    assert "bestätigt x" in status and "Warteliste < 5" in status, "20 would give away the 2 from the total"
    residence = rows_of(text, "Wo die Rückkehrwilligen heute leben")
    assert "Deutschland, PLZ-Bereich 0 12" in residence and "Norwegen < 5" in residence
    assert "Deutschland, PLZ-Bereich 8 x" in residence
    advice = rows_of(text, "Wunsch nach Beratungsgespräch")
    assert "nein x" in advice and "ja < 5" in advice
    assert "Wohnen und Bauland 7" in rows_of(text, "Interessen (Mehrfachnennung)")
    assert "Erschienen" in text  # turn-up, from check-in at the door
    html = page.get_data(as_text=True)
    charts = re.findall(r'<img class="figure-chart" src="([^"]+)" alt="([^"]+)"', html)
    assert len(charts) >= 8 and all(alt.startswith("Balkendiagramm: ") for _src, alt in charts)
    svg = client.get(charts[0][0])
    assert svg.status_code == 200 and svg.headers["Content-Type"] == "image/svg+xml"
    body = svg.get_data(as_text=True)
    assert "<svg" in body and "KW " in body
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body), "the chart loads nothing from elsewhere"
    hometown_svg = client.get(f"/organizer/figures/events/{event.id}/hometown.svg").get_data(as_text=True)
    drawn = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)<', hometown_svg)
    assert drawn == ["12"], "a bar and a printed value for the shown count only; none for the hidden ones"
    figures_csv = client.get(f"/organizer/figures/events/{event.id}/figures.csv")
    rows = list(csv.reader(io.StringIO(figures_csv.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Kennzahl", "Wert", "Anzahl"]
    assert ["Früherer Heimatort", "Lauchhammer", "x"] in rows
    assert ["Früherer Heimatort", "Finsterwalde", "< 5"] in rows
    assert ["Früherer Heimatort", "zusammen", "22"] in rows
    assert not any(row[2] in {"3", "7"} and row[0] == "Früherer Heimatort" for row in rows)
    english_csv = client.get(f"/organizer/figures/events/{event.id}/figures.csv?lang=en").data.decode("utf-8-sig")
    english = list(csv.reader(io.StringIO(english_csv, newline=""), delimiter=";"))
    assert english[0] == ["Figure", "Value", "Number"]
    assert ["Former hometown", "total", "22"] in english, english
    assert "Registrations over time (by calendar week)" in {row[0] for row in english}


def test_a_series_sums_its_events_and_another_towns_figures_are_a_404(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
    town: Callable,
    register: Callable,
) -> None:
    series = make_series("Rückkehrertage 2026")
    first = make_event(series=series, starts_at=PAST)
    second = make_event(series=series)
    for number in range(3):
        register(first, f"A{number}")
        register(second, f"B{number}")
    staff_login(client, make_staff())
    text = visible_text(client.get(f"/organizer/figures/series/{series.id}"))
    assert "Summe über 2 Veranstaltungen" in text
    assert "Senftenberg 6" in rows_of(text, "Früherer Heimatort"), "three and three: together not small"
    other = app.test_client()
    staff_login(other, make_staff(towns=[town("finsterwalde")]))
    assert other.get(f"/organizer/figures/events/{first.id}").status_code == 404
    assert other.get(f"/organizer/figures/series/{series.id}").status_code == 404
    assert other.get(f"/organizer/figures/events/{first.id}/hometown.svg").status_code == 404
    assert client.get(f"/organizer/figures/events/{first.id}/nonsense.svg").status_code == 404


def test_figures_survive_the_erasure_of_the_people_behind_them(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    past = make_event(title="Vergangen", starts_at=PAST)
    fill(past, register)
    staff_login(client, make_staff())
    path = f"/organizer/figures/events/{past.id}"
    before = visible_text(client.get(path))
    assert "Senftenberg 12" in before
    # one returnee asks to be erased: the figures of the event they went to are kept first
    with unit_of_work():
        erase_profile(register(past, "Einzeln", hometown="schipkau").profile_id, reason="request", now=NOW)
    with_erasure = visible_text(client.get(path))
    assert "zusammen 23" in rows_of(with_erasure, "Früherer Heimatort"), "the erased one still counts"
    # then retention erases everyone, months later
    with unit_of_work():
        assert purge_expired_profiles(now=PAST + timedelta(days=200)) == 22
    after = visible_text(client.get(path))
    assert rows_of(after, "Früherer Heimatort") == rows_of(with_erasure, "Früherer Heimatort")
    assert rows_of(after, "Stand der Anmeldungen") == rows_of(with_erasure, "Stand der Anmeldungen")
    assert "abgesagt" not in rows_of(after, "Stand der Anmeldungen"), (
        "counted as they were, not as the erasure left them"
    )
    assert "Senftenberg 12" in after


def test_the_job_keeps_the_counts_of_ended_events_only(app: Flask, make_event: Callable, register: Callable) -> None:
    past = make_event(starts_at=PAST)
    coming = make_event(starts_at=NOW + timedelta(days=30))
    register(past, "A")
    register(coming, "B")
    with unit_of_work():
        assert freeze_ended_events(now=NOW) == 1
    with unit_of_work():
        assert freeze_ended_events(now=NOW) == 0, "kept once"


def test_turn_up_is_counted_once_the_event_has_begun(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    from rueckkehr.figures.counting import live_counts

    starts = NOW + timedelta(days=30)
    event = make_event(title="Künftiger Tag", starts_at=starts)
    fill(event, register)
    before = live_counts([event.id], now=starts - timedelta(hours=1))
    assert before["turn_up"] == {}, "before the doors open nobody has come, and nobody stayed away"
    assert before["status"]["confirmed"] == 20
    after = live_counts([event.id], now=starts + timedelta(hours=6))
    assert after["turn_up"] == {"absent": 20}
    with time_machine.travel(starts - timedelta(hours=1), tick=False):
        staff_login(client, make_staff())
        page = client.get(f"/organizer/figures/events/{event.id}")
        assert page.status_code == 200 and "nicht erschienen" not in visible_text(page)
    with time_machine.travel(starts + timedelta(hours=6), tick=False):
        assert "nicht erschienen" in visible_text(client.get(f"/organizer/figures/events/{event.id}"))
