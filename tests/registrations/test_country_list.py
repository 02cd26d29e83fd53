"""The countries of the registration form in alphabetical order as a reader looks them up: "Österreich" among the
O, "Åland" among the A, in German and in English (accents and umlauts do not count, DIN 5007 and as in English)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from flask.testing import FlaskClient

from rueckkehr.events.models import Event


def countries(client: FlaskClient, path: str) -> list[str]:
    html = client.get(path).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="country".*?</select>', html, re.S)
    assert select
    return [unescape(name) for name in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))]


@pytest.mark.parametrize(
    ("language", "neighbours"),
    [
        ("de", [("Afghanistan", "Ägypten", "Albanien"), ("Oman", "Österreich", "Pakistan"),
                ("Ägypten", "Ålandinseln", "Albanien"), ("Sri Lanka", "Südafrika", "Sudan"),
                ("Tunesien", "Türkei", "Turkmenistan")]),
        ("en", [("Afghanistan", "Åland Islands", "Albania"), ("Costa Rica", "Côte d’Ivoire", "Croatia"),
                ("Qatar", "Réunion", "Romania"), ("Cuba", "Curaçao", "Cyprus"),
                ("Tunisia", "Türkiye", "Turkmenistan")]),
    ],
)  # fmt: skip
def test_accented_names_stand_in_their_alphabetical_place(
    client: FlaskClient, make_event: Callable[..., Event], language: str, neighbours: list[tuple[str, ...]]
) -> None:
    event = make_event()
    names = countries(client, f"/events/{event.id}/register?lang={language}")
    assert names[0] in ("Deutschland", "Germany")  # Germany first, then the rest in order
    for earlier, middle, later in neighbours:
        found = [name for name in names if name.startswith((earlier, middle, later))]
        assert names.index(earlier) < names.index(middle) < names.index(later), found
