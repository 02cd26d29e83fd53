"""The public API: read-only JSON of the public events, the jobs board and the approved employers, for other portals
(the Land's returnee network, job boards). OpenAPI 3 at ``/api/v1/openapi.json``, its docs page at ``/api/v1/docs``.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS
from flask_smorest import Api
from werkzeug.exceptions import MethodNotAllowed, NotFound

from .base import EXPOSED_HEADERS, api_error_or_site_page

SETTINGS = {
    "API_TITLE": "Rückkehr",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = (
    "Public data of the Rückkehrertage of the RWK Westlausitz: events, vacancies on the jobs board and employers. "
    "Read-only; no personal data. Lists are paged (`page`, `page_size`; `Link` and `X-Pagination` headers); every "
    "answer has an `ETag` (send `If-None-Match` for a 304); labels follow `Accept-Language` (`de`, `en`)."
)


class PublicApi(Api):
    """flask-smorest's Api, whose JSON errors stay inside the API: the site's own pages keep their HTML errors."""

    def _register_error_handlers(self) -> None:
        """Each API blueprint handles its own errors (``base.ApiBlueprint``)."""


def init_app(app: Flask) -> None:
    """Mount the resources, the OpenAPI document and the docs page; CORS for GET, the API's rate limit."""
    from . import docs, employers, events, jobs

    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    base_url = app.config["BASE_URL"]
    api = PublicApi(
        app,
        spec_kwargs={
            "info": {"description": DESCRIPTION, "license": {"name": "EUPL-1.2"}},
            "servers": [{"url": base_url}],
        },
    )
    for blueprint in (events.bp, jobs.bp, employers.bp):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    for unanswered in (NotFound, MethodNotAllowed):
        app.register_error_handler(unanswered, api_error_or_site_page)
    CORS(
        app,
        resources={r"/api/v1/.*": {"origins": "*", "methods": ["GET", "HEAD", "OPTIONS"]}},
        expose_headers=EXPOSED_HEADERS,
        send_wildcard=True,
        supports_credentials=False,
        max_age=86400,
    )
