"""Calendar files and feeds: ``/events/<id>.ics`` (one event) and ``/events.ics`` (all, or one town's).

Both answer conditional requests with 304 before anything is built; subscribed calendars ask often.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.http import is_resource_modified

from ..dates import BERLIN
from ..places.models import Town
from ..urls import external_url
from .calendar import event_file, feed
from .queries import feed_events, feed_version, get_public_event, town_by_slug

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_language() -> str:
    """German, or another site language when the link asks for it with ``?lang=`` (never the visitor's session)."""
    requested = request.args.get("lang")
    return str(
        requested if requested in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed address, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def feed_url(town: Town | None, language: str) -> str:
    """The absolute address of the feed of one town (or all), in a language (German needs no parameter)."""
    values: dict[str, str] = {}
    if town is not None:
        values["town"] = town.slug
    if language != current_app.config["BABEL_DEFAULT_LOCALE"]:
        values["lang"] = language
    return external_url("feeds.events_feed", **values)


def _not_modified(etag: str, last_modified: datetime | None) -> Response | None:
    """A bodiless 304 when the client's copy is current, else None."""
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        return None
    response = Response(status=304)
    _validators(response, etag, last_modified)
    return response


def _validators(response: Response, etag: str, last_modified: datetime | None) -> None:
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.no_cache = True


def _calendar_response(
    body: bytes, *, filename: str, disposition: str, etag: str, last_modified: datetime | None
) -> Response:
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    _validators(response, etag, last_modified)
    return response


# Raised when the bytes made of the same content change (2: the links of a language other than German carry it),
# so that a calendar holding the old bytes fetches them again.
CALENDAR_FORMAT = 2


def _etag(*parts: object) -> str:
    return hashlib.sha256("|".join(str(part) for part in (CALENDAR_FORMAT, *parts)).encode()).hexdigest()[:32]


@bp.get("/events.ics")
def events_feed() -> Response:
    """Every public event from 90 days back on (or one town's, ``?town=<slug>``) to subscribe to."""
    town = None
    if slug := request.args.get("town"):
        town = town_by_slug(slug) or abort(404)
    language = feed_language()
    version = feed_version(town)
    etag = _etag("feed", language, town.slug if town else "", version.etag)
    if (unchanged := _not_modified(etag, version.last_modified)) is not None:
        return unchanged
    with force_locale(language):
        name = _("Rückkehrertage im RWK Westlausitz")
        if town is not None:
            name = _("%(name)s – %(town)s", name=name, town=town.name)
    body = feed(feed_events(town), name=name, language=language)
    filename = f"rueckkehrertage-{town.slug}.ics" if town else "rueckkehrertage.ics"
    return _calendar_response(
        body, filename=filename, disposition="inline", etag=etag, last_modified=version.last_modified
    )


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int) -> Response:
    """One public event as a file to add to a calendar."""
    event = get_public_event(event_id) or abort(404)
    language = feed_language()
    changed_at = event.content_changed_at
    etag = _etag("event", language, *event.content_version)
    if (unchanged := _not_modified(etag, changed_at)) is not None:
        return unchanged
    day = event.starts_at.astimezone(BERLIN).date().isoformat()
    filename = f"rueckkehrertag-{event.venue.town.slug}-{day}-{event.id}.ics"
    return _calendar_response(
        event_file(event, language),
        filename=filename,
        disposition="attachment",
        etag=etag,
        last_modified=changed_at,
    )
