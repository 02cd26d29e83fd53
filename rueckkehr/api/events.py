"""``/api/v1/events``: the public events (published, and cancelled ones as cancelled), as the event list shows them."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import abort
from flask_smorest.pagination import PaginationParameters
from sqlalchemy.orm import selectinload

from ..dates import utcnow
from ..employers.queries import confirmed_exhibitors
from ..events.models import Event, RegistrationState, registration_state
from ..events.queries import EventFilter, get_public_event, listed_events_query, parse_month
from ..i18n import format_event_time
from ..places.models import Town, Venue
from ..registrations.seats import seats_left, seats_left_at
from ..urls import external_url
from .base import API_PREFIX, ApiBlueprint, page_of
from .schemas import EventArgs, EventDetailSchema, EventSchema

bp = ApiBlueprint(
    "api_events", __name__, url_prefix=f"{API_PREFIX}/events", description="Rückkehrertage and other events"
)


def state_labels() -> dict[RegistrationState, str]:
    """Where registration stands, in the client's language."""
    return {
        RegistrationState.OPEN: _("Anmeldung offen"),
        RegistrationState.NOT_YET_OPEN: _("Anmeldung noch nicht geöffnet"),
        RegistrationState.CLOSED: _("Online-Anmeldung geschlossen"),
        RegistrationState.CANCELLED: _("Abgesagt"),
        RegistrationState.PAST: _("Vorbei"),
    }


def town_document(town: Town) -> dict[str, str]:
    """A town as the API shows it."""
    return {"slug": town.slug, "name": town.name}


def venue_document(venue: Venue) -> dict[str, Any]:
    """A venue with its address and town."""
    return {
        "name": venue.name,
        "street": venue.street,
        "postal_code": venue.postal_code,
        "locality": venue.locality,
        "town": town_document(venue.town),
        "latitude": float(venue.latitude) if venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue.longitude is not None else None,
    }


def event_document(event: Event, seats: int, labels: dict[RegistrationState, str]) -> dict[str, Any]:
    """An event as the list shows it."""
    state = registration_state(event, utcnow())
    return {
        "id": event.id,
        "title": event.title,
        "summary": event.summary,
        "status": event.status.value,
        "series": event.series.title if event.series else None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_text": format_event_time(event.starts_at, event.ends_at),
        "venue": venue_document(event.venue),
        "capacity": event.capacity,
        "seats_left": seats,
        "registration": {
            "state": state.value,
            "label": labels[state],
            "opens_at": event.registration_opens_at,
            "closes_at": event.registration_closes_at or event.starts_at,
            "url": external_url("registrations.form", event_id=event.id),
        },
        "url": external_url("events.detail", event_id=event.id),
    }


@bp.route("")
@bp.etag
@bp.arguments(EventArgs, location="query", as_kwargs=True)
@bp.response(200, EventSchema(many=True))
@bp.paginate()
def index(pagination_parameters: PaginationParameters, **args: Any) -> list[dict[str, Any]]:
    """Coming public events, soonest first (`past=true`: past ones, latest first), by town and month."""
    month = None
    if args.get("month"):
        month = parse_month(args["month"])
    filters = EventFilter(town=args.get("town"), month=month, past=args["past"])
    statement = listed_events_query(filters).options(selectinload(Event.series))
    events = page_of(statement, pagination_parameters)
    seats = seats_left_at(events)
    labels = state_labels()
    return [event_document(event, seats[event.id], labels) for event in events]


@bp.route("/<int:event_id>")
@bp.etag
@bp.response(200, EventDetailSchema)
@bp.alt_response(404, description="No public event has this id")
def detail(event_id: int) -> dict[str, Any]:
    """One public event with its programme and the employers that have a stand."""
    event = get_public_event(event_id) or abort(404)
    document = event_document(event, seats_left(event), state_labels())
    document["description"] = event.description
    document["programme"] = [
        {"starts_at": item.starts_at, "ends_at": item.ends_at, "title": item.title, "description": item.description}
        for item in event.programme
    ]
    document["exhibitors"] = [
        {"id": employer.id, "name": employer.name, "url": external_url("api_employers.detail", employer_id=employer.id)}
        for employer in confirmed_exhibitors(event.id)
    ]
    return document
