"""Local services the suite may use (Redis), with a skip reason or a failure when CI requires them."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

# Redis database 14 for the suite; in a parallel run worker gwN takes 14 - N, so workers never share keys.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{14 - _WORKER % 10}")


def require_redis(url: str = REDIS_URL) -> str:
    """Return the Redis URL if something listens there; else skip (or fail when REQUIRE_SERVICES is set)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return url
    except OSError:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"REQUIRE_SERVICES is set but Redis at {url} is not reachable")
        pytest.skip(f"Redis at {url} is not reachable")
