"""The organizers' list finds a person by what they read in it: any case, umlauts and other letters beyond ASCII,
the name in either order (as the list shows it, "Last, First"), the address and the place of residence."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.units import start_writing

PEOPLE = [
    # first name, last name, e-mail, city
    ("Jana", "Müller", "jana.mueller@example.org", "Dresden"),
    ("Tobias", "Schulz", "tobias@example.org", "München"),
    ("Zoë", "Ångström", "zoe@example.org", "KØBENHAVN"),
]


def fill(event: Event) -> None:
    start_writing()
    for first, last, email, city in PEOPLE:
        profile = ReturneeProfile(
            email=email, first_name=first, last_name=last, postal_code="01968", city=city, country="DE"
        )
        db.session.add(Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED))
    db.session.commit()


def finder(client: FlaskClient, event: Event) -> Callable[[str], list[str]]:
    """Who the list of the event finds by a search text, as the list names them ("Last, First")."""

    def found(query: str) -> list[str]:
        page = client.get(f"/organizer/events/{event.id}/registrations?q={quote(query)}").get_data(as_text=True)
        return re.findall(r">([^<>,]+, [^<>,]+)</a>", page)

    return found


def test_a_walk_in_is_found_by_a_name_and_a_place_that_start_with_an_umlaut_in_any_case(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    fill(event)
    staff_login(client, make_staff())
    walk_in = {
        "first_name": "Ömer",
        "last_name": "Özdemir",
        "email": "",
        "postal_code": "88662",
        "city": "Überlingen",
        "country": "DE",
        "companions": "0",
        "consent_method": "paper",
    }
    assert client.post(f"/organizer/events/{event.id}/registrations/walk-in", data=walk_in).status_code == 303
    found = finder(client, event)

    for query in ("Özdemir", "özdemir", "ÖZDEMIR", "zdemir", "Ömer", "überlingen", "ÜBERLINGEN", "Überl"):
        assert found(query) == ["Özdemir, Ömer"], query
    assert found("Ozdemir") == ["Özdemir, Ömer"]  # accents count as little as in the list's order (DIN 5007)
    for query in ("ångström", "ÅNGSTRÖM", "zoë", "københavn", "Øbenhavn"):
        assert found(query) == ["Ångström, Zoë"], query
    assert found("münchen") == found("MÜNCHEN") == ["Schulz, Tobias"]
    assert found("dresden") == found("DRESDEN") == ["Müller, Jana"]  # a text in ASCII: SQLite's LIKE lowers it
    assert found("benhavn") == ["Ångström, Zoë"]
    assert found("jana.mueller@") == found("JANA.MUELLER@EXAMPLE") == ["Müller, Jana"]


def test_a_person_is_found_by_the_name_as_the_list_shows_it_and_in_either_order(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    fill(event)
    staff_login(client, make_staff())
    found = finder(client, event)

    for query in ("Jana Müller", "Müller, Jana", "müller,jana", "MÜLLER  JANA", "Müller Jana", "ller, Ja"):
        assert found(query) == ["Müller, Jana"], query
    assert found("Schulz Tobias") == found("Schulz, Tobias") == found("Tobias Schulz") == ["Schulz, Tobias"]
    assert found("Müller, Tobias") == found("Schulz Jana") == []  # both parts belong to one person
    assert found(",") == found(" , ") == []  # no name in it: a comma alone finds nobody, as before
