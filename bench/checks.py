"""What the load scripts check whatever the speed: seats exact, every mail delivered once; and how they report it.

``bench.burst`` and ``bench.load`` read their rows themselves (each knows which registrations and mails are its
own) and hand them here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

SEATED = ("unconfirmed", "confirmed")


def seat_problems(event: str, capacity: int, parties: Sequence[tuple[str, int, int | None]]) -> list[str]:
    """What is wrong with one event's seats and waiting list (nothing: an empty list).

    ``parties`` are the event's registrations as (status, companions, waiting-list position). Seats only fill up
    while the load runs, so a party that waits although it would fit into the seats still free would have fitted
    when it came too.
    """
    held = sum(1 + companions for status, companions, _position in parties if status in SEATED)
    waiting = [(companions, position) for status, companions, position in parties if status == "waiting"]
    positions = [position for _companions, position in waiting]
    print(f"{event + ':':15} {held} of {capacity} seats held by {len(parties) - len(waiting)} parties, "
          f"{len(waiting)} parties waiting")  # fmt: skip
    problems = []
    if held > capacity:
        problems.append(f"{event} holds {held} seats of {capacity}")
    if any(1 + companions <= capacity - held for companions, _position in waiting):
        problems.append(f"{event}: a party waits although {capacity - held} seats are free")
    if None in positions or len(set(positions)) != len(positions):
        problems.append(f"{event}: waiting list positions missing or repeated")
    if any(status not in (*SEATED, "waiting") for status, _companions, _position in parties):
        problems.append(f"{event}: registrations neither seated nor waiting")
    return problems


def delivery_problems(outbox: Sequence[tuple[str, str, str, str]], received: Sequence[str]) -> list[str]:
    """Every mail of the outbox sent and arrived exactly once, nothing arrived that the outbox does not know.

    ``outbox`` rows are (Message-ID, recipient, kind, status); ``received`` the Message-IDs the sink got.
    """
    arrived = Counter(received)
    problems = []
    wrong = [row for row in outbox if arrived[row[0]] != 1 or row[3] != "sent"]
    if wrong:
        message_id, recipient, kind, status = wrong[0]
        problems.append(
            f"{len(wrong)} mails not delivered exactly once, e.g. {kind} to {recipient} ({status}, arrived "
            f"{arrived[message_id]} times)"
        )
    unknown = set(arrived) - {row[0] for row in outbox}
    if unknown:
        problems.append(f"{len(unknown)} mails arrived that the outbox does not know")
    return problems


def report(problems: Sequence[str]) -> int:
    """Print the failed checks (or that all passed); the exit code: 1 when a check failed."""
    for problem in problems:
        print(f"FAILED: {problem}")
    print("all checks passed" if not problems else f"{len(problems)} check(s) failed")
    return 1 if problems else 0
