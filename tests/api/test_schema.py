"""Schemathesis against the API's own OpenAPI document, in-process through the WSGI app: every operation with valid
and invalid values of every parameter (Hypothesis generates them), no 500, every answer as the document says.

This is also the fuzzing of every API parameter: Schemathesis builds Hypothesis strategies from the document, in both
its modes (values that fit the schema and values that break it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from rueckkehr.employers.models import StandStatus
from rueckkehr.events.models import EventStatus
from rueckkehr.extensions import db
from rueckkehr.occupations.models import OccupationArea, OccupationGroup
from rueckkehr.places.models import Town

MAX_EXAMPLES = 15  # per operation and mode: seconds for the six together


@pytest.fixture
def served(
    make_app: Callable[..., Flask],
    make_event: Callable[..., Any],
    make_employer: Callable[..., Any],
    make_vacancy: Callable[..., Any],
    make_stand: Callable[..., Any],
) -> Flask:
    """An app with a little of everything: lists have rows, and a few ids exist. It is not the ``app`` fixture,
    whose pushed context would let requests share ``g`` (and the language cached there)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=12)
    event = make_event(programme=[(start, start + timedelta(hours=1), "Begrüßung")])
    make_event(status=EventStatus.CANCELLED)
    employer = make_employer(website="https://stahlbau.example", description="Stahl aus der Lausitz.")
    make_vacancy(employer, salary_min=3200, salary_max=3900, salary_period="month", working_times=["shifts"])
    make_vacancy(make_employer(), town=None, place_name="Cottbus", place_postal_code="03046")
    make_stand(employer, event, status=StandStatus.CONFIRMED)
    return make_app()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_keeps_to_its_document(served: Flask, mode: GenerationMode) -> None:
    """(Schemathesis' own pytest plugin is not used: its lazy loader does not run on this pytest.)"""
    with served.app_context():
        towns = set(db.session.scalars(select(Town.slug)))
        fields = {str(code) for code in db.session.scalars(select(OccupationArea.code))}
        fields |= {str(code) for code in db.session.scalars(select(OccupationGroup.code))}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", served)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def keeps_to_it(case: Any) -> None:
            query = case.query or {}
            names_nothing_known = query.get("town", "senftenberg") not in towns or query.get("field", "2") not in fields
            # A town or field the data does not hold is refused with 422, as the document says; a schema cannot
            # say which slugs exist, so only then is a valid-looking value allowed to be refused.
            case.call_and_validate(excluded_checks=[positive_data_acceptance] if names_nothing_known else None)

        keeps_to_it()
