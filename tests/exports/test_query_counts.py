"""The export page and the figures page run the same statements for one registration as for thirty."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.extensions import db
from tests.test_query_counts import counted


def test_export_and_figures_pages_run_a_fixed_number_of_statements(
    app: Flask,
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
    register: Callable,
) -> None:
    series = make_series("Reihe")
    few, many = make_event(series=series, title="Wenige"), make_event(title="Viele")
    register(few, "Eins", wished_towns=[])
    for number in range(30):
        register(many, f"Viele{number}", commit=False, interests=["advice", "housing"])
    db.session.commit()
    staff_login(client, make_staff())
    for path in (
        "/organizer/events/{}/export",
        "/organizer/figures/events/{}",
        "/organizer/figures/events/{}/hometown.svg",
    ):
        counts = []
        for event in (few, many):
            client.get(path.format(event.id))  # warm: the first request loads what every later one has
            with counted(app) as statements:
                assert client.get(path.format(event.id)).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], (path, counts)
