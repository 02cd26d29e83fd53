"""Matching: vacancies for returnees and returnees for employers, each match with its reasons; match mails, job
alerts and digests, the personal fair plan, and the anonymous returnee pool with contact requests."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the pages, answer the signals of registrations and returnees, register the digests and the CLI."""
