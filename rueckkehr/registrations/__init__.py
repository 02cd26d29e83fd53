"""Registrations: a returnee's seat (or waiting place) at an event, with double opt-in, invites and reminders."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the registration pages, answer the signals of events and returnees, register the periodic jobs."""
    from ..jobs.registry import Job, register_job
    from . import desk_views, receivers  # noqa: F401  (desk routes on manage's blueprint; signal receivers)
    from .jobs import expire_unconfirmed, notify_waiting_after_cutoff, send_reminders
    from .mailings import send_mailing_batches
    from .manage import bp as manage_bp
    from .manage import series_bp
    from .retention import purge_expired_profiles
    from .selfservice_views import bp as links_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(links_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(series_bp)
    register_job(
        app,
        Job(
            "registrations.expire", expire_unconfirmed, order=10, label=_l("Unbestätigte Anmeldungen verfallen lassen")
        ),
    )
    register_job(
        app,
        Job(
            "registrations.cutoff",
            notify_waiting_after_cutoff,
            order=11,
            label=_l("Wartende über das Ende der Warteliste informieren"),
        ),
    )
    register_job(app, Job("registrations.remind", send_reminders, order=12, label=_l("An Veranstaltungen erinnern")))
    register_job(
        app, Job("registrations.mailings", send_mailing_batches, order=15, label=_l("Mails an Angemeldete versenden"))
    )
    register_job(
        app,
        Job(
            "registrations.purge",
            purge_expired_profiles,
            every_hours=1,
            order=60,
            label=_l("Abgelaufene Profile löschen"),
        ),
    )
