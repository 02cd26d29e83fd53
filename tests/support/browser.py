"""Browser fixtures: a live server on a free port and Playwright driving Debian's headless Chromium.

No browser is ever downloaded: Chromium must be on PATH. Without it, browser tests skip with a reason, unless
REQUIRE_BROWSER is set (as in CI), where they fail. Every page a test opens is watched: a request to any host other
than the live server fails the test (no CDN, no third-party requests).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Debian's Chromium binary on PATH, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _OneRequestPerConnection(WSGIRequestHandler):
    """HTTP/1.0, so the browser never reuses a connection.

    Werkzeug's threaded server speaks HTTP/1.1 without keep-alive; a browser that sends its next request on the same
    socket makes the server block while draining it, before it closes the response (and runs its after-response
    work, such as mail delivery). Production servers (gunicorn) do not have this quirk.
    """

    protocol_version = "HTTP/1.0"


class LiveServer:
    """The app served by werkzeug in a thread, on a free loopback port."""

    def __init__(self, app: Flask) -> None:
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=_OneRequestPerConnection
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        """Serve in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The test app served over real HTTP, with background work (mail) in threads beside the answers, as in
    production without a broker: fifty parallel sign-ups must not each wait for the mail server."""
    app.config["BACKGROUND_EAGER"] = False
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system, driven by Playwright."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no Chromium was found on PATH (install Debian's chromium)")
        pytest.skip("no Chromium on PATH: install Debian's chromium package (make test does when it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """Options for the browser context; tests override this fixture for a phone or a language."""
    return {"viewport": {"width": 1280, "height": 900}, "locale": "de-DE"}


def refuse_other_hosts(context: Any, own_url: str) -> list[str]:
    """Make the browser context refuse every request that is not to ``own_url`` (or inline data); return the list
    the refused URLs are added to.

    The browser matches the pattern itself, so the server's own pages and assets load without a round trip through
    Python; only a foreign request reaches the handler.
    """
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(re.compile(rf"^(?!{re.escape(own_url)}/)(?!data:).*"), refuse)
    return refused


@pytest.fixture
def page(browser: Any, live_server: LiveServer, browser_context_options: dict[str, Any]) -> Iterator[Any]:
    """A fresh page whose base URL is the live server; any request to another host fails the test."""
    context = browser.new_context(base_url=live_server.url, **browser_context_options)
    foreign = refuse_other_hosts(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not foreign, f"the page requested other hosts: {foreign}"


def after_submit(page: Any) -> None:
    """Wait until the page a click submitted has arrived and loaded: Playwright's click returns once the form is
    sent, and axe run at that moment may read the old page, or the new one before its style sheets."""
    page.wait_for_load_state("networkidle")


@pytest.fixture
def axe_violations() -> Callable[[Any], list[dict[str, Any]]]:
    """Run axe-core (bundled with axe-playwright-python) on a page and return its violations (WCAG 2.1 AA)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page: Any) -> list[dict[str, Any]]:
        options = {
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            "resultTypes": ["violations"],  # passes and the rest are not read: gathering their nodes is most of the run
        }
        results = axe.run(page, options=options)
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
        ]

    return run
