"""Rückkehr: the web platform for the Rückkehrertage of the RWK Westlausitz."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_for_environment

# Each feature's init_app mounts its blueprints and registers its CLI commands, periodic jobs and signal receivers.
FEATURES = (
    "public",
    "events",
    "accounts",
    "returnees",
    "registrations",
    "employers",
    "matching",
    "advice",
    "towns",
    "checkin",
    "exports",
    "figures",
    "organizer",
    "audit",
    "mail",
    "jobs",
    "api",
    "cli",
    "backup",
    "doctor",
)


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
    if app.config["APP_ENV"] == "production" and not app.config.get("REDIS_URL"):
        app.logger.warning(
            "REDIS_URL is not set: rate limits are counted in this process only. That holds for one worker; "
            "with more than one, set REDIS_URL (see README, Deployment)."
        )
    register_extensions(app)
    register_features(app)
    if app.config.get("CELERY_BROKER_URL"):
        from .celery_app import celery_init_app

        celery_init_app(app)
    return app


def doctor_is_asking() -> bool:
    """Whether this process is ``flask doctor``: it builds the app even from a configuration that production
    refuses, to say what is wrong with it."""
    return Path(sys.argv[0]).name == "flask" and "doctor" in sys.argv[1:]


def load_config(app: Flask, config: str | type[Config] | Mapping[str, Any] | None) -> None:
    """Apply the config class, the environment, ``FLASK_``-prefixed variables and overrides, in that order."""
    import config as config_module

    overrides: Mapping[str, Any] = {}
    if config is None or isinstance(config, Mapping):
        config_class = config_for_environment()
        overrides = {"DOCTOR_MODE": True} if config is None and doctor_is_asking() else config or {}
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
    """Bind every extension to the app, and end every request's unit of work."""
    from . import assets, background, i18n, models, security, transactions, urls  # noqa: F401  (models: the whole schema for Alembic)
    from .database import watch_connections
    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from .forms import errors_in_order, field_attributes, rendered

    db.init_app(app)
    watch_connections(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    transactions.init_app(app)
    background.init_app(app)
    assets.init_app(app)
    urls.init_app(app)
    app.add_template_global(field_attributes)
    app.add_template_global(rendered)
    app.add_template_global(errors_in_order)


def register_features(app: Flask) -> None:
    """Let every feature mount itself: blueprints, CLI commands, periodic jobs, signal receivers, error pages."""
    for name in FEATURES:
        import_module(f".{name}", __name__).init_app(app)
