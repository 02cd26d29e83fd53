"""Attendee exports for German Excel (CSV, XLSX) and the printable door list, with the team's named presets."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the export screens and register the job that forgets expired exports."""
    from ..jobs.registry import Job, register_job
    from . import operations
    from .views import bp

    app.register_blueprint(bp)
    register_job(
        app,
        Job(
            "exports.forget_expired",
            operations.forget_expired_exports,
            every_hours=1,
            order=61,
            label=_l("Abgelaufene Exporte löschen"),
        ),
    )
