"""The API's docs page: Swagger UI, served from ``static/vendor``, draws it from the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from werkzeug.wrappers import Response

from .base import API_PREFIX

# Swagger UI sets styles on its elements: this page (and only this page) allows inline styles.
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

bp = Blueprint("api_docs_page", __name__, url_prefix=API_PREFIX)


@bp.get("/docs")
def page() -> Response:
    """The API's documentation, drawn from its OpenAPI document by Swagger UI; no request leaves this site."""
    spec_url = url_for("api-docs.openapi_json")
    response = Response(render_template("api/docs.html", spec_url=spec_url), mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response
