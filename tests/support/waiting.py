"""Waiting for work that happens beside the request (mail delivery runs in a thread)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from rueckkehr.extensions import db

T = TypeVar("T")


def wait_until(probe: Callable[[], T], timeout: float = 10.0) -> T:
    """Call ``probe`` (each time in a fresh database snapshot) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        result = probe()
        if result or time.monotonic() > deadline:
            assert result, f"gave up waiting after {timeout} s"
            return result
        time.sleep(0.05)
