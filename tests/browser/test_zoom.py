"""A desktop browser at 200 % zoom (1280 × 900 shows as 640 × 450 CSS pixels) and at 400 % (320 px, WCAG's reflow
width): the forms with their checkbox groups still fit, nothing is cut off, the question stands above its boxes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.layout import layout_problems, submit
from tests.support.world import World

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """A desktop screen zoomed to 200 %."""
    return {"viewport": {"width": 640, "height": 450}, "locale": "de-DE"}


@pytest.mark.parametrize("width", [640, 320])
def test_forms_fit_at_200_and_400_percent_zoom(page: Any, world: World, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 450})
    found = {}
    for path in (f"/events/{world.open_event.id}/register", "/employer/signup", f"{world.manage}/profile"):
        page.goto(path)
        submit(page)
        if problems := layout_problems(page, width):
            found[path] = problems
    assert found == {}
    # The question of a checkbox group stands above its first box, not beside it.
    page.goto(f"/events/{world.open_event.id}/register")
    legend = page.locator("fieldset.checkbox-group legend").first.bounding_box()
    first_box = page.locator("fieldset.checkbox-group .kern-form-check").first.bounding_box()
    assert legend["y"] + legend["height"] <= first_box["y"] + 1
