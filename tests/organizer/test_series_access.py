"""Who may change a series: its title shows on the pages of every town it holds events in, so an organizer changes it
only when they work for each of those towns (an admin always); everyone else may still look at it, with their own
towns' events, and meets a 404 at its editor. A change is in the trail of each of those towns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.events.models import Event, EventSeries
from rueckkehr.extensions import db
from tests.support.pages import visible_text


@pytest.fixture
def shared(
    make_series: Callable[..., EventSeries], make_event: Callable[..., Event], make_venue: Callable, town: Callable
) -> dict[str, Any]:
    """A series with a day in Senftenberg and one in Finsterwalde."""
    series = make_series("Rückkehrertage Region", description="Sechs Städte, ein Winter.")
    make_event(series=series, title="Tag in Senftenberg")
    aula = make_venue(town=town("finsterwalde"), name="Aula", locality="Finsterwalde", postal_code="03238")
    other = make_event(series=series, title="Tag in Finsterwalde", venue=aula)
    return {"series_id": series.id, "event_id": other.id}


def _rename(client: FlaskClient, series_id: int, title: str, description: str = "") -> int:
    data = {"title": title, "description": description}
    return client.post(f"/organizer/series/{series_id}/edit", data=data).status_code


def _title(series_id: int) -> str:
    db.session.rollback()
    return db.session.get(EventSeries, series_id).title


def test_an_organizer_of_one_of_its_towns_sees_the_series_but_cannot_change_it(
    client: FlaskClient, shared: dict[str, Any], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    series_id = shared["series_id"]
    staff_login(client, make_staff())
    page = client.get(f"/organizer/series/{series_id}")
    assert page.status_code == 200
    text = visible_text(page)
    assert "Tag in Senftenberg" in text and "Tag in Finsterwalde" not in text  # their towns' events only
    assert "Reihe bearbeiten" not in text and f"/organizer/series/{series_id}/edit" not in page.get_data(as_text=True)
    assert "auch Veranstaltungen anderer Städte" in text  # and why
    assert "Rückkehrertage Region" in visible_text(client.get("/organizer/series"))  # still listed
    assert client.get(f"/organizer/series/{series_id}/edit").status_code == 404
    assert _rename(client, series_id, "Übernommen") == 404
    assert client.post(f"/organizer/series/{series_id}", data={"title": "Übernommen"}).status_code in (404, 405)
    assert _title(series_id) == "Rückkehrertage Region"
    assert "Rückkehrertage Region" in visible_text(client.get(f"/events/{shared['event_id']}"))
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "event_series")).all() == []


def test_an_organizer_of_every_town_it_holds_events_in_and_an_admin_change_it_and_each_town_reads_it(
    client: FlaskClient, shared: dict[str, Any], make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    series_id = shared["series_id"]
    both = make_staff(towns=[town("senftenberg"), town("finsterwalde")])
    admin = make_staff(role=Role.ADMIN)
    for user, title in ((both, "Rückkehrertage Westlausitz"), (admin, "Rückkehrertage 2030")):
        staff_login(client, user)
        page = client.get(f"/organizer/series/{series_id}")
        assert f'href="/organizer/series/{series_id}/edit"' in page.get_data(as_text=True)
        assert client.get(f"/organizer/series/{series_id}/edit").status_code == 200
        assert _rename(client, series_id, title, "Sechs Städte, ein Winter.") == 303
        assert _title(series_id) == title
        client.post("/logout")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "event_series.updated")).all()
    towns = sorted((entry.actor_user_id, entry.town_id) for entry in entries)
    places = sorted([town("senftenberg").id, town("finsterwalde").id])
    assert towns == sorted((user_id, town_id) for user_id in (both.id, admin.id) for town_id in places)
    assert {entry.object_id for entry in entries} == {series_id}
    assert all(entry.changes == {"fields": ["title"]} for entry in entries)
    staff_login(client, make_staff(towns=[town("finsterwalde")]))  # Finsterwalde's trail shows both changes
    trail = client.get("/organizer/audit").get_data(as_text=True)
    assert trail.count('<td class="kern-table__cell">Veranstaltungsreihe geändert</td>') == 2


def test_an_organizer_changes_a_series_of_their_towns_alone_or_one_without_events(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_series: Callable[..., EventSeries],
    make_event: Callable[..., Event],
    town: Callable,
) -> None:
    own = make_series("Senftenberger Tage")
    make_event(series=own)
    empty = make_series("Noch leer")
    staff_login(client, make_staff())
    for series_id, title in ((own.id, "Senftenberger Tage 2030"), (empty.id, "Nicht mehr leer")):
        page = client.get(f"/organizer/series/{series_id}").get_data(as_text=True)
        assert f'href="/organizer/series/{series_id}/edit"' in page
        assert _rename(client, series_id, title) == 303
        assert _title(series_id) == title
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "event_series.updated")).all()
    senftenberg = town("senftenberg").id
    assert sorted((entry.object_id, entry.town_id or 0) for entry in entries) == [(own.id, senftenberg), (empty.id, 0)]
    assert _rename(client, empty.id, "Nicht mehr leer") == 303  # nothing changed: nothing to record
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "event_series.updated")).all() == entries
