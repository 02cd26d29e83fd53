"""URLs: ids in routes, odd input refused, absolute links on BASE_URL (mails, calendars, structured data), the host.

Every ``<int:…>`` in a route is a database id: a whole number from 1 to 2³¹ − 1 (PostgreSQL's integer), so a huge
or negative number finds no route and answers 404 instead of overflowing the database driver. A NUL byte, which
PostgreSQL refuses in text, in the path or a query parameter answers 404 as well; forms refuse it beside the field.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A database id: 1 to 2³¹ − 1."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def refuse_nul_bytes() -> None:
    """404 for a NUL byte in the path or in a query parameter (no page takes one, and PostgreSQL refuses it)."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(404)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on BASE_URL; works in requests, CLI commands and periodic jobs alike."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def site_host() -> str:
    """The site's host name, for Message-IDs and calendar UIDs."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def init_app(app: Flask) -> None:
    """Ids in routes are database ids; requests with NUL bytes in the path or query end as a 404."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)


def mail_url(endpoint: str, language: str, **values: Any) -> str:
    """An absolute link for someone who reads ``language`` (in a mail or their calendar): a language other than the
    site's default travels as ``?lang=``, so the page opens in it even in a fresh browser, and the pages reached
    from it keep it.

    A link whose only value is a signed ``token`` (URL-safe characters, which no URL quotes) is the endpoint's link
    built once with a stand-in for the token, the token put in its place: a round of mails builds thousands."""
    token = values.get("token")
    if len(values) == 1 and isinstance(token, str) and _URL_SAFE.fullmatch(token):
        pattern = _token_pattern(endpoint, language)
        if pattern is not None:
            return pattern[0] + token + pattern[1]
    return _mail_url(endpoint, language, values)


_URL_SAFE = re.compile(r"[A-Za-z0-9_.-]+")
_STAND_IN = "zq0token0qz"
_PATTERNS = "rueckkehr_token_urls"


def _mail_url(endpoint: str, language: str, values: dict[str, Any]) -> str:
    if language != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values["lang"] = language
    return external_url(endpoint, **values)


def _token_pattern(endpoint: str, language: str) -> tuple[str, str] | None:
    """The endpoint's link in ``language`` cut where its token goes (None if the stand-in did not appear once)."""
    patterns: dict[tuple[str, ...], tuple[str, str] | None] = current_app.extensions.setdefault(_PATTERNS, {})
    config = current_app.config
    key = (endpoint, language, config["BASE_URL"], config["BABEL_DEFAULT_LOCALE"])
    if key not in patterns:
        parts = _mail_url(endpoint, language, {"token": _STAND_IN}).split(_STAND_IN)
        patterns[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    return patterns[key]
