"""How the API reads its query parameters: every bad one of a request named in one 422, in the client's language.

flask-smorest reads a resource's filters (``@bp.arguments``) and its page (``@bp.paginate``) one after the other,
and webargs answers the first schema that fails: ``?month=2026-13&page=abc`` named the month alone. Each view
therefore keeps the query schemas it reads (``query_schemas``), and when one fails, the others are read too and
their errors join the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import marshmallow as ma
from flask import current_app, request
from webargs.flaskparser import FlaskParser, abort

from .messages import own_messages

QUERY_SCHEMAS = "query_schemas"


def keep_query_schema(view: Callable[..., Any], schema: type[ma.Schema] | ma.Schema) -> Callable[..., Any]:
    """Note on the view (which the decorators above it copy, as ``functools.wraps`` does) that it reads ``schema``
    from the query."""
    setattr(view, QUERY_SCHEMAS, (*getattr(view, QUERY_SCHEMAS, ()), schema))
    return view


class ApiParser(FlaskParser):
    """webargs' parser for Flask, whose 422 names every bad query parameter, in our words and the client's
    language."""

    def handle_error(
        self,
        error: ma.ValidationError,
        req: Any,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: Mapping[str, str] | None,
    ) -> NoReturn:
        messages: dict[str, Any] = error.messages if isinstance(error.messages, dict) else {"query": error.messages}
        if isinstance(query := messages.get("query"), dict):
            messages = {**messages, "query": {**query, **self.other_errors(schema)}}
        abort(
            error_status_code or self.DEFAULT_VALIDATION_STATUS,
            exc=error,
            messages=own_messages(messages),
            schema=schema,
            headers=error_headers,
        )

    def other_errors(self, failed: ma.Schema) -> dict[str, Any]:
        """The errors of the current view's other query schemas, by parameter, read as webargs reads them."""
        view = current_app.view_functions.get(str(request.endpoint))
        errors: dict[str, Any] = {}
        for schema in getattr(view, QUERY_SCHEMAS, ()):
            instance = schema() if isinstance(schema, type) else schema
            if type(instance) is type(failed):
                continue
            try:
                instance.load(self.load_querystring(request, instance), unknown=ma.EXCLUDE)
            except ma.ValidationError as error:
                errors.update(error.messages if isinstance(error.messages, dict) else {})
        return errors
