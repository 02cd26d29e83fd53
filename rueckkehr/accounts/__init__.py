"""User accounts for organizers, employers and admins: log-in, password reset, e-mail verification."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the log-in pages and register ``flask create-user``."""
    from .cli import create_user_command
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(create_user_command)
