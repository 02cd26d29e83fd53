"""The organizer workspace's shell: the dashboard, the second factor, organizer accounts, failed mails, the audit
trail on screen, what retention erases. Each feature's own organizer screens live in its ``manage.py``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the dashboard, the second factor and the account screens."""
    from .accounts import bp as accounts_bp
    from .navigation import workspace_navigation
    from .retention import bp as retention_bp
    from .second_factor import bp as security_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(security_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(retention_bp)
    app.add_template_global(workspace_navigation)
