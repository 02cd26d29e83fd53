"""CPU seconds spent by each kind of process on the machine between two readings of ``/proc`` (Linux only).

A burst on loopback runs everything on the same cores: the app's workers, PostgreSQL, Redis, the Celery worker and
the script itself (its client threads and the SMTP sink). Which of them took the cores says where a registration's
cost lies. A process is known by its program (gunicorn, celery, postgres, redis-server; for Python, the module it
runs with ``-m``): a PostgreSQL backend of other work on the same server counts as PostgreSQL too, so measure on an
otherwise quiet machine. Besides the processes, the machine's own total is read (``/proc/stat``): what exited between
the readings (a recycled worker) and the time spent in interrupts show only as the difference, "unaccounted".
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_KINDS = {"gunicorn": "gunicorn", "celery": "celery worker", "postgres": "postgres", "redis-server": "redis"}
SELF = "this script (clients, sink)"


@dataclass
class Reading:
    """Each process's kind and CPU seconds so far, keyed by pid and start time (a pid may be used again), and the
    CPU seconds of the whole machine (all cores, idle and waiting for I/O left out)."""

    processes: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)
    machine: float = 0.0


def kind(pid: int, argv: list[str]) -> str:
    """The kind of a process, from its program or, for Python, from the module after ``-m``."""
    if pid == os.getpid():
        return SELF
    if not argv:
        return "other"
    # a title a server set for itself: "postgres: 15/main: walwriter", "/usr/bin/redis-server 127.0.0.1:6379"
    program = Path(argv[0].split(":", 1)[0].split(" ", 1)[0]).name
    if program.startswith("python") and "-m" in argv[1:-1]:
        program = argv[argv.index("-m", 1) + 1].split(".", 1)[0]
    return _KINDS.get(program, "other")


def reading() -> Reading:
    """Read every process's CPU time and the machine's; empty where ``/proc`` is missing."""
    result = Reading()
    try:
        cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return result
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in cpu[:8])
    result.machine = (user + nice + system + irq + softirq + steal) / _TICK
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name: the state is field 3, utime field 14
        pid = int(entry.name)
        seconds = (int(fields[11]) + int(fields[12])) / _TICK
        result.processes[(pid, int(fields[19]))] = (kind(pid, [arg for arg in argv if arg]), seconds)
    return result


def spent(before: Reading, after: Reading) -> Counter[str]:
    """CPU seconds per kind between two readings (a process that started in between counts from zero), and what the
    machine spent besides as "unaccounted" (processes that exited in between, interrupts)."""
    totals: Counter[str] = Counter()
    for key, (name, seconds) in after.processes.items():
        totals[name] += seconds - before.processes.get(key, (name, 0.0))[1]
    rest = (after.machine - before.machine) - sum(totals.values())
    if rest > 0:
        totals["unaccounted"] = rest
    return totals


def describe(totals: Counter[str], per: int) -> str:
    """One line: each kind's CPU milliseconds per unit (``per`` units), the largest first, and their total."""
    parts = [f"{name} {seconds * 1000 / per:.1f}" for name, seconds in totals.most_common() if seconds > 0]
    return ", ".join(parts) + f" (total {sum(totals.values()) * 1000 / per:.1f} ms)"
