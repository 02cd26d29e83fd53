"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .accounts.tokens import AccountToken
from .audit.models import AuditEntry
from .employers.models import Employer, SearchWord, StandBooking, Vacancy, VacancyTerm
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .jobs.models import JobRun
from .mail.models import OutboxMessage, OutboxStatus
from .matching.models import (
    AlertPreference,
    AlertSubscription,
    ContactRequest,
    PoolCard,
    PoolDigestOptOut,
    SentVacancy,
    alert_subscription_towns,
)
from .occupations.models import OccupationArea, OccupationGroup
from .places.models import Town, Venue
from .registrations.models import Registration
from .returnees.models import Consent, ConsentProof, ReturneeProfile, profile_wished_towns

__all__ = [
    "AlertPreference",
    "AlertSubscription",
    "ContactRequest",
    "PoolCard",
    "PoolDigestOptOut",
    "SearchWord",
    "SentVacancy",
    "alert_subscription_towns",
    "AccountToken",
    "AuditEntry",
    "Consent",
    "ConsentProof",
    "Employer",
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
    "StandBooking",
    "Town",
    "User",
    "Vacancy",
    "VacancyTerm",
    "Venue",
    "organizer_towns",
    "profile_wished_towns",
]
