"""Hand queued mails to delivery after the request: in the app by default, to Celery when a broker is set."""

from __future__ import annotations

import threading
from collections.abc import Callable

import click
from flask import Flask, Response, current_app, g

from ..database import WRITER_FLAG
from .delivery import deliver, deliver_due, status_counts


def dispatch(ids: list[int]) -> None:
    """Deliver these outbox rows now (embedded default) or through a Celery worker (with CELERY_BROKER_URL)."""
    if not ids:
        return
    if current_app.config.get("CELERY_BROKER_URL"):
        from ..tasks import deliver_mail

        for message_id in ids:
            deliver_mail.delay(message_id)
        return
    deliver(ids)


def _after_request(response: Response) -> Response:
    """Deliver the mails this request queued (if its transaction committed) beside the response, in a thread.

    A thread rather than the response's close hook: servers differ in when they close a response (werkzeug's
    development server can hold it open while it drains the socket), and mail should not wait for that.
    """
    ids = g.pop("outbox_ids", None)
    if ids:
        in_background(dispatch, ids)  # if delivery fails, the mails stay queued for `flask jobs run`
    return response


def in_background(function: Callable[..., object], *args: object) -> None:
    """Run ``function`` beside the response, in its own application context, and deliver the mails it queued.

    For answers that must not reveal by their timing whether there was anything to do (e.g. "Link erneut
    zusenden" for an unknown address): the request returns at once either way.
    """
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            setattr(g, WRITER_FLAG, True)
            try:
                function(*args)
                dispatch(g.pop("outbox_ids", []))
            except Exception:
                app.logger.exception("Background work %s failed", getattr(function, "__name__", function))

    threading.Thread(target=run, name="beside-response", daemon=True).start()


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


def init_app(app: Flask) -> None:
    """Register the after-request delivery and the CLI."""
    app.after_request(_after_request)
    app.cli.add_command(outbox_cli)
