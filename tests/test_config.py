"""Configuration from the environment."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

import config
from config import ConfigurationError, ProductionConfig, development_secret_key, normalize_database_url
from rueckkehr import create_app

STRONG = secrets.token_hex(32)


def test_production_refuses_to_start_without_secret_key_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY, BASE_URL"):
        create_app(ProductionConfig)


def test_production_refuses_without_base_url_even_with_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="BASE_URL"):
        create_app("production")


def test_production_sets_secure_cookies_and_hsts(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example/")
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["BASE_URL"] == "https://rueckkehr.example"
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_unknown_app_env_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigurationError, match="staging"):
        create_app()


def test_environment_variables_reach_the_config(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MAIL_SERVER", "mail.example")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_DEFAULT_SENDER", "RWK <rwk@example.org>")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("FLASK_PAST_EVENTS_IN_FEED_DAYS", "30")
    app = create_app()
    assert app.config["MAIL_SERVER"] == "mail.example"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["MAIL_DEFAULT_SENDER"] == "RWK <rwk@example.org>"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["PAST_EVENTS_IN_FEED_DAYS"] == 30


def test_overrides_mapping_wins_over_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("MAIL_SERVER", "mail.example")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_SERVER": "other.example"})
    assert app.config["MAIL_SERVER"] == "other.example"
    assert app.config["TESTING"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_urls_use_the_installed_driver(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_development_secret_key_is_generated_once_and_kept(tmp_path: pytest.TempPathFactory) -> None:
    first = development_secret_key(tmp_path)
    assert len(first) == 64
    assert development_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_default_database_is_a_sqlite_file_in_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = config.DevelopmentConfig.from_environment()
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{config.INSTANCE_DIR / 'rueckkehr.sqlite'}"


@pytest.mark.parametrize("weak", ["x", "s" * 64, "geheim", "abc123" * 8, "correct horse battery staple"])
def test_production_refuses_a_weak_secret_key(monkeypatch: pytest.MonkeyPatch, weak: str) -> None:
    monkeypatch.setenv("SECRET_KEY", weak)
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example")
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too weak"):
        create_app("production")


@pytest.mark.parametrize(
    "strong",
    [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)],
    ids=["hex-32", "urlsafe-32", "urlsafe-48"],  # the same names in every worker of a parallel run
)
def test_production_takes_a_random_secret_key(strong: str) -> None:
    assert config.secret_key_problem(strong) is None


def test_production_refuses_an_http_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BASE_URL", "http://rueckkehr.example")
    with pytest.raises(ConfigurationError, match="https"):
        create_app("production")


def test_several_workers_without_redis_refuse_to_start(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(ConfigurationError, match="REDIS_URL is required"):
        create_app("production")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    assert create_app("production").config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/9"


def test_one_worker_without_redis_starts_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    with caplog.at_level("WARNING"):
        create_app("production")
    assert "REDIS_URL is not set: rate limits are counted in this process only" in caplog.text


def test_passwords_are_hashed_at_full_cost_outside_the_tests(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    from rueckkehr.accounts.models import User

    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("BASE_URL", "https://rueckkehr.example")
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert config.DevelopmentConfig.PASSWORD_HASH_METHOD == "scrypt"
    with create_app("production").app_context():
        user = User(email="kosten@example.org")
        user.set_password("correct horse battery staple")
        assert user.password_hash.startswith("scrypt:32768:8:1$")  # werkzeug's own cost
        assert user.check_password("correct horse battery staple")
        assert not user.check_password("correct horse battery stapl")


def test_the_tests_hash_with_the_same_scrypt_at_lower_cost(app: Any) -> None:
    from rueckkehr.accounts.models import User

    user = User(email="kosten@example.org")
    user.set_password("correct horse battery staple")
    assert user.password_hash.startswith("scrypt:1024:8:1$")
    assert user.check_password("correct horse battery staple")
