"""Check-in at the door: the phone page per event that scans tickets, finds people by name, and keeps working when
the hall's Wi-Fi drops (scans queue in the browser and upload with a nonce each, so none counts twice)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the check-in page and its two JSON routes."""
    from .views import bp

    app.register_blueprint(bp)
