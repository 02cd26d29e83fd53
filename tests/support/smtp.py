"""A real SMTP server for tests: aiosmtpd on a free loopback port, keeping every message that arrives."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMail:
    """One message as it arrived: the SMTP envelope and the parsed MIME message."""

    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage
    peer: tuple[str, int] | None = None  # the client's address and port: one per SMTP connection

    def text_body(self) -> str:
        """The plain-text part."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def html_body(self) -> str:
        """The HTML part."""
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class _Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, smtp_server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.server.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        peer = (str(session.peer[0]), int(session.peer[1])) if session.peer else None
        self.server.received(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message, peer))
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SMTPServer:
    """Start, stop, read and wait for messages."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port(host)
        self._messages: list[ReceivedMail] = []
        self.refused: set[str] = set()  # addresses answered "550 No such user" at RCPT TO
        self._lock = threading.Condition()
        self._controller = Controller(_Handler(self), hostname=host, port=self.port)

    def start(self) -> None:
        """Start listening."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def received(self, mail: ReceivedMail) -> None:
        """Record an arrived message and wake waiters."""
        with self._lock:
            self._messages.append(mail)
            self._lock.notify_all()

    def clear(self) -> None:
        """Forget every message received so far, and accept every address again."""
        with self._lock:
            self._messages.clear()
            self.refused.clear()

    @property
    def messages(self) -> list[ReceivedMail]:
        """The messages received so far, oldest first."""
        with self._lock:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Wait until at least ``count`` messages arrived; fail the test if they do not."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} mail(s), {len(self._messages)} arrived in {timeout} s")
                self._lock.wait(remaining)
            return list(self._messages)
