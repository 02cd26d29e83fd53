"""Advice talks: the worklist of returnees who asked for a Beratungsgespräch, handled by their event's town."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the worklist and erase talks with their returnee."""
    from . import receivers  # noqa: F401  (connects the signal receivers)
    from .manage import bp

    app.register_blueprint(bp)
