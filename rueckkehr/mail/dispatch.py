"""Hand committed mails to delivery: beside the response in a request, at once elsewhere, or to Celery with a broker.

``outbox.queue_mail`` registers each new row with ``transactions.after_commit``; when the unit of work commits, the
rows go to ``hand_over``. A request must not wait for the mail server, so there the delivery runs in a thread;
a CLI command or a job delivers before it ends. If delivery fails, the mails stay queued for ``flask jobs run``.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app, has_request_context

from ..actors import acting_as, current_actor
from ..transactions import unit_of_work
from .delivery import deliver, deliver_due, status_counts

_THREADS = "rueckkehr.beside_response"


def dispatch(ids: list[int]) -> None:
    """Deliver these outbox rows now (embedded default) or through a Celery worker (with CELERY_BROKER_URL)."""
    if not ids:
        return
    if current_app.config.get("CELERY_BROKER_URL"):
        from .tasks import deliver_mail

        for message_id in ids:
            deliver_mail.delay(message_id)
        return
    deliver(ids)


def hand_over(ids: list[int]) -> None:
    """After a commit: deliver the mails it queued, beside the response when a request committed them."""
    if has_request_context():
        _in_thread(dispatch, ids)
    else:
        dispatch(ids)


def beside_response(function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` as one unit of work in a thread of its own, in the current actor's name; the mails it
    queues are delivered in that thread once it has committed.

    For answers that must not reveal by their timing whether there was anything to do (e.g. "Link erneut
    zusenden" for an unknown address): the request returns at once either way.
    """
    actor = current_actor()

    def unit() -> None:
        with acting_as(actor), unit_of_work():
            function(*args)

    _in_thread(unit)


def _in_thread(function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` in a daemon thread with its own application context; log what goes wrong."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                function(*args)
            except Exception:
                app.logger.exception("Work beside the response (%s) failed", getattr(function, "__name__", function))

    thread = threading.Thread(target=run, name="beside-response", daemon=True)
    threads: list[threading.Thread] = app.extensions.setdefault(_THREADS, [])
    threads[:] = [running for running in threads if running.is_alive()]
    threads.append(thread)
    thread.start()


def wait_for_work_beside_responses(app: Flask, timeout: float = 30.0) -> None:
    """Wait until the work this app started beside its responses has finished."""
    for thread in list(app.extensions.get(_THREADS, [])):
        thread.join(timeout)


def finish_work_beside_responses_at_exit(app: Flask, timeout: float = 10.0) -> None:
    """When the process stops (a worker restarting), let mail being delivered beside a response go out first.

    Daemon threads are stopped only after the exit handlers ran. Without this, a mail cut off mid-delivery stays
    claimed until its lease runs out and is sent a few minutes late.
    """
    reference = weakref.ref(app)

    def finish() -> None:
        if (alive := reference()) is not None:
            wait_for_work_beside_responses(alive, timeout)

    atexit.register(finish)


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
