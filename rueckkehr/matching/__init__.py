"""Matching: vacancies for returnees and returnees for employers, each match with its reasons; match mails, job
alerts and digests, the personal fair plan, and the anonymous returnee pool with contact requests."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the pages, answer the signals of registrations and returnees, register the periodic jobs and the CLI."""
    from ..jobs.registry import Job, register_job
    from . import receivers  # noqa: F401  (connects the signal receivers)
    from .alert_views import bp as alerts_bp
    from .cli import matches_cli
    from .operations import purge_unconfirmed_subscriptions
    from .pool_operations import send_pool_digests, sync_pool_cards
    from .pool_views import bp as pool_bp
    from .rounds import send_digests
    from .selfservice_views import bp as selfservice_bp

    app.register_blueprint(alerts_bp)
    app.register_blueprint(selfservice_bp)
    app.register_blueprint(pool_bp)
    app.cli.add_command(matches_cli)
    register_job(app, Job("matching.pool_cards", sync_pool_cards, order=30, label=_l("Talentpool abgleichen")))
    register_job(
        app, Job("matching.digests", send_digests, every_hours=1, order=31, label=_l("Stellenhinweise verschicken"))
    )
    register_job(
        app,
        Job(
            "matching.pool_digests",
            send_pool_digests,
            every_hours=24 * 7,
            order=32,
            label=_l("Übersichten des Talentpools verschicken"),
        ),
    )
    register_job(
        app,
        Job(
            "matching.purge_subscriptions",
            purge_unconfirmed_subscriptions,
            every_hours=1,
            order=33,
            label=_l("Unbestätigte Stellenhinweise-Abos löschen"),
        ),
    )
