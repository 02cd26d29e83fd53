"""Rate-limit keys: besides the client address, the e-mail address a form submits."""

from __future__ import annotations

from flask import request


def email_key() -> str:
    """The submitted address, so one address cannot be flooded (or guessed at) from many hosts."""
    return "email:" + (request.form.get("email") or "").strip().lower()
