"""Capacity stays exact when many people register at the same moment, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration, RegistrationStatus
from tests.support.browser import LiveServer
from tests.support.registrations import form_data


def test_fifty_parallel_registrations_for_twenty_seats(
    live_server: LiveServer, make_event: Callable[..., Event]
) -> None:

    event_id = make_event(capacity=20).id
    start = threading.Barrier(50)

    def register(number: int) -> int:
        data = form_data(email=f"person{number}@example.org", first_name=f"Person{number}")
        start.wait()
        request = Request(f"{live_server.url}/events/{event_id}/register", data=urlencode(data, doseq=True).encode())
        with urlopen(request, timeout=60) as response:  # follows the 303 to the next page
            return response.status

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(register, range(50)))
    assert statuses == [200] * 50  # each followed the redirect to the "mail sent" page

    db.session.rollback()
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id)).all()
    seated = [r for r in rows if r.status == RegistrationStatus.UNCONFIRMED]
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITING]
    assert len(seated) == 20
    assert len(waiting) == 30
    assert sorted(r.waitlist_position for r in waiting) == list(range(1, 31))
