"""What the events package tells the packages above it (registrations, employers), which answer these signals.

A lower package never imports a higher one; it sends a signal, and whoever cares connects to it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

event_changed = _signals.signal(
    "event-changed",
    doc="""An event moved in time or place, inside the operation's transaction. Sender: the event; keyword
    ``change``: an ``EventChange`` with what it was before.""",
)
event_cancelled = _signals.signal(
    "event-cancelled",
    doc="""An event was called off, inside the operation's transaction. Sender: the event; keyword
    ``was_published``: whether the public (and registrants) knew it.""",
)
event_page = _signals.signal(
    "event-page",
    doc="""The public page of an event is being shown. Sender: the event; a receiver returns a dict of template
    values it adds (seats left, exhibitors, schema.org sponsors).""",
)
event_list = _signals.signal(
    "event-list",
    doc="""A list of events is being shown. Sender: the list of events; a receiver returns a dict of template values
    keyed by what it adds (e.g. ``{"seats_left": {event_id: n}}``), computed for all events at once.""",
)
events_published = _signals.signal(
    "events-published",
    doc="""Organizers published events (drafts until now), inside the operation's transaction. Sender: the list of
    events. Returnees answers: everyone who asked for news of future Rückkehrertage gets one invitation.""",
)
capacity_changed = _signals.signal(
    "capacity-changed",
    doc="""An event's capacity changed, inside the operation's transaction, under the event's lock. Sender: the
    event; keyword ``old``: the capacity before. Registrations answers: a raised capacity moves the waiting list.""",
)
event_manage = _signals.signal(
    "event-manage",
    doc="""An organizer page of an event (or a list of events) is being shown. Sender: the list of events; a
    receiver returns a dict of template values keyed by what it adds, e.g. ``{"counts": {event_id: SeatCounts}}``,
    computed for all events at once.""",
)
draft_deleting = _signals.signal(
    "draft-deleting",
    doc="""A draft is about to be deleted, under the event's lock. Sender: the event; a receiver returns True if it
    holds rows of the event that must stay (registrations answers for walk-ins taken at a draft before they were
    refused), and the draft is kept.""",
)
