"""Two fields of one form never carry the same label in English: a screen reader announces both alike, and an
error names neither apart (German "Stadt" and "Ort" had both become "Town")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User


def field_labels(html: str) -> list[str]:
    """The labels of the text fields and selects of the page's main part (not of radio buttons and check boxes)."""
    main = html.split("<main", 1)[1]
    kinds = {
        match.group(2): match.group(1)
        for match in re.finditer(r'<(input|select|textarea)\b[^>]*\bid="([^"]+)"[^>]*>', main)
        if not re.search(r'type="(radio|checkbox|hidden|file)"', match.group(0))
    }
    labels = re.findall(r'<label\b[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>', main, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for target, text in labels if target in kinds]


def test_the_employer_forms_name_every_field_apart(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_employer: Callable,
    login: Callable,
) -> None:  # fmt: skip
    pages = {"/employer/signup?lang=en": client.get("/employer/signup?lang=en").get_data(as_text=True)}
    employer = make_employer()
    login(client, employer.users[0].email)
    pages["/employer/profile?lang=en"] = client.get("/employer/profile?lang=en").get_data(as_text=True)
    client.post("/logout")
    staff_login(client, make_staff(role=Role.ADMIN))
    pages["/organizer/venues/new?lang=en"] = client.get("/organizer/venues/new?lang=en").get_data(as_text=True)
    for path, html in pages.items():
        labels = field_labels(html)
        assert len(labels) > 3, (path, labels)
        twice = [label for label, count in Counter(labels).items() if count > 1]
        assert twice == [], (path, twice)
