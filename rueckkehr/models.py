"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .jobs.models import JobRun
from .mail.models import OutboxMessage, OutboxStatus
from .occupations.models import OccupationArea, OccupationGroup
from .places.models import Town, Venue

__all__ = [
    "Event",
    "EventSeries",
    "EventStatus",
    "JobRun",
    "OccupationArea",
    "OccupationGroup",
    "OutboxMessage",
    "OutboxStatus",
    "ProgrammeItem",
    "Role",
    "Town",
    "User",
    "Venue",
    "organizer_towns",
]
