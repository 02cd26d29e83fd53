"""The demo data follows the calendar and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from rueckkehr.demo import returnee_days_year, seed_demo
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.places.models import Town, Venue

BERLIN = ZoneInfo("Europe/Berlin")


def dump_database() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, for comparing two states."""
    return {
        table.name: sorted(tuple(row) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
    }


def test_second_run_changes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "new events" in first.output
    before = dump_database()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    assert dump_database() == before


def test_every_town_has_an_upcoming_event(app: Flask) -> None:
    now = datetime.now(UTC)
    seed_demo(now)
    towns_with_events = set(
        db.session.scalars(
            select(Town.slug)
            .join(Venue)
            .join(Event, Event.venue_id == Venue.id)
            .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
        )
    )
    assert towns_with_events == set(db.session.scalars(select(Town.slug)))


@time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), tick=False)
def test_the_coming_returnee_days_lie_between_christmas_and_new_year(app: Flask) -> None:
    seed_demo()
    events = db.session.scalars(select(Event).where(Event.title.like("Rückkehrertag %")).order_by(Event.starts_at))
    december = [e for e in events if e.starts_at.year == 2026]
    assert len(december) == 6
    for event in december:
        local_start, local_end = event.starts_at.astimezone(BERLIN), event.ends_at.astimezone(BERLIN)
        assert 27 <= local_start.day <= 30 and local_start.month == 12
        assert (local_start.hour, local_end.hour) == (10, 15)
        assert len(event.programme) >= 5
    past = db.session.scalars(select(Event).where(Event.ends_at < datetime.now(UTC))).all()
    assert [(e.title, e.starts_at.astimezone(BERLIN).date().isoformat()) for e in past] == [
        ("Rückkehrertag Senftenberg", "2025-12-28")
    ]
    later = db.session.scalars(select(Event.title).where(Event.starts_at > datetime(2027, 1, 1, tzinfo=UTC))).all()
    assert sorted(later) == ["Job-Dating am Abend", "Oster-Rückkehrertag Senftenberg"]
    easter_day = db.session.scalars(select(Event).where(Event.title == "Oster-Rückkehrertag Senftenberg")).one()
    assert easter_day.starts_at.astimezone(BERLIN).date().isoformat() == "2027-03-27"  # Easter Saturday 2027


def test_once_this_years_days_have_passed_the_next_years_follow() -> None:
    assert returnee_days_year(datetime(2026, 12, 30, 13, 59, tzinfo=UTC)) == 2026  # 14:59 in Berlin
    assert returnee_days_year(datetime(2026, 12, 30, 14, 0, tzinfo=UTC)) == 2027
    assert returnee_days_year(datetime(2027, 1, 2, tzinfo=UTC)) == 2027


@time_machine.travel(datetime(2027, 12, 31, 12, 0, tzinfo=UTC), tick=False)
def test_seed_after_new_years_eve_builds_the_following_december(app: Flask) -> None:
    seed_demo()
    upcoming = db.session.scalars(
        select(Event).where(Event.ends_at > datetime.now(UTC)).order_by(Event.starts_at)
    ).all()
    assert upcoming[0].starts_at.astimezone(BERLIN).date().isoformat() == "2028-03-09"  # job dating, 2nd Thursday
    assert {e.starts_at.year for e in upcoming if e.title.startswith("Rückkehrertag ")} == {2028}


def test_every_demo_registration_holds_the_consent_to_take_part(app: Flask, runner: FlaskCliRunner) -> None:
    from rueckkehr.registrations.models import Registration
    from rueckkehr.returnees.models import Consent, ConsentPurpose

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    registrations = list(db.session.scalars(select(Registration)))
    assert registrations
    consented = set(
        db.session.scalars(select(Consent.registration_id).where(Consent.purpose == ConsentPurpose.PARTICIPATION))
    )
    assert {registration.id for registration in registrations} <= consented, "the exports list the demo people"
