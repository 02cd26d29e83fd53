"""The fair plan on the self-service overview says what it needs when it has nothing to show."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration
from rueckkehr.registrations.operations import confirm, register
from rueckkehr.returnees.links import manage_url
from rueckkehr.returnees.models import ReturneeProfile
from rueckkehr.returnees.operations import ProfileData
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text


def test_a_registrant_without_an_occupational_field_is_asked_for_one_not_to_register(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    data = ProfileData(first_name="Eva", last_name="Engel", postal_code="01968", city="Senftenberg", country="DE")
    with unit_of_work():
        register(event.id, email="eva@example.org", language="de", profile_data=data, companions=0,
                 optional_consents=[])  # fmt: skip
    registration = db.session.scalars(select(Registration)).one()
    with unit_of_work():
        confirm(registration.id)
    profile = db.session.get(ReturneeProfile, registration.profile_id)
    text = visible_text(client.get(manage_url(profile).removeprefix("http://rueckkehr.test")))
    assert "Mein Messeplan" in text
    assert "Sobald Sie für einen kommenden Rückkehrertag angemeldet sind" not in text
    assert "Geben Sie Ihr Berufsfeld an, dann zeigen wir hier" in text
