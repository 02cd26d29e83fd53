"""How returnees answers the events package: publishing new Rückkehrertage invites everyone who asked for news."""

from __future__ import annotations

from ..events import signals as event_signals
from ..events.models import Event
from .news import announce


@event_signals.events_published.connect
def announce_to_news_subscribers(events: list[Event]) -> None:
    """One invitation per subscriber for everything published at once, sent in batches by ``flask jobs run``."""
    announce(events)
