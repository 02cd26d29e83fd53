"""The same new address registering for several events at once gets the normal answer every time, and one profile.

Before, each registration looked the profile up, found none and inserted one: on PostgreSQL all but the first
failed on the unique address (only the event row was locked). On SQLite the write lock serialises them anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from sqlalchemy import func, select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.models import Registration
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.browser import LiveServer
from tests.support.registrations import form_data

ROUNDS, EVENTS = 6, 4


def test_one_new_address_at_four_events_at_once(live_server: LiveServer, make_event: Callable[..., Event]) -> None:
    events = [make_event(title=f"Tag {number}").id for number in range(EVENTS)]
    for round_number in range(ROUNDS):
        email = f"gleichzeitig{round_number}@example.org"
        start = threading.Barrier(EVENTS)

        def register(event_id: int, email: str = email, start: threading.Barrier = start) -> int:
            data = urlencode(form_data(email=email), doseq=True).encode()
            start.wait()
            with urlopen(Request(f"{live_server.url}/events/{event_id}/register", data=data), timeout=60) as response:
                return response.status

        with ThreadPoolExecutor(max_workers=EVENTS) as pool:
            assert list(pool.map(register, events)) == [200] * EVENTS  # each followed the 303 to "mail sent"
        db.session.rollback()
        assert db.session.scalar(select(func.count()).where(ReturneeProfile.email == email)) == 1
        profile_id = db.session.scalar(select(ReturneeProfile.id).where(ReturneeProfile.email == email))
        registered = db.session.scalars(select(Registration.event_id).where(Registration.profile_id == profile_id))
        assert sorted(registered) == sorted(events)
