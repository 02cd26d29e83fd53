"""Public pages that belong to no single feature: home, legal texts, health, language, error pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the public pages and the error handlers."""
    from . import errors
    from .views import bp

    app.register_blueprint(bp)
    errors.init_app(app)
