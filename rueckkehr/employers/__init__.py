"""Employers: company accounts with approval, their public pages, vacancies and the jobs board, stands at events."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Mount the board, the public company pages and the company's own area; register ``flask employers``, the
    vacancy expiry and the exhibitors of event pages."""
    from ..jobs.registry import Job, register_job
    from . import colleague_views, receivers  # noqa: F401  (colleague routes on company_area; signal receivers)
    from .board import bp as board_bp
    from .cli import employers_cli
    from .company_area import bp as company_area_bp
    from .logos import delete_stale_pending
    from .manage import bp as manage_bp
    from .vacancies import expire_vacancies
    from .views import bp as pages_bp

    app.register_blueprint(board_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(company_area_bp)
    app.register_blueprint(manage_bp)
    app.cli.add_command(employers_cli)
    register_job(app, Job("vacancies.expire", expire_vacancies, order=20, label=_l("Abgelaufene Stellen beenden")))
    register_job(
        app,
        Job(
            "logos.forget_pending",
            delete_stale_pending,
            every_hours=1,
            order=30,
            label=_l("Nicht übernommene Logos löschen"),
        ),
    )
