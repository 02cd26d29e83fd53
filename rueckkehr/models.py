"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .occupations.models import OccupationArea, OccupationGroup
from .places.models import Town, Venue

__all__ = [
    "Event",
    "EventSeries",
    "EventStatus",
    "OccupationArea",
    "OccupationGroup",
    "ProgrammeItem",
    "Role",
    "Town",
    "User",
    "Venue",
    "organizer_towns",
]
