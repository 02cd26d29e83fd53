"""Configuration classes for Rückkehr, read from the environment."""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"  # the development server; links in mails need the real address


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot make a safe configuration."""


def _env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value else default


def normalize_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg (3) driver that the project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def development_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """Return the development secret key, generating and keeping it in the instance folder."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    """Settings shared by every environment; each value is read when the class is used."""

    APP_ENV = "development"
    SITE_NAME = "Rückkehr – Rückkehrertage im RWK Westlausitz"
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    PAST_EVENTS_IN_FEED_DAYS = 90
    CANCELLED_EVENTS_IN_FEED_DAYS = 30
    CALENDAR_REFRESH_HOURS = 6
    REMINDER_DAYS_BEFORE = 2
    CONFIRMATION_HOURS = 48
    UNCONFIRMED_LATEST_BEFORE_EVENT_HOURS = 2
    PROMOTION_CUTOFF_HOURS = 24
    ACTION_CODE_MINUTES = 15
    CONSENT_PROOF_YEARS = 3
    RETENTION_DAYS_AFTER_EVENT = 90
    AUDIT_PERSONAL_DAYS = 365
    EXPORT_BACKGROUND_ROWS = 2000  # larger exports are made in the background and offered by a link
    EXPORT_LINK_HOURS = 24  # how long the link to a finished export works; then the file is deleted
    BACKGROUND_EAGER = False  # run background tasks right after the commit instead of in a thread (tests)
    RWK_OFFICE_TOWN = "finsterwalde"  # runs the RWK's office: its contact answers mails that belong to no town
    CONSENT_RECONFIRM_DAYS = 365
    CONSENT_RECONFIRM_GRACE_DAYS = 30
    RATELIMIT_REGISTRATION = "10 per hour"
    RATELIMIT_RESEND = "5 per hour"
    RATELIMIT_ACTION_CODE = "10 per hour"
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    LOGIN_SESSION_DAYS = 14  # a log-in lasts at most this long on the server, whatever the browser keeps
    RATELIMIT_PASSWORD_RESET = "5 per hour"  # noqa: S105 (a rate, not a password)
    RATELIMIT_EMPLOYER_SIGNUP = "10 per hour"
    RATELIMIT_INVITATIONS_PER_USER = "10 per day"
    RATELIMIT_INVITATIONS_PER_COMPANY = "20 per day"
    RATELIMIT_INVITATIONS_PER_ADDRESS = "3 per day"
    RATELIMIT_ALERT_SUBSCRIBE = "5 per hour"
    RATELIMIT_POOL_CONTACT = "5 per day"  # contact requests of one company from the returnee pool
    RATELIMIT_API = "120 per minute"  # requests of one address to the public API, all its resources together
    PROXY_COUNT = 0
    # werkzeug's scrypt at its own default cost (N=32768, r=8, p=1)
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a hashing method, not a password)
    MAILING_BATCH_SIZE = 200  # mails to attendees queued per mailing and run of `flask jobs run`
    NEWS_BATCH_SIZE = 200  # invitations to new Rückkehrertage queued per publishing and run of `flask jobs run`
    RATELIMIT_SECOND_FACTOR = "5 per minute;30 per hour"

    @classmethod
    def from_environment(cls) -> dict[str, Any]:
        """Return the settings that come from environment variables."""
        redis_url = os.environ.get("REDIS_URL") or None
        return {
            "SQLALCHEMY_DATABASE_URI": normalize_database_url(
                os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'rueckkehr.sqlite'}"
            ),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
            # Fernet keys (comma-separated, the first encrypts) for secrets kept in columns such as the staff's
            # TOTP secrets; without any, a key derived from SECRET_KEY is used (see docs/operations.md).
            "COLUMN_ENCRYPTION_KEYS": os.environ.get("COLUMN_ENCRYPTION_KEYS") or None,
            "BASE_URL": (os.environ.get("BASE_URL") or "").rstrip("/") or None,
            "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
            "MAIL_PORT": _env_int("MAIL_PORT", 25),
            "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS"),
            "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL"),
            "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
            "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
            "MAIL_DEFAULT_SENDER": os.environ.get(
                "MAIL_DEFAULT_SENDER", "Rückkehrertage RWK Westlausitz <noreply@localhost>"
            ),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or None,
            "PROXY_COUNT": _env_int("PROXY_COUNT", 0),
            "RATELIMIT_STORAGE_URI": redis_url or "memory://",
            "HASHED_ASSETS": _env_bool("HASHED_ASSETS", default=cls.APP_ENV == "production"),
        }

    @classmethod
    def finalize(cls, settings: dict[str, Any]) -> dict[str, Any]:
        """Fill in what depends on other settings; refuse unsafe combinations."""
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = development_secret_key()
        settings["BASE_URL"] = settings.get("BASE_URL") or DEFAULT_BASE_URL
        return settings


class DevelopmentConfig(Config):
    """The embedded default: SQLite under instance/, a generated secret key."""


MIN_SECRET_BITS = 256  # 32 random bytes' worth


def secret_key_problem(key: str) -> str | None:
    """What is wrong with a production SECRET_KEY, or None.

    It keys every signed link and the hashes that outlive an erasure, so it must hold at least 32 random bytes'
    worth: its length times the bits of the kinds of characters it uses, from enough different characters, and
    not one piece repeated.
    """
    alphabet = sum(
        size
        for present, size in (
            (any(c.islower() for c in key), 26),
            (any(c.isupper() for c in key), 26),
            (any(c.isdigit() for c in key), 10),
            (any(not c.isalnum() for c in key), 32),
        )
        if present
    )
    bits = len(key) * math.log2(alphabet) if alphabet else 0
    repeated = len(key) > 1 and (key + key).find(key, 1) < len(key)
    if bits < MIN_SECRET_BITS or len(set(key)) < 10 or repeated:
        return (
            f"SECRET_KEY is too weak (about {int(bits)} bits; at least {MIN_SECRET_BITS} are needed): make one with "
            '`python -c "import secrets; print(secrets.token_hex(32))"`'
        )
    return None


class ProductionConfig(Config):
    """Production: explicit strong secret, an https base URL, secure cookies, shared rate limits."""

    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def finalize(cls, settings: dict[str, Any]) -> dict[str, Any]:
        """Refuse to start with what ``production_problems`` finds (``flask doctor`` starts anyway, to say it)."""
        problems = production_problems(settings)
        if problems and not settings.get("DOCTOR_MODE"):
            raise ConfigurationError("\n".join(problems))
        return settings


def production_problems(settings: dict[str, Any], environ: Mapping[str, str] | None = None) -> list[str]:
    """What makes these settings unsafe for production, in plain words; empty when nothing does.

    The app factory refuses to start in production with any of these, and ``flask doctor`` lists them.
    """
    environ = os.environ if environ is None else environ
    missing = [name for name in ("SECRET_KEY", "BASE_URL") if not settings.get(name)]
    problems = []
    if missing:
        problems.append("APP_ENV=production needs these environment variables: " + ", ".join(missing))
    if settings.get("SECRET_KEY") and (problem := secret_key_problem(settings["SECRET_KEY"])):
        problems.append(problem)
    if settings.get("BASE_URL") and not settings["BASE_URL"].startswith("https://"):
        problems.append("BASE_URL must be an https:// address in production (cookies, one-click unsubscribe)")
    workers = int(environ.get("WEB_CONCURRENCY") or 1)
    if workers > 1 and not settings.get("REDIS_URL"):
        problems.append(
            f"WEB_CONCURRENCY={workers}: with more than one worker REDIS_URL is required, or each worker counts "
            "the rate limits on its own and lets several times as many requests through"
        )
    return problems


class TestConfig(Config):
    """Tests: CSRF and rate limits off unless a test turns them on."""

    APP_ENV = "test"
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_SUPPRESS_SEND = False  # tests send to a real SMTP server
    BACKGROUND_EAGER = True  # background tasks run right after the commit, so a test sees their effect at once
    SECRET_KEY = "test-secret-key"  # noqa: S105 (tests only)
    SERVER_NAME = None
    # the same scrypt at a 32nd of the work: the suite makes and checks thousands of hashes
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105 (a hashing method, not a password)

    @classmethod
    def finalize(cls, settings: dict[str, Any]) -> dict[str, Any]:
        """Tests never touch the developer's instance folder."""
        settings["SECRET_KEY"] = settings.get("SECRET_KEY") or cls.SECRET_KEY
        settings["BASE_URL"] = settings.get("BASE_URL") or "http://localhost"
        return settings


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_for_environment() -> type[Config]:
    """Pick the config class named by APP_ENV."""
    name = os.environ.get("APP_ENV", "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(f"APP_ENV={name!r} is unknown; use one of: {', '.join(sorted(CONFIGS))}") from None
