"""Public event pages: the list with its filters, the event page, and the registration entry."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ..database import utcnow
from ..employers.queries import confirmed_exhibitors
from ..registrations.operations import seats_left
from .feeds import feed_url, webcal_url
from .models import registration_state
from .queries import (
    EventFilter,
    all_towns,
    get_public_event,
    list_events,
    month_choices,
    parse_month,
    town_by_slug,
)
from .structured_data import event_json_ld

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.get("")
def index() -> str:
    """The event list, filtered by town and month; past events with ``?past=1``."""
    towns = all_towns()
    errors: list[str] = []
    town = None
    if town_slug := request.args.get("town"):
        town = town_by_slug(town_slug)
        if town is None:
            abort(404)
    month = None
    if month_value := request.args.get("month", "").strip():
        try:
            month = parse_month(month_value)
        except ValueError:
            errors.append(
                _("„%(value)s“ ist kein gültiger Monat. Bitte wählen Sie einen Monat aus der Liste.", value=month_value)
            )
    filters = EventFilter(town=town, month=month, past=request.args.get("past") == "1")
    subscribe_url = feed_url(town, str(get_locale()))
    return render_template(
        "events/index.html",
        events=list_events(filters),
        filters=filters,
        towns=towns,
        errors=errors,
        month_value=month_value,
        months=month_choices(),
        subscribe_url=subscribe_url,
        webcal_url=webcal_url(subscribe_url),
    )


@bp.get("/<int:event_id>")
def detail(event_id: int) -> str:
    """One event: date, venue, programme, seats left and the way to register."""
    event = get_public_event(event_id) or abort(404)
    exhibitors = confirmed_exhibitors(event.id)
    subscribe_url = feed_url(event.venue.town, str(get_locale()))
    return render_template(
        "events/detail.html",
        event=event,
        seats_left=seats_left(event),
        registration=registration_state(event, utcnow()),
        exhibitors=exhibitors,
        json_ld=event_json_ld(event, exhibitors),
        subscribe_url=subscribe_url,
        webcal_url=webcal_url(subscribe_url),
    )
