"""The API's docs page (Swagger UI from this site) in real headless Chromium, on a desk and on a phone: axe finds
nothing, with the viewer drawn and with every operation opened; one main landmark; nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.browser import LiveServer, refuse_other_hosts

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def docs_page(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """The docs page, drawn, in the viewport of the parameter; any request to another host fails the test."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", **VIEWPORTS[request.param])
    foreign = refuse_other_hosts(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not foreign, f"the page requested other hosts: {foreign}"


# The German page on a desk and the English one on a phone: the widget draws the same in both languages, and each
# case takes half a minute of the suite.
@pytest.mark.parametrize(("docs_page", "language"), [("desktop", "de"), ("phone", "en")], indirect=["docs_page"])
def test_axe_finds_nothing_on_the_api_docs(
    docs_page: Any, axe_violations: Callable[[Any], list[dict[str, Any]]], language: str
) -> None:
    page = docs_page
    page.goto(f"/api/v1/docs?lang={language}")
    page.locator(".opblock").first.wait_for()  # Swagger UI has drawn the operations
    assert page.locator("main").count() == 1
    assert axe_violations(page) == []
    controls = page.locator(".opblock-summary-control")
    for index in range(controls.count()):  # every operation opened: its parameters, answers and examples
        controls.nth(index).click()
    page.locator(".opblock-body").nth(controls.count() - 1).wait_for()
    assert axe_violations(page) == []
