"""Events: Rückkehrertage, their series, venues and programme; their pages, calendar files and feeds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the event pages and the calendar files."""
    from .feeds import bp as feeds_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
