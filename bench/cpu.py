"""CPU seconds spent by each kind of process on the machine between two readings of ``/proc`` (Linux only).

A burst on loopback runs everything on the same cores: the app's workers, PostgreSQL, Redis, the Celery worker and
the script itself (its client threads and the SMTP sink). Which of them took the cores says where a registration's
cost lies; the reading is of the whole machine, so other work that ran meanwhile shows as "other".
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

KINDS = (("gunicorn", "gunicorn"), ("celery", "celery worker"), ("postgres", "postgres"), ("redis", "redis"))
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _kind(pid: int, cmdline: str) -> str:
    if pid == os.getpid():
        return "this script (clients, sink)"
    for needle, kind in KINDS:
        if needle in cmdline:
            return kind
    return "other"


def reading() -> dict[int, tuple[str, float]]:
    """Each process's kind and CPU seconds (user and system) so far; {} where ``/proc`` is missing."""
    seen: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seen[int(entry.name)] = (_kind(int(entry.name), cmdline), (int(fields[11]) + int(fields[12])) / _TICK)
    return seen


def spent(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> Counter[str]:
    """CPU seconds per kind between two readings (processes that started in between count from zero)."""
    totals: Counter[str] = Counter()
    for pid, (kind, seconds) in after.items():
        totals[kind] += seconds - before.get(pid, (kind, 0.0))[1]
    return totals


def describe(totals: Counter[str], per: int) -> str:
    """One line: each kind's CPU milliseconds per unit (``per`` units), the largest first."""
    parts = [f"{kind} {seconds * 1000 / per:.1f}" for kind, seconds in totals.most_common() if seconds > 0]
    return ", ".join(parts) + f" (total {sum(totals.values()) * 1000 / per:.1f} ms)"
