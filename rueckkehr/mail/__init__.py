"""Every mail the app sends: rendered into the outbox with the change that caused it, delivered after the commit."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register ``flask outbox``, the delivery task and the delivery job (it runs after every other job)."""
    from ..jobs.registry import Job, register_job
    from .delivery import deliver_due
    from .dispatch import outbox_cli

    app.cli.add_command(outbox_cli)
    register_job(
        app, Job("outbox.deliver", deliver_due, own_transactions=True, order=100, label=_l("E-Mails zustellen"))
    )
