"""Town pages: living and working in each RWK town, its contact person for returnees, its events and vacancies."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the public town pages and the organizers' editor."""
    from .manage import bp as manage_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
