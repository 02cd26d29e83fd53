"""Event pages list the confirmed exhibitors and carry schema.org Event data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from rueckkehr.employers.models import EmployerStatus, StandStatus
from rueckkehr.events.models import Event
from tests.support.pages import visible_text


def json_ld(html: str) -> dict[str, Any]:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_event_page_lists_confirmed_exhibitors_of_approved_employers(
    client: FlaskClient,
    make_event: Callable[..., Event],
    make_employer: Callable[..., Any],
    make_stand: Callable[..., Any],
) -> None:
    event = make_event()
    confirmed = make_employer(name="Klinikum Niederlausitz GmbH")
    make_stand(confirmed, event, status=StandStatus.CONFIRMED)
    make_stand(make_employer(name="Nur angefragt GmbH"), event)
    make_stand(make_employer(name="Gesperrt GmbH", status=EmployerStatus.PENDING), event, status=StandStatus.CONFIRMED)
    response = client.get(f"/events/{event.id}")
    text = visible_text(response)
    assert "Diese Arbeitgeber sind mit einem Stand dabei" in text
    assert "Klinikum Niederlausitz GmbH" in text
    assert "Nur angefragt GmbH" not in text and "Gesperrt GmbH" not in text
    html = response.get_data(as_text=True)
    assert f'href="/employers/{confirmed.id}"' in html
    data = json_ld(html)
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"].endswith("+01:00") or data["startDate"].endswith("+02:00")
    assert data["location"]["address"]["postalCode"] == "01968"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert [sponsor["name"] for sponsor in data["sponsor"]] == ["Klinikum Niederlausitz GmbH"]
    assert data["url"] == f"http://rueckkehr.test/events/{event.id}"


def test_a_title_cannot_break_out_of_the_json_ld(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event(title='Tag </script><script>alert("x")</script>')
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert json_ld(html)["name"] == event.title
