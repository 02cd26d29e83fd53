"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .jobs.models import JobRun
from .mail.models import OutboxMessage, OutboxStatus
from .occupations.models import OccupationArea, OccupationGroup
from .places.models import Town, Venue
from .registrations.models import Consent, ConsentProof, Registration, ReturneeProfile, profile_wished_towns

__all__ = [
    "Consent",
    "ConsentProof",
    "Event",
    "EventSeries",
    "EventStatus",
    "JobRun",
    "OccupationArea",
    "OccupationGroup",
    "OutboxMessage",
    "OutboxStatus",
    "ProgrammeItem",
    "Registration",
    "ReturneeProfile",
    "Role",
    "Town",
    "User",
    "Venue",
    "organizer_towns",
    "profile_wished_towns",
]
