"""User accounts for organizers, employers and admins: log-in, password reset, e-mail verification."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the log-in pages, load users from their server-side sessions, register ``flask create-user`` and the
    daily removal of old sessions."""
    from ..extensions import login_manager
    from ..jobs.registry import Job, register_job
    from .cli import create_user_command
    from .sessions import load_user, purge_old_sessions
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_user_command)
    login_manager.user_loader(load_user)
    register_job(
        app,
        Job(
            "accounts.purge_sessions",
            purge_old_sessions,
            every_hours=24,
            order=70,
            label=_l("Alte Anmeldesitzungen löschen"),
        ),
    )
