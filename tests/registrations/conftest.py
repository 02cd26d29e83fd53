"""Helpers for registration tests: a valid form submission and the links in mails."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.smtp import ReceivedMail


def form_data(**overrides: Any) -> dict[str, Any]:
    """A complete, valid registration as a returnee would type it."""
    data = {
        "salutation": "female",
        "first_name": "Jana",
        "last_name": "Müller",
        "email": "jana.mueller@example.org",
        "phone": "+47 22 12 34 56",
        "postal_code": "0150",
        "city": "Oslo",
        "country": "NO",
        "hometown": "senftenberg",
        "wished_towns": ["senftenberg", "grossraeschen"],
        "occupation_group": "81",
        "skill_level": "2",
        "working_times": ["full_time", "shifts"],
        "earliest_return": "flexible",
        "interests": ["housing", "partner_job"],
        "partner_occupation_group": "43",
        "partner_skill_level": "3",
        "reason": "Meine Eltern leben in Senftenberg.",
        "companions": "0",
        "consent_participation": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_in(mail: ReceivedMail, path: str) -> str:
    """The path of the first link in a mail's text that contains ``path`` (BASE_URL stripped)."""
    match = re.search(r"http://rueckkehr\.test(" + re.escape(path) + r"[^\s]*)", mail.text_body())
    assert match, f"no link with {path} in:\n{mail.text_body()}"
    return match.group(1)


@pytest.fixture
def submit(client: FlaskClient) -> Callable[..., Any]:
    """Submit the registration form for an event."""

    def post(event_id: int, **overrides: Any) -> Any:
        return client.post(f"/events/{event_id}/register", data=form_data(**overrides))

    return post
