"""Public event pages: the list with its filters, the event page, and the registration entry."""

from __future__ import annotations

from typing import Any

from blinker import NamedSignal
from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ..dates import utcnow
from .feeds import feed_url, webcal_url
from .models import Event, RegistrationState, registration_state
from .queries import (
    EventFilter,
    all_towns,
    get_public_event,
    list_events,
    month_choices,
    parse_month,
    town_by_slug,
)
from .signals import event_list, event_page
from .structured_data import event_json_ld

bp = Blueprint("events", __name__, url_prefix="/events")


def contributions(signal: NamedSignal, sender: object) -> dict[str, Any]:
    """What the packages above add to a page of events (seats, exhibitors), merged from their answers."""
    merged: dict[str, Any] = {}
    for _receiver, values in signal.send(sender):
        merged.update(values or {})
    return merged


@bp.app_template_global("registration_state_of")
def registration_state_now(event: Event) -> RegistrationState:
    """Where an event's registration stands right now (for cards and pages)."""
    return registration_state(event, utcnow())


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
    events = list_events(filters)
    return render_template(
        "events/index.html",
        **contributions(event_list, events),
        events=events,
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
    """One event: date, venue, programme, seats left, exhibitors and the way to register."""
    event = get_public_event(event_id) or abort(404)
    extra = contributions(event_page, event)
    subscribe_url = feed_url(event.venue.town, str(get_locale()))
    return render_template(
        "events/detail.html",
        **extra,
        event=event,
        registration=registration_state(event, utcnow()),
        json_ld=event_json_ld(event, extra.get("sponsors", ())),
        subscribe_url=subscribe_url,
        webcal_url=webcal_url(subscribe_url),
    )
