"""A count hidden in one table is not given away by another: a number printed twice (the advice wish among the
interests, the confirmed ones as the turn-up's total, a total shared by every table of the same registrations), nor
by the order of the rows."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.extensions import db
from rueckkehr.figures.counting import DIMENSIONS, Counts
from rueckkehr.figures.tables import tables_of
from rueckkehr.registrations.models import RegistrationStatus
from tests.figures.test_figures import PAST
from tests.support.attendees import NOW

ADDRESS_TABLES = ("residence", "hometown", "occupation_area", "skill_level", "advice")


def published(app: Flask, **given: dict[str, int]) -> dict[str, dict[str, str]]:
    """Each table as a reader sees it: value → what is shown, and the total (for the tables that have one)."""
    counts: Counts = {dimension.key: Counter(given.get(dimension.key, {})) for dimension in DIMENSIONS}
    with app.test_request_context():
        tables = tables_of(counts)
    return {
        table.key: {cell.value: cell.shown for _label, cell in table.rows}
        | ({"total": table.total.shown} if table.dimension.partition else {})
        for table in tables
    }


def test_the_interests_leave_out_the_advice_wish_which_has_a_table_of_its_own(app: Flask) -> None:
    figures = published(
        app,
        advice={"yes": 7, "no": 3},
        interest={"advice": 7, "housing": 6},
        residence={"DE-0": 10},
    )
    assert figures["advice"] == {"yes": "x", "no": "< 5", "total": "10"}
    assert figures["interest"] == {"housing": "6"}, "7 wishes among the interests would give 10 - 7 = 3 no's"


def test_the_turn_up_shows_nothing_while_the_confirmed_ones_are_hidden(app: Flask) -> None:
    figures = published(
        app, status={"confirmed": 10, "cancelled": 2, "waiting": 20}, turn_up={"present": 6, "absent": 4}
    )
    assert figures["status"] == {"confirmed": "x", "waiting": "20", "cancelled": "< 5", "total": "32"}
    assert figures["turn_up"] == {"absent": "< 5", "present": "x", "total": "x"}, "a total of 10 gives 32-20-10 = 2"
    both_large = published(
        app, status={"confirmed": 12, "cancelled": 2, "waiting": 20}, turn_up={"present": 6, "absent": 6}
    )
    assert both_large["turn_up"] == {"absent": "x", "present": "x", "total": "x"}, "6 + 6 would be the 12"


def test_a_turn_up_that_must_hide_its_total_hides_the_confirmed_ones_too(app: Flask) -> None:
    # 4 came and 4 stayed away: "< 5" twice beside 8 gives both; the 8 must not show among the statuses either
    figures = published(
        app, status={"confirmed": 8, "unconfirmed": 7, "waiting": 30}, turn_up={"present": 4, "absent": 4}
    )
    assert figures["turn_up"] == {"absent": "< 5", "present": "< 5", "total": "x"}
    assert figures["status"]["confirmed"] == "x" and figures["status"]["total"] == "45"
    assert list(figures["status"].values()).count("x") >= 2, "one hidden beside a total would be the 8"


def test_a_total_one_table_must_hide_is_hidden_in_every_table_of_the_same_registrations(app: Flask) -> None:
    # 4 from Senftenberg and 4 from Lauchhammer: with a total of 8 anywhere, both would be known
    figures = published(
        app,
        hometown={"senftenberg": 4, "lauchhammer": 4},
        residence={"DE-0": 8},
        occupation_area={"none": 8},
        skill_level={"none": 8},
        advice={"no": 5, "yes": 3},
        week={"2026-W40": 8},
        status={"confirmed": 8},
    )
    for key in ADDRESS_TABLES:
        assert figures[key]["total"] == "x" and "8" not in figures[key].values(), (key, figures[key])
    assert figures["advice"] == {"no": "x", "yes": "< 5", "total": "x"}
    assert figures["week"] == {"2026-W40": "8", "total": "8"}, "all registrations: another total, shown"


def test_hidden_rows_follow_the_shown_ones_in_the_order_of_their_names(app: Flask) -> None:
    figures = published(app, hometown={"senftenberg": 30, "finsterwalde": 3, "lauchhammer": 4, "schipkau": 9})
    assert list(figures["hometown"]) == ["senftenberg", "finsterwalde", "lauchhammer", "schipkau", "total"], (
        "ordered by count, the rows would tell which hidden count is the larger"
    )


def test_page_and_csv_keep_the_turn_up_hidden_beside_hidden_confirmed_ones(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    register: Callable,
) -> None:
    event = make_event(title="Herbsttag", starts_at=PAST)
    statuses = [RegistrationStatus.CONFIRMED] * 10 + [RegistrationStatus.CANCELLED] * 2
    for number, status in enumerate(statuses + [RegistrationStatus.WAITING] * 20):
        register(event, f"P{number}", status=status, commit=False)
    db.session.commit()
    with time_machine.travel(NOW, tick=False):  # the event has begun
        staff_login(client, make_staff())
        figures_csv = client.get(f"/organizer/figures/events/{event.id}/figures.csv")
    rows = list(csv.reader(io.StringIO(figures_csv.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    status = {row[1]: row[2] for row in rows if row[0].startswith("Bestätigungen")}
    turn_up = {row[1]: row[2] for row in rows if row[0] == "Erschienen"}
    assert status == {"bestätigt": "x", "Warteliste": "20", "abgesagt": "< 5", "zusammen": "32"}
    assert turn_up == {"nicht erschienen": "x", "zusammen": "x"}, "10 here would give 32 - 20 - 10 = 2 cancelled"
