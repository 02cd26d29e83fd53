"""Error pages in the visitor's language; a stack trace never reaches a user."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db


def render_error(error: HTTPException) -> tuple[str, int]:
    """Roll back whatever the request did, and render the page for an HTTP error (unknown codes: the generic page)."""
    db.session.rollback()
    code = error.code or 500
    template = {403: "errors/403.html", 404: "errors/404.html", 429: "errors/429.html"}.get(code, "errors/generic.html")
    if code >= 500:
        template = "errors/500.html"
    return render_template(template, error=error, code=code), code


def render_unexpected(error: Exception) -> tuple[str, int]:
    """Log an unexpected exception, roll back, and show the friendly 500 page."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
