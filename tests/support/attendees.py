"""People registered for an event, with or without the consents an export asks for (a plugin)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile
from tests.support.units import start_writing

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def register(app: Any, town: Callable[[str], Town]) -> Callable[..., Registration]:
    """Register someone for an event; they consented to take part unless told otherwise."""
    counter = iter(range(1, 100_000))

    def factory(
        event: Event,
        last_name: str = "Muster",
        *,
        first_name: str = "Kim",
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
        participation: bool = True,
        employer_pool: bool = False,
        hometown: str | None = "senftenberg",
        created_at: datetime | None = None,
        companions: int = 0,
        commit: bool = True,
        **values: Any,
    ) -> Registration:
        start_writing()
        number = next(counter)
        profile = ReturneeProfile(
            email=values.pop("email", f"person{number}@example.org"),
            first_name=first_name,
            last_name=last_name,
            postal_code=values.pop("postal_code", "10115"),
            city=values.pop("city", "Berlin"),
            country=values.pop("country", "DE"),
            hometown=town(hometown) if hometown else None,
            confirmed_at=NOW,
            **values,
        )
        registration = Registration(
            profile=profile,
            event_id=event.id,
            status=status,
            companions=companions,
            confirmed_at=NOW if status != RegistrationStatus.UNCONFIRMED else None,
            created_at=created_at or NOW,
        )
        db.session.add(registration)
        db.session.flush()
        if participation:
            db.session.add(
                Consent(
                    profile=profile,
                    registration_id=registration.id,
                    purpose=ConsentPurpose.PARTICIPATION,
                    text_version="v1",
                    given_at=NOW,
                    confirmed_at=NOW,
                )
            )
        if employer_pool:
            db.session.add(
                Consent(
                    profile=profile,
                    purpose=ConsentPurpose.EMPLOYER_POOL,
                    text_version="v1",
                    given_at=NOW,
                    confirmed_at=NOW,
                )
            )
        if commit:
            db.session.commit()
        return registration

    return factory


def days_before(days: int) -> datetime:
    """A time some days before the tests' fixed now."""
    return NOW - timedelta(days=days)
