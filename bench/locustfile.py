"""The returnees of ``bench/load.py``: Locust users who browse events and jobs, register and confirm.

Run by ``bench/load.py`` (``locust -f bench/locustfile.py --headless …``), which passes in the environment:

- ``LOAD_EVENTS``: the ids of the events to register for (comma-separated), ``LOAD_JOBS``: the highest vacancy id;
- ``LOAD_MAILDIR``: where the SMTP sink writes every message it receives, one file per recipient and message;
- ``LOAD_STATS``: where the figures go as JSON once every user has stopped.

Each user is one returnee with an address of their own and an address of their own as a client
(``X-Forwarded-For``: the rate limits count them one by one, as they would count people behind a proxy). Cookies
are kept by hand: the app sets them ``Secure`` and the proxy in front would speak https. A registration is the
whole way: the event's page, the form, the submission (303), the page after it, the confirmation request read from
the mail the sink received (its arrival is timed as "MAIL confirmation request"), the confirmation page and its
button. Whatever differs from what a returnee would see fails the request.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

from bench.support import registration_form

EVENTS = [int(value) for value in os.environ.get("LOAD_EVENTS", "").split(",") if value]
JOBS = int(os.environ.get("LOAD_JOBS", "0"))
MAILDIR = Path(os.environ.get("LOAD_MAILDIR", "."))
MAIL_TIMEOUT = 60.0
QUERIES = ["Elektriker", "Pflege", "Lager", "Fahrer", "Kita", "Schicht", "Mechatroniker"]
TOWNS = ["senftenberg", "grossraeschen", "lauchhammer", "schwarzheide", "finsterwalde", "schipkau"]
_numbers = itertools.count(1)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONFIRM = re.compile(r"https://rueckkehr\.test(/(?:[a-z]{2}/)?confirm/[^\s]+)")


class Returnee(HttpUser):
    """One returnee looking around the platform and registering for days they like."""

    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.email = f"returnee{self.number}@load.example"
        self.cookies: dict[str, str] = {}
        self.address = f"10.{self.number // 62500 % 250}.{self.number // 250 % 250}.{self.number % 250 + 1}"
        self.registered: set[int] = set()
        self.mails_read: set[str] = set()

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https", "Host": "rueckkehr.test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**headers, **(extra or {})}

    def _keep_cookies(self, response: Any) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def page(self, path: str, name: str, expect: int = 200, contains: str | None = None) -> str:
        """GET a page; a failure unless it answers ``expect`` (and shows ``contains``)."""
        with self.client.get(
            path, name=name, headers=self._headers(), allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if response.status_code != expect:
                response.failure(f"{response.status_code}, not {expect}")
            elif contains is not None and contains not in response.text:
                response.failure(f"the page does not show {contains!r}")
            return response.text

    def post(self, path: str, name: str, data: dict[str, Any], expect: int, referer: str) -> bool:
        """Send a form with the page's CSRF token; whether it answered ``expect``."""
        headers = self._headers({"Referer": "https://rueckkehr.test" + referer})
        with self.client.post(
            path, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            self._keep_cookies(response)
            if response.status_code != expect:
                response.failure(f"{response.status_code}, not {expect}: {response.text[:300]}")
                return False
            return True

    @task(4)
    def browse_events(self) -> None:
        self.page("/", "/")
        self.page("/events", "/events")
        self.page(f"/events/{random.choice(EVENTS)}", "/events/[id]")

    @task(4)
    def browse_jobs(self) -> None:
        self.page("/jobs", "/jobs")
        self.page(f"/jobs?q={random.choice(QUERIES)}&town={random.choice(TOWNS)}", "/jobs?q=…&town=…")
        self.page(f"/jobs/{random.randint(1, JOBS)}", "/jobs/[id]")
        self.page(f"/jobs?page={random.randint(2, 5)}", "/jobs?page=…")

    @task(2)
    def register_and_confirm(self) -> None:
        choices = [event for event in EVENTS if event not in self.registered]
        if not choices or len(self.registered) >= 3:  # rate limits: a few registrations per person and hour
            self.browse_events()
            return
        event = random.choice(choices)
        self.registered.add(event)
        self.page(f"/events/{event}", "/events/[id]")
        path = f"/events/{event}/register"
        form = self.page(path, "/events/[id]/register", contains="csrf_token")
        token = CSRF.search(form)
        if token is None:
            return
        data = {**registration_form(self.email), "companions": random.choice("0001"), "csrf_token": token.group(1)}
        if not self.post(path, "POST /events/[id]/register", data, 303, path):
            return
        self.page(f"{path}/sent", "/events/[id]/register/sent", contains=self.email)
        link = self.confirmation_link()
        if link is None:
            return
        page = self.page(link, "/confirm/[token]", contains="csrf_token")
        token = CSRF.search(page)
        if token is not None:
            self.post(link, "POST /confirm/[token]", {"csrf_token": token.group(1)}, 200, link)

    def confirmation_link(self) -> str | None:
        """Wait for the confirmation request the sink received for this address; its link (None after a timeout,
        which counts as a failure of "MAIL confirmation request")."""
        started = time.perf_counter()
        while time.perf_counter() - started < MAIL_TIMEOUT:
            for file in sorted(MAILDIR.glob(f"{self.email}.*.eml")):
                if file.name in self.mails_read:
                    continue
                message = BytesParser(policy=policy.default).parsebytes(file.read_bytes())
                body = message.get_body(preferencelist=("plain",))
                match = CONFIRM.search(body.get_content() if body is not None else "")
                if match is None:
                    continue
                self.mails_read.add(file.name)
                self._mail_arrived(started, None)
                return match.group(1)
            time.sleep(0.25)
        self._mail_arrived(started, TimeoutError(f"no confirmation request for {self.email} in {MAIL_TIMEOUT} s"))
        return None

    def _mail_arrived(self, started: float, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="MAIL",
            name="confirmation request",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )


@events.quitting.add_listener
def write_stats(environment: Any, **kwargs: Any) -> None:
    """Every request name's count, failures and percentiles, after the last user stopped (Locust's CSV files are
    written before users that finish their task after the run time are done)."""
    target = os.environ.get("LOAD_STATS")
    if not target:
        return
    entries = [
        (f"{method} {name}" if method == "MAIL" else name, entry)
        for (name, method), entry in environment.stats.entries.items()
    ]
    entries.append(("Aggregated", environment.stats.total))
    figures = {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "max": entry.max_response_time,
            "rps": entry.total_rps,
        }
        for name, entry in entries
    }
    errors = [
        f"{error.method} {error.name}: {error.error} ({error.occurrences}x)"
        for error in environment.stats.errors.values()
    ]
    Path(target).write_text(json.dumps({"figures": figures, "errors": errors}))
