"""Rückkehr: the web platform for the Rückkehrertage of the RWK Westlausitz."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_for_environment


def create_app(config: str | type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    :param config: a config class, the name of one (``"production"``, ``"TestConfig"``, …), or a mapping of
        overrides applied on top of the class that ``APP_ENV`` names.
    """
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    load_config(app, config)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    if app.config.get("CELERY_BROKER_URL"):
        from .tasks import celery_init_app

        celery_init_app(app)
    return app


def load_config(app: Flask, config: str | type[Config] | Mapping[str, Any] | None) -> None:
    """Apply the config class, the environment, ``FLASK_``-prefixed variables and overrides, in that order."""
    import config as config_module

    overrides: Mapping[str, Any] = {}
    if config is None or isinstance(config, Mapping):
        config_class = config_for_environment()
        overrides = config or {}
    elif isinstance(config, str):
        config_class = config_module.CONFIGS.get(config.lower()) or getattr(config_module, config)
    else:
        config_class = config
    app.config.from_object(config_class)
    settings = config_class.from_environment()
    app.config.update({key: value for key, value in settings.items() if value is not None or key not in app.config})
    app.config.from_prefixed_env("FLASK")
    app.config.update(overrides)
    app.config.update(config_class.finalize(dict(app.config)))


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from . import i18n, models, security  # noqa: F401  (models: the whole schema for Alembic)
    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from .forms import field_attributes
    from .mail import dispatch as mail_dispatch

    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    mail_dispatch.init_app(app)
    app.add_template_global(field_attributes)

    from .accounts.models import User

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, version = session_id.partition(".")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_version == int(version) else None


def register_blueprints(app: Flask) -> None:
    """Mount the feature blueprints."""
    from .accounts.views import bp as accounts_bp
    from .employers.board import bp as jobs_bp
    from .employers.manage import bp as employer_bp
    from .employers.views import bp as employers_bp
    from .events.feeds import bp as feeds_bp
    from .events.views import bp as events_bp
    from .public.views import bp as public_bp
    from .registrations.selfservice_views import bp as selfservice_bp
    from .registrations.views import bp as registrations_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(employers_bp)
    app.register_blueprint(employer_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(selfservice_bp)


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages in the visitor's language; never a stack trace."""
    from .public.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """Add the project's CLI commands to ``flask``."""
    from . import cli
    from .employers import cli as employers_cli
    from .jobs import runner

    cli.init_app(app)
    employers_cli.init_app(app)
    runner.init_app(app)
