"""A form sent back with its mistakes marked (422) does not use up the form's rate limit: someone who corrects one
field after the other still gets through, while the limit still stops what was taken (each limit is proven by its
own test; here only that mistakes are free)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.employers.test_journey import SIGNUP

ALERT = {"email": "leser@example.org", "occupation_group": "26", "skill_level": "2", "towns": ["senftenberg"],
         "frequency": "weekly", "language": "de", "consent": "y"}  # fmt: skip

FORMS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("RATELIMIT_ALERT_SUBSCRIBE", "/jobs/alert", ALERT, {"consent": ""}),
    ("RATELIMIT_EMPLOYER_SIGNUP", "/employer/signup", SIGNUP, {"postal_code": "123"}),
    ("RATELIMIT_RESEND", "/link", {"email": "jana@example.org"}, {"email": "kein-at-zeichen"}),
    ("RATELIMIT_PASSWORD_RESET", "/password/forgot", {"email": "jana@example.org"}, {"email": "kein-at-zeichen"}),
]


@pytest.mark.parametrize(("setting", "path", "valid", "mistake"), FORMS, ids=[form[1] for form in FORMS])
def test_mistakes_do_not_use_up_the_limit(
    make_app: Callable[..., Flask], setting: str, path: str, valid: dict[str, Any], mistake: dict[str, Any]
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, **{setting: "2 per hour"})
    client = app.test_client()
    mistakes = [client.post(path, data={**valid, **mistake}).status_code for _ in range(4)]
    assert mistakes == [422] * 4
    taken = [client.post(path, data=valid).status_code for _ in range(3)]
    assert taken[0] in (200, 303) and taken[2] == 429, taken  # the limit still holds for what was taken
