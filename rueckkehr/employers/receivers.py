"""How employers answers the events package: the exhibitors of an event page, and their schema.org sponsors."""

from __future__ import annotations

from typing import Any

from ..events import signals as event_signals
from ..events.models import Event
from .queries import confirmed_exhibitors
from .rendering import organization


@event_signals.event_page.connect
def exhibitors_on_event_page(event: Event) -> dict[str, Any]:
    """The approved employers with a confirmed stand, for the page and its structured data."""
    exhibitors = confirmed_exhibitors(event.id)
    return {"exhibitors": exhibitors, "sponsors": [organization(employer) for employer in exhibitors]}
