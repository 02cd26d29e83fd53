"""What the benchmarks share: a loopback SMTP sink that counts what arrives, and a valid registration form.

The benchmarks import the app, never the tests: the tests keep their own fixtures in tests/support.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class Sink:
    """An aiosmtpd server on loopback that accepts every message and counts it."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port(host)
        self.count = 0
        self._lock = threading.Condition()
        self._controller = Controller(self, hostname=host, port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.count += 1
            self._lock.notify_all()
        return "250 OK"

    def start(self) -> None:
        """Start listening."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 60.0) -> None:
        """Wait until at least ``count`` messages arrived."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.count < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise RuntimeError(f"expected {count} mail(s), {self.count} arrived in {timeout} s")
                self._lock.wait(remaining)


def registration_form(email: str) -> dict[str, Any]:
    """A complete, valid registration for a day, as a returnee would type it."""
    return {
        "salutation": "female",
        "first_name": "Jana",
        "last_name": "Müller",
        "email": email,
        "phone": "+47 22 12 34 56",
        "postal_code": "0150",
        "city": "Oslo",
        "country": "NO",
        "hometown": "senftenberg",
        "wished_towns": ["senftenberg", "grossraeschen"],
        "occupation_group": "81",
        "skill_level": "2",
        "working_times": ["full_time", "shifts"],
        "earliest_return": "flexible",
        "interests": ["housing", "partner_job"],
        "partner_occupation_group": "43",
        "partner_skill_level": "3",
        "reason": "Meine Eltern leben in Senftenberg.",
        "companions": "0",
        "consent_participation": "y",
    }
