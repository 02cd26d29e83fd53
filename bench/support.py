"""What the benchmarks share: a loopback SMTP sink that counts what arrives, and a valid registration form.

The benchmarks import the app, never the tests: the tests keep their own fixtures in tests/support.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import cached_property
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    """One message as the sink got it: its bytes, parsed when first read. The sink runs in the benchmark's process
    on the same cores as the server it measures, so it does no more while mails arrive than keep them."""

    recipients: list[str]
    raw: bytes

    @cached_property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def text_body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class Sink:
    """aiosmtpd on loopback that accepts every message and counts it; with ``keep`` it keeps each one (``messages``),
    and with ``directory`` it also writes each one to a file there (``<recipient>.<n>.eml``), so that another
    process (the Locust users) can read what arrived for an address."""

    def __init__(self, host: str = "127.0.0.1", *, keep: bool = False, directory: Path | None = None) -> None:
        self.host = host
        self.port = free_port(host)
        self.count = 0
        self.keep = keep or directory is not None
        self.directory = directory
        self.messages: list[Received] = []
        self._lock = threading.Condition()
        self._controller = Controller(self, hostname=host, port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        with self._lock:
            self.count += 1
            if self.keep:
                self.messages.append(Received(list(envelope.rcpt_tos), raw))
            if self.directory is not None:
                for recipient in envelope.rcpt_tos:
                    (self.directory / f"{recipient.lower()}.{self.count}.eml").write_bytes(raw)
            self._lock.notify_all()
        return "250 OK"

    def start(self) -> None:
        """Start listening."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 60.0) -> bool:
        """Wait until at least ``count`` messages arrived; whether they did."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.count < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
        return True

    def settle(self, quiet: float = 3.0, timeout: float = 120.0) -> None:
        """Wait until no message arrived for ``quiet`` seconds (delivery has caught up)."""
        deadline = time.monotonic() + timeout
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = self.count
            if count != seen:
                seen, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.2)


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
