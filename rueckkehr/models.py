"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .accounts.second_factor import RecoveryCode
from .accounts.tokens import AccountToken
from .advice.models import AdviceTalk
from .audit.models import AuditEntry
from .employers.models import Employer, StandBooking, Vacancy, VacancyTerm
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .jobs.models import JobRun
from .mail.models import OutboxMessage, OutboxStatus
from .occupations.models import OccupationArea, OccupationGroup
from .places.models import Town, Venue
from .registrations.mailings import EventMailing
from .registrations.models import Registration
from .returnees.models import Consent, ConsentProof, ReturneeProfile, profile_wished_towns

__all__ = [
    "AccountToken",
    "AdviceTalk",
    "AuditEntry",
    "Consent",
    "ConsentProof",
    "Employer",
    "Event",
    "EventMailing",
    "EventSeries",
    "EventStatus",
    "JobRun",
    "OccupationArea",
    "OccupationGroup",
    "OutboxMessage",
    "OutboxStatus",
    "ProgrammeItem",
    "RecoveryCode",
    "Registration",
    "ReturneeProfile",
    "Role",
    "StandBooking",
    "Town",
    "User",
    "Vacancy",
    "VacancyTerm",
    "Venue",
    "organizer_towns",
    "profile_wished_towns",
]
