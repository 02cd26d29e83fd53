"""Public pages that belong to no single feature: home, legal texts, health, language, error pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the public pages, the error handlers and the site's navigation."""
    from . import errors
    from .navigation import site_navigation, site_part
    from .views import bp

    app.register_blueprint(bp)
    app.add_template_global(site_navigation)
    app.add_template_global(site_part)
    errors.init_app(app)
