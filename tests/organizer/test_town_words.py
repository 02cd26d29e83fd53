"""The same thing has the same name in English on every page: the heading of a town page's part on schools and
childcare, its editor's field and the returnee form's interest."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from rueckkehr.accounts.models import User
from tests.support.pages import visible_text


def test_childcare_and_schools_are_named_alike_in_english(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    staff_login(client, make_staff())
    form = {"page_intro": "Willkommen.", "page_work": "", "page_housing": "", "page_childcare": "Drei Krippen.",
            "page_leisure": "", "contact_name": "Anja Schulze", "contact_email": "rueckkehr@senftenberg.example",
            "contact_phone": "03573 701234"}  # fmt: skip
    assert client.post("/organizer/towns/senftenberg", data=form).status_code == 303
    for path in (
        "/towns/senftenberg?lang=en",
        "/organizer/towns/senftenberg?lang=en",
        f"/events/{event.id}/register?lang=en",
    ):
        shown = visible_text(client.get(path))
        assert "Childcare and schools" in shown and "Kita" not in shown, (path, shown)
