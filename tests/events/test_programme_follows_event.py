"""The programme belongs to its event: it moves with it, is copied with it, and lies within its hours."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.audit.models import AuditEntry
from rueckkehr.dates import BERLIN
from rueckkehr.events.editing import add_programme_item, remove_programme_item
from rueckkehr.events.models import Event, EventStatus, ProgrammeItem
from rueckkehr.events.operations import EventChangeError
from rueckkehr.extensions import db
from tests.support.calendars import parse
from tests.support.pages import form_value, visible_text
from tests.support.units import committed

NOW = datetime(2031, 11, 3, 9, tzinfo=UTC)
START = datetime(2031, 12, 27, 9, tzinfo=UTC)  # Saturday, 10 Uhr in Berlin; the event lasts until 15 Uhr
PROGRAMME = [
    (START, START + timedelta(minutes=30), "Begrüßung"),
    (START + timedelta(hours=4, minutes=30), START + timedelta(hours=5), "Ausklang"),
]


@pytest.fixture
def organizer(client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable) -> Iterator[FlaskClient]:
    """The client, logged in as an organizer of Senftenberg, on a fixed day some weeks before the event."""
    with time_machine.travel(NOW, tick=False):
        staff_login(client, make_staff())
        yield client


def error_beside(response: object, field: str) -> str:
    """The message shown beside one field ("" when there is none)."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(rf'<p class="kern-error" id="{field}-error">.*?<span class="kern-body">(.*?)</span>', html, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else ""


def move(client: FlaskClient, event: Event, day: str, starts: str, ends: str, lang: str = "") -> object:
    data = {"venue": str(event.venue_id), "day": day, "starts": starts, "ends": ends, "confirmed": "1"}
    return client.post(f"/organizer/events/{event.id}/move{lang}", data=data)


def programme_of(event_id: int) -> list[tuple[str, str, str | None]]:
    """The programme as the API gives it: title, start and end in Berlin time."""
    db.session.rollback()
    event = db.session.get(Event, event_id)

    def local(moment: datetime | None) -> str | None:
        return f"{moment.astimezone(BERLIN):%d.%m.%Y %H:%M}" if moment else None

    return [(item.title, local(item.starts_at), local(item.ends_at)) for item in event.programme]


def test_a_move_to_another_day_and_time_takes_the_programme_along(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=START, programme=PROGRAMME)
    moved = move(organizer, event, "29.12.2031", "12:00", "17:00")
    assert moved.status_code == 303

    assert programme_of(event.id) == [
        ("Begrüßung", "29.12.2031 12:00", "29.12.2031 12:30"),
        ("Ausklang", "29.12.2031 16:30", "29.12.2031 17:00"),
    ]
    public = visible_text(organizer.get(f"/events/{event.id}"))
    assert "12:00–12:30 Begrüßung" in public and "16:30–17:00 Ausklang" in public
    assert "10:00–10:30" not in public
    own = visible_text(organizer.get(f"/organizer/events/{event.id}"))
    assert "12:00–12:30 Begrüßung" in own and "16:30–17:00 Ausklang" in own
    [vevent] = parse(organizer.get(f"/events/{event.id}.ics").data).events()
    assert "12:00–12:30 Begrüßung\n16:30–17:00 Ausklang" in str(vevent["DESCRIPTION"])
    api = organizer.get(f"/api/v1/events/{event.id}").get_json()
    assert [item["starts_at"][:16] for item in api["programme"]] == ["2031-12-29T11:00", "2031-12-29T15:30"]

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.verb == "event.changed")).one()
    items = db.session.get(Event, event.id).programme
    assert sorted(entry.changes["programme_moved"]) == sorted(item.id for item in items)
    assert entry.changes["programme_shift_minutes"] == 2 * 24 * 60 + 120


def test_a_move_to_another_day_at_the_same_time_moves_the_programme_by_the_days(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=START, programme=PROGRAMME)
    assert move(organizer, event, "30.12.2031", "10:00", "15:00").status_code == 303
    assert programme_of(event.id) == [
        ("Begrüßung", "30.12.2031 10:00", "30.12.2031 10:30"),
        ("Ausklang", "30.12.2031 14:30", "30.12.2031 15:00"),
    ]


def test_an_earlier_end_that_would_leave_an_item_outside_is_refused_beside_the_end(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=START, programme=[*PROGRAMME, (START + timedelta(hours=3), None, "Offene Runde")])
    refused = move(organizer, event, "27.12.2031", "10:00", "14:00")
    assert refused.status_code == 422
    assert error_beside(refused, "ends") == (
        "Der Programmpunkt „Ausklang“ geht dann bis 15:00 Uhr. "
        "Bitte wählen Sie ein Ende ab 15:00 Uhr oder entfernen Sie zuerst den Programmpunkt."
    )
    assert form_value(refused, "ends") == "14:00", "what was typed stays"
    english = move(organizer, event, "27.12.2031", "11:00", "15:00", lang="?lang=en")
    assert english.status_code == 422
    assert error_beside(english, "ends") == (
        "The programme item “Ausklang” would then run until 16:00. "
        "Please choose an end of 16:00 or later, or remove the programme item first."
    )
    untimed = move(organizer, event, "27.12.2031", "10:00", "13:00", lang="?lang=en")
    assert error_beside(untimed, "ends").startswith("The programme item “Offene Runde” would then start at 13:00.")
    assert programme_of(event.id)[0] == ("Begrüßung", "27.12.2031 10:00", "27.12.2031 10:30"), "nothing moved"
    db.session.rollback()
    assert db.session.get(Event, event.id).ends_at == START + timedelta(hours=5)

    assert move(organizer, event, "27.12.2031", "10:00", "15:30").status_code == 303, "a longer day is fine"


def test_an_item_saved_outside_before_does_not_block_a_move(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    late = START + timedelta(hours=6)  # 16 Uhr, after the end: saved before the programme form checked the hours
    event = make_event(starts_at=START, programme=[(late, None, "Nachtreffen")])
    assert move(organizer, event, "28.12.2031", "10:00", "14:00").status_code == 303
    assert programme_of(event.id) == [("Nachtreffen", "28.12.2031 16:00", None)]


def test_the_programme_form_refuses_items_outside_the_events_hours(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=START)
    path = f"/organizer/events/{event.id}/programme"
    early = organizer.post(path, data={"starts": "09:30", "ends": "10:15", "title": "Frühstück"})
    assert early.status_code == 422
    assert error_beside(early, "starts") == (
        "Die Veranstaltung geht von 10:00 bis 15:00 Uhr. Bitte wählen Sie einen Beginn in dieser Zeit."
    )
    assert (form_value(early, "starts"), form_value(early, "title")) == ("09:30", "Frühstück")
    at_the_end = organizer.post(path, data={"starts": "15:00", "ends": "", "title": "Ausklang"})
    assert error_beside(at_the_end, "starts").startswith("Die Veranstaltung geht von 10:00 bis 15:00 Uhr.")
    late = organizer.post(f"{path}?lang=en", data={"starts": "14:30", "ends": "15:30", "title": "Ausklang"})
    assert late.status_code == 422
    assert error_beside(late, "ends") == "The event ends at 15:00. Please choose an end no later than that."
    assert error_beside(late, "starts") == ""
    backwards = organizer.post(path, data={"starts": "12:00", "ends": "11:00", "title": "Quiz"})
    assert error_beside(backwards, "ends") == "Das Ende muss nach dem Beginn liegen."
    english = organizer.post(f"{path}?lang=en", data={"starts": "8", "ends": "", "title": "Frühstück"})
    assert error_beside(english, "starts") == (
        "The event runs from 10:00 to 15:00. Please choose a start within these hours."
    )
    assert programme_of(event.id) == []

    fits = organizer.post(path, data={"starts": "10:00", "ends": "15:00", "title": "Messe"})
    assert fits.status_code == 303
    assert programme_of(event.id) == [("Messe", "27.12.2031 10:00", "27.12.2031 15:00")]


def test_a_copy_keeps_the_programme_where_it_is_on_the_moved_day(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(title="Rückkehrertag 2031", starts_at=START, programme=PROGRAMME)
    assert move(organizer, event, "28.12.2031", "11:00", "16:00").status_code == 303
    copied = organizer.post(f"/organizer/events/{event.id}/duplicate")
    assert copied.status_code == 303
    copy_id = int(copied.location.rsplit("/", 1)[1])
    assert programme_of(copy_id) == [
        ("Begrüßung", "28.12.2032 11:00", "28.12.2032 11:30"),
        ("Ausklang", "28.12.2032 15:30", "28.12.2032 16:00"),
    ]
    assert "11:00–11:30 Begrüßung" in visible_text(organizer.get(copied.location))


def test_a_copy_across_the_change_to_summer_time_stays_at_the_same_hour_with_its_programme(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable[..., Event]
) -> None:
    with time_machine.travel(datetime(2027, 6, 1, 9, tzinfo=UTC), tick=False):
        start = datetime(2027, 3, 27, 9, tzinfo=UTC)  # 10 Uhr winter time; on 27 March 2028 summer time has begun
        event = make_event(
            title="Frühlingstag 2027",
            starts_at=start,
            programme=[(start + timedelta(minutes=30), start + timedelta(hours=1), "Begrüßung")],
        )
        staff_login(client, make_staff())
        copied = client.post(f"/organizer/events/{event.id}/duplicate")
        copy_id = int(copied.location.rsplit("/", 1)[1])
        page = visible_text(client.get(copied.location))
        assert "Montag, 27. März 2028, 10:00–15:00 Uhr" in page
        assert "10:30–11:00 Begrüßung" in page
        assert programme_of(copy_id) == [("Begrüßung", "27.03.2028 10:30", "27.03.2028 11:00")]


def test_the_programme_of_a_cancelled_event_stays_as_it_was(
    organizer: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(starts_at=START, programme=PROGRAMME, status=EventStatus.CANCELLED, cancelled_at=NOW)
    item_id = event.programme[0].id

    added = organizer.post(f"/organizer/events/{event.id}/programme", data={"starts": "11:00", "title": "Quiz"})
    assert added.status_code == 303
    page = visible_text(organizer.get(added.headers["Location"]))
    assert "Eine abgesagte Veranstaltung kann nicht mehr geändert werden." in page
    removed = organizer.post(f"/organizer/events/{event.id}/programme/{item_id}/delete")
    assert removed.status_code == 303
    assert [title for title, _start, _end in programme_of(event.id)] == ["Begrüßung", "Ausklang"]


def test_a_move_sent_without_a_venue_asks_for_one(organizer: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event(starts_at=START, programme=PROGRAMME)
    data = {"day": "28.12.2031", "starts": "10:00", "ends": "15:00", "confirmed": "1"}
    response = organizer.post(f"/organizer/events/{event.id}/move", data=data)
    assert response.status_code == 422
    assert error_beside(response, "venue") == "Bitte wählen Sie einen Ort."
    assert form_value(response, "day") == "28.12.2031"
    assert programme_of(event.id)[0] == ("Begrüßung", "27.12.2031 10:00", "27.12.2031 10:30")


def test_the_programme_operations_refuse_a_cancelled_event(app: object, make_event: Callable[..., Event]) -> None:
    event = make_event(starts_at=START, programme=PROGRAMME, status=EventStatus.CANCELLED, cancelled_at=NOW)
    with pytest.raises(EventChangeError):
        committed(add_programme_item, event.id, START + timedelta(hours=1), None, "Quiz")
    with pytest.raises(EventChangeError):
        item_id = event.programme[0].id
        committed(lambda: remove_programme_item(db.session.get(ProgrammeItem, item_id)))
    assert [title for title, _start, _end in programme_of(event.id)] == ["Begrüßung", "Ausklang"]
