"""Returnees: their profiles and consents, the self-service link, export and erasure, consent retention."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the self-service pages, register the consent jobs and invite news subscribers to new events."""
    from ..jobs.registry import Job, register_job
    from . import receivers  # noqa: F401  (connects the signal receivers)
    from .news import send_news_batches
    from .retention import purge_consent_proofs, request_reconfirmations
    from .views import bp

    app.register_blueprint(bp)
    register_job(app, Job("returnees.news", send_news_batches, order=16, label=_l("Neuigkeiten verschicken")))
    register_job(
        app,
        Job(
            "returnees.reconfirm_consents",
            request_reconfirmations,
            every_hours=1,
            order=55,
            label=_l("Erneute Bestätigung der Einwilligungen erbitten"),
        ),
    )
    register_job(
        app,
        Job(
            "returnees.purge_consent_proofs",
            purge_consent_proofs,
            every_hours=24,
            order=65,
            label=_l("Alte Nachweise von Einwilligungen löschen"),
        ),
    )
