"""Hand committed mails to delivery through ``background``, and the ``flask outbox`` commands.

``outbox.queue_mail`` hands the rows of a unit of work to the background task ``mail.deliver`` once it commits, in
batches delivered over one connection each: a Celery worker (with a broker), a thread beside the response (in a
request) or the command itself delivers them. If delivery fails, or the broker cannot be reached, the mail stays
queued for ``flask jobs run``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..actors import acting_as, current_actor
from ..background import hand_on, in_thread, submit, task
from ..transactions import unit_of_work
from .delivery import BATCH, deliver, deliver_due, status_counts

DELIVER = "mail.deliver"


@task(DELIVER)
def deliver_some(*message_ids: int) -> dict[str, int]:
    """Deliver outbox mails over one connection (skipping those another worker holds or that went out already)."""
    return deliver(message_ids)


def hand_over(message_id: int) -> None:
    """Deliver this mail once the current unit of work has committed."""
    submit(DELIVER, message_id)


def hand_over_committed(message_ids: list[int]) -> None:
    """Deliver mails whose rows were just committed: one task per batch that delivery sends over one connection."""
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
