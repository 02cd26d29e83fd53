"""What every resource of the public API shares: pages with their Link header, ETags answered with 304, the
language from ``Accept-Language``, and errors as JSON in that language."""

from __future__ import annotations

import http
import json
from typing import Any
from urllib.parse import urlencode

import flask_smorest.pagination as pagination
import marshmallow as ma
from flask import Response, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationMetadataSchema, PaginationParameters
from sqlalchemy import Select, func, select
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db, limiter
from ..i18n import current_language
from ..public.errors import render_error
from ..ratelimits import configured
from .arguments import ApiParser, keep_query_schema

API_PREFIX = "/api/v1"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # as the jobs board: a page number past it finds nothing any client could want
# One count per client address over all resources; applied to each blueprint once, as it is made.
API_LIMIT = limiter.shared_limit(configured("RATELIMIT_API"), scope="api")
EXPOSED_HEADERS = ["ETag", "Link", "X-Pagination", "Content-Language", "Retry-After"]


class NotModified(HTTPException):
    """304 with the ETag the client already holds (RFC 9110 asks a 304 to repeat it)."""

    code = 304
    description = ""

    def __init__(self, etag: str) -> None:
        super().__init__()
        self.etag = etag


def pagination_parameters_schema(first: int, size: int, max_size: int) -> type[ma.Schema]:
    """The ``page`` and ``page_size`` query parameters, the page number bounded like the board's."""

    class PaginationParametersSchema(ma.Schema):
        class Meta:
            ordered = True

        page = ma.fields.Integer(
            load_default=first,
            validate=ma.validate.Range(min=1, max=MAX_PAGE),
            metadata={"description": "Page number, from 1"},
        )
        page_size = ma.fields.Integer(
            load_default=size,
            validate=ma.validate.Range(min=1, max=max_size),
            metadata={"description": "Items per page"},
        )

        @ma.post_load
        def make_paginator(self, data: dict[str, int], **kwargs: Any) -> PaginationParameters:
            return PaginationParameters(**data)

    return PaginationParametersSchema


class ApiBlueprint(Blueprint):
    """A resource of the API: JSON errors in the client's language, the Link header on every page."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}  # noqa: RUF012
    ARGUMENTS_PARSER = ApiParser()
    PAGINATION_ARGUMENTS_PARSER = ApiParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(language_from_header)
        self.after_request(say_language)
        self.register_error_handler(HTTPException, error_response)
        self.register_error_handler(Exception, unexpected_error)
        API_LIMIT(self)

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Any:
        """As flask-smorest's; a schema read from the query is noted on the view, so that a 422 names the errors of
        every query schema of the view at once (``arguments.ApiParser``)."""
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "query":
            return decorator
        return lambda view: keep_query_schema(decorator(view), schema)

    def paginate(self, pager: Any = None, **kwargs: Any) -> Any:
        """As flask-smorest's, with the page number bounded (a huge one would overflow the database's OFFSET), and
        the page's schema noted on the view as ``arguments`` notes the filters'.

        flask-smorest builds the parameters' schema with a module function and offers no hook for a bound; its
        schema is swapped for ours while the decorator is made (once, at import).
        """
        made: list[type[ma.Schema]] = []

        def factory(first: int, size: int, max_size: int) -> type[ma.Schema]:
            made.append(pagination_parameters_schema(first, size, max_size))
            return made[-1]

        original = pagination._pagination_parameters_schema_factory
        pagination._pagination_parameters_schema_factory = factory
        try:
            decorator = super().paginate(pager, **kwargs)
        finally:
            pagination._pagination_parameters_schema_factory = original
        return lambda view: keep_query_schema(decorator(view), made[0])

    def _set_pagination_metadata(self, page_params: PaginationParameters, result: Any, headers: Any) -> Any:
        """X-Pagination as flask-smorest sets it, and a Link header (RFC 8288) with first, prev, next and last."""
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        metadata = json.loads(headers[self.PAGINATION_HEADER_NAME])
        links = {
            "first": metadata.get("first_page"),
            "prev": metadata.get("previous_page"),
            "next": metadata.get("next_page"),
            "last": metadata.get("last_page"),
        }
        if page_params.page > (metadata.get("last_page") or 0) and metadata.get("last_page"):
            links["prev"] = metadata["last_page"]  # past the end: the way back
        if any(links.values()):
            headers["Link"] = ", ".join(
                f'<{page_url(number, page_params.page_size)}>; rel="{relation}"'
                for relation, number in links.items()
                if number
            )
        return result, headers

    def _document_pagination_metadata(self, spec: Any, resp_doc: dict[str, Any]) -> None:
        """The headers of a page. X-Pagination holds JSON: OpenAPI 3 says so with ``content``, not with a
        ``schema`` of type object (which flask-smorest writes, and which no header value can match)."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "The page's place in the list, as JSON",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }
        resp_doc["headers"]["Link"] = {
            "description": 'Links to the first, previous, next and last page (RFC 8288), e.g. `<…?page=2>; rel="next"`',
            "schema": {"type": "string"},
        }

    def _check_not_modified(self, etag: str) -> None:
        if request.method in self.METHODS_CHECKING_NOT_MODIFIED and etag in request.if_none_match:
            raise NotModified(etag)


def page_url(page: int, page_size: int) -> str:
    """The address of another page of this listing, with the same query otherwise (the parameters are encoded
    here, not passed to ``url_for``, whose own keywords a query could otherwise name: ``_external``, ``endpoint``)."""
    base = url_for(str(request.endpoint), **(request.view_args or {}), _external=True).split("?")[0]
    query = [(key, value) for key, value in request.args.items(multi=True) if key not in ("page", "page_size")]
    if page_size != PAGE_SIZE:
        query.append(("page_size", str(page_size)))
    return f"{base}?{urlencode([*query, ('page', str(page))])}"


def page_of(statement: Select, pagination: PaginationParameters) -> list[Any]:
    """One page of the statement's rows; the total, counted in the same statement, goes to ``pagination``."""
    rows = db.session.execute(
        statement.add_columns(func.count().over().label("total"))
        .limit(pagination.page_size)
        .offset(pagination.first_item)
    ).all()
    if rows:
        pagination.item_count = rows[0][-1]
    else:  # an empty list, or a page past its end
        pagination.item_count = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return [row[0] for row in rows]


def language_from_header() -> None:
    """Clients of the API keep no session: ``Accept-Language`` says which language they read."""
    g.language_from_header = True
    refresh()


def say_language(response: Response) -> Response:
    """Tell caches that the answer follows ``Accept-Language``, and the client which language it is in."""
    response.headers["Content-Language"] = current_language()
    response.vary.add("Accept-Language")
    return response


def error_message(code: int) -> str:
    """The message of an error code in the client's language."""
    messages = {
        404: _("Das gesuchte Objekt gibt es nicht, oder es ist nicht öffentlich."),
        405: _("Diese Methode ist hier nicht erlaubt; die API ist nur zum Lesen da."),
        422: _("Die Anfrage enthält ungültige Werte."),
        429: _("Zu viele Anfragen. Bitte warten Sie etwas und versuchen Sie es dann erneut."),
    }
    return str(messages.get(code) or _("Die Anfrage konnte nicht beantwortet werden."))


def error_response(error: HTTPException) -> Response:
    """An error as JSON (``code``, ``status``, ``message``, ``errors``), the message in the client's language."""
    db.session.rollback()
    language_from_header()  # a rate limit answers before the blueprint's own hooks ran
    code = error.code or 500
    if isinstance(error, NotModified):
        response = Response(status=304)
        response.set_etag(error.etag)
        return response
    payload: dict[str, Any] = {"code": code, "status": http.HTTPStatus(code).phrase, "message": error_message(code)}
    data = getattr(error, "data", None) or {}
    if errors := data.get("errors") or data.get("messages"):
        payload["errors"] = errors
    response = Response(json.dumps(payload, ensure_ascii=False), status=code, mimetype="application/json")
    for name, value in [*error.get_headers(), *(data.get("headers") or {}).items()]:  # Allow, Retry-After, …
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def unexpected_error(error: Exception) -> Response:
    """Log what went wrong; the client gets a JSON 500 without any of it."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(InternalServerError())


def api_error_or_site_page(error: HTTPException) -> Response | tuple[str, int]:
    """A 404 or 405 that no route of the API answered (an unknown path, an id out of range or of the wrong kind, a
    writing method): JSON under the API's prefix, the site's error page elsewhere."""
    if not request.path.startswith(API_PREFIX + "/"):
        return render_error(error)
    return say_language(error_response(error))
