"""Events: Rückkehrertage, their series, venues and programme; their pages, calendar files and feeds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the event pages, the calendar files and the organizers' event screens."""
    from .feeds import bp as feeds_bp
    from .manage import bp as manage_bp
    from .setup_manage import bp as setup_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(setup_bp)
