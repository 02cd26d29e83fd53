"""What a returnee types into the registration form, and the links they find in their mails."""

from __future__ import annotations

import re
from typing import Any

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


def code_from(mail: ReceivedMail) -> str:
    """The six-digit code of a mail that unlocks a data export or an erasure."""
    match = re.search(r"Ihr Code lautet: (\d{6})", mail.text_body())
    assert match, f"no code in:\n{mail.text_body()}"
    return match.group(1)
