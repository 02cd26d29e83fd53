"""Periodic jobs, all run by ``flask jobs run`` (cron, systemd timer, ``make run``'s loop or Celery beat)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register ``flask jobs``."""
    from .runner import jobs_cli

    app.cli.add_command(jobs_cli)
