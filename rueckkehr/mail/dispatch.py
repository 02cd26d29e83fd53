"""Hand committed mails to delivery through ``background``, and the ``flask outbox`` commands.

``outbox.queue_mail`` hands the rows of a unit of work to delivery once it commits. With a Celery broker on Redis,
the worker delivers every due mail (``mail.deliver_due``, handed on once however many units commit before that run
starts); otherwise the task ``mail.deliver`` delivers the unit's own rows in batches over one connection each: in
the worker (another broker), in a thread beside the response (in a request) or in the command itself. If delivery
fails, or the broker cannot be reached, the mail stays queued for ``flask jobs run``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..actors import acting_as, current_actor
from ..background import can_hand_on_once, hand_on, hand_on_once, in_thread, submit, task
from ..transactions import unit_of_work
from .delivery import BATCH, deliver, deliver_due, due_ids, status_counts

DELIVER = "mail.deliver"
DELIVER_DUE = "mail.deliver_due"
GATHER_SECONDS = 0.2  # a mail waits this long at most for others to go out with it over one connection


@task(DELIVER)
def deliver_some(*message_ids: int) -> dict[str, int]:
    """Deliver outbox mails over one connection (skipping those another worker holds or that went out already)."""
    return deliver(message_ids)


@task(DELIVER_DUE)
def deliver_all_due() -> dict[str, int]:
    """Deliver every mail that is due (the worker's run after any number of committed units); if more were due
    than one run delivers, hand on another run for the rest."""
    counts = deliver_due()
    if due_ids(limit=1):
        hand_on_once(DELIVER_DUE)
    return counts


def hand_over(message_id: int) -> None:
    """Deliver this mail once the current unit of work has committed."""
    submit(DELIVER, message_id)


def hand_over_committed(message_ids: list[int]) -> None:
    """Deliver mails whose rows were just committed: with a broker on Redis, one run of ``mail.deliver_due`` unless
    one is queued already; else one task per batch that delivery sends over one connection."""
    if can_hand_on_once():
        hand_on_once(DELIVER_DUE, gather=GATHER_SECONDS)
        return
    hand_on([(DELIVER, tuple(message_ids[start : start + BATCH])) for start in range(0, len(message_ids), BATCH)])


def beside_response(function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` as one unit of work in a thread of its own, in the current actor's name; the mails it
    queues are delivered once it has committed.

    For answers that must not reveal by their timing whether there was anything to do (e.g. "Link erneut
    zusenden" for an unknown address): the request returns at once either way.
    """
    actor = current_actor()

    def unit() -> None:
        with acting_as(actor), unit_of_work():
            function(*args)

    in_thread(unit)


@click.group("outbox")
def outbox_cli() -> None:
    """Look into and empty the mail outbox."""


@outbox_cli.command("send")
def send_command() -> None:
    """Deliver every mail that is due now."""
    counts = deliver_due()
    click.echo(f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}")


@outbox_cli.command("status")
def status_command() -> None:
    """Print how many mails are queued, in flight, sent and failed."""
    for status, count in status_counts().items():
        click.echo(f"{status:8} {count}")
