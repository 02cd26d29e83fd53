"""Returnees as matching sees them: profiles with consents given and confirmed, as after a registration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from rueckkehr.extensions import db
from rueckkehr.occupations.working_times import in_order
from rueckkehr.places.models import Town
from rueckkehr.returnees.consents import CONSENT_VERSION
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile
from tests.support.units import start_writing


@pytest.fixture
def make_profile(app: Flask, town: Callable[[str], Town]) -> Callable[..., ReturneeProfile]:
    """Make a confirmed returnee profile with the given consents (job alerts unless told otherwise)."""
    counter = iter(range(1, 10_000))

    def factory(
        *,
        consents: tuple[ConsentPurpose, ...] = (ConsentPurpose.JOB_ALERTS,),
        wished: tuple[str, ...] = (),
        **values: Any,
    ) -> ReturneeProfile:
        start_writing()
        number = next(counter)
        hometown = values.pop("hometown", "lauchhammer")
        times = values.pop("working_times", ["full_time"])
        values = {
            "email": f"rueckkehrer{number}@example.org",
            "first_name": "Jana",
            "last_name": f"Muster{number}",
            "postal_code": "0150",
            "city": "Oslo",
            "country": "NO",
            "occupation_group_code": "26",
            "skill_level": 2,
            "earliest_return": "flexible",
            "confirmed_at": datetime.now(UTC),
            **values,
        }
        profile = ReturneeProfile(**values)
        profile.hometown = town(hometown) if hometown else None
        profile.wished_towns = [town(slug) for slug in wished]
        profile.working_times = in_order(times)
        given = datetime.now(UTC) - timedelta(days=1)
        profile.consents = [
            Consent(purpose=purpose, text_version=CONSENT_VERSION, given_at=given, confirmed_at=given)
            for purpose in consents
        ]
        db.session.add(profile)
        db.session.commit()
        return profile

    return factory
