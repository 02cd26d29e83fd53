"""Production as deployed: gunicorn with two workers on PostgreSQL and Redis, a Celery worker, a real SMTP sink.

A returnee registers over HTTP; the confirmation request arrives through the Celery worker; they confirm; the
confirmation with its calendar invitation arrives the same way. Everything runs in APP_ENV=production: CSRF, rate
limits in Redis, secure cookies behind a proxy that speaks https (PROXY_COUNT=1), hashed static files.
"""

from __future__ import annotations

import http.client
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import make_url

from rueckkehr.events.models import Event
from tests.support.celery import BROKER, start_worker, stop_worker
from tests.support.registrations import form_data
from tests.support.services import require_redis
from tests.support.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://rueckkehr.test"


@dataclass
class Browser:
    """Plain HTTP to gunicorn, as a reverse proxy passes it on: cookies kept by hand (they are Secure)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "Host": "rueckkehr.test",
                   "Referer": BASE_URL + path}  # fmt: skip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8")
        connection.close()
        return response.status, text

    def post_form(self, path: str, data: dict[str, Any]) -> int:
        """Open the page, take its CSRF token, send the form."""
        status, page = self.request("GET", path)
        assert status == 200, page
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "the page has no CSRF token"
        return self.request("POST", path, {**data, "csrf_token": token.group(1)})[0]


def production_environment(settings: dict[str, Any], queue: str) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": BASE_URL,
        "DATABASE_URL": settings["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": settings["MAIL_SERVER"],
        "MAIL_PORT": str(settings["MAIL_PORT"]),
        "MAIL_DEFAULT_SENDER": settings["MAIL_DEFAULT_SENDER"],
        "REDIS_URL": BROKER,
        "CELERY_BROKER_URL": BROKER,
        "PROXY_COUNT": "1",
        "WEB_CONCURRENCY": "2",
        "FLASK_CELERY_QUEUE": f'"{queue}"',
        "FLASK_RATELIMIT_KEY_PREFIX": f'"{queue}"',
    }


@pytest.fixture
def deployment(base_settings: dict[str, Any], migrated_database: object) -> Iterator[Browser]:
    """gunicorn (2 workers) and a Celery worker on the session's PostgreSQL database, Redis and SMTP server."""
    if make_url(base_settings["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        pytest.skip("production runs on PostgreSQL: set TEST_DATABASE_URL to run the production-like test")
    require_redis(BROKER)
    queue = f"rueckkehr-prod-{secrets.token_hex(4)}"
    env = production_environment(base_settings, queue)
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    worker = start_worker(env, queue)
    browser = Browser(port)
    deadline = time.monotonic() + 30
    while True:
        try:
            if browser.request("GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if gunicorn.poll() is not None or time.monotonic() > deadline:
            stop_worker(worker)
            gunicorn.kill()
            pytest.fail("gunicorn did not start:\n" + (gunicorn.communicate()[1] or "")[-3000:])
        time.sleep(0.2)
    yield browser
    stop_worker(worker)
    gunicorn.terminate()
    gunicorn.wait(timeout=30)


def link(mail_text: str, path: str) -> str:
    match = re.search(re.escape(BASE_URL) + "(" + re.escape(path) + r"[^\s]*)", mail_text)
    assert match, f"no link with {path} in:\n{mail_text}"
    return match.group(1)


def test_register_and_confirm_against_gunicorn_redis_and_a_celery_worker(
    make_event: Callable[..., Event], deployment: Browser, smtp: SMTPServer
) -> None:
    started = time.monotonic()
    event_id = make_event().id
    assert deployment.post_form(f"/events/{event_id}/register", form_data()) == 303
    request = smtp.wait_for(1, timeout=20)[0]
    assert request.message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
    assert deployment.post_form(link(request.text_body(), "/confirm/"), {}) in (200, 303)
    invite = smtp.wait_for(2, timeout=20)[1]
    assert invite.message["Subject"].startswith("Anmeldung bestätigt")
    calendar = [part for part in invite.message.walk() if part.get_content_type() == "text/calendar"]
    assert calendar and "METHOD:REQUEST" in calendar[0].get_content()
    assert len(smtp.messages) == 2
    assert time.monotonic() - started < 20
