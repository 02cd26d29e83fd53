"""Rate limits: limits read from the configuration, and keys besides the client address."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request
from flask_login import current_user

from .addresses import normalise_email


def configured(setting: str) -> Callable[[], str]:
    """The limit named by a setting (e.g. ``RATELIMIT_LOGIN``), read when a request comes, so tests can change it."""

    def limit() -> str:
        return str(current_app.config[setting])

    limit.__name__ = setting.lower()
    return limit


def user_key() -> str:
    """Rate-limit key: the logged-in user, from whichever host."""
    return f"user:{getattr(current_user, 'id', None)}"


def email_key() -> str:
    """The submitted address, so one address cannot be flooded (or guessed at) from many hosts."""
    return "email:" + normalise_email(request.form.get("email"))


def counts_as_attempt(response: Response) -> bool:
    """Whether an answer uses up a form's limit: every one but a form sent back with its mistakes marked (422), so
    that someone who corrects one field after the other still gets through; such an answer sends nothing."""
    return response.status_code != 422
