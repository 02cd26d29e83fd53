"""The audit trail: one append-only entry for every change of state, written in the change's own transaction."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register ``flask audit`` and the job that blanks old personal parts."""
    from ..jobs.registry import Job, register_job
    from .cli import audit_cli
    from .operations import blank_old_personal_parts

    app.cli.add_command(audit_cli)
    register_job(
        app,
        Job(
            "audit.blank_personal",
            blank_old_personal_parts,
            every_hours=24,
            label=_l("Alte persönliche Angaben im Protokoll leeren"),
        ),
    )
