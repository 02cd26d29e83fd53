"""Figures for the region's reports: counts per event and per series, charts rendered on the server, small cells
suppressed; the counts of past events outlive the erasure of the people behind them."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the figures pages, keep counts before erasures, and freeze the counts of ended events."""
    from ..jobs.registry import Job, register_job
    from . import receivers  # noqa: F401  (connects the signal receiver)
    from .counting import freeze_ended_events
    from .views import bp

    app.register_blueprint(bp)
    register_job(
        app,
        Job(
            "figures.freeze",
            freeze_ended_events,
            every_hours=1,
            order=59,
            label=_l("Zahlen beendeter Veranstaltungen festhalten"),
        ),
    )
