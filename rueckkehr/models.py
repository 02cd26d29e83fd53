"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .accounts.models import Role, User, organizer_towns
from .accounts.second_factor import RecoveryCode
from .accounts.sessions import LoginSession
from .accounts.tokens import AccountToken
from .advice.models import AdviceTalk
from .audit.models import AuditEntry
from .checkin.models import CheckInScan
from .employers.models import Employer, SearchWord, StandBooking, Vacancy, VacancyTerm
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .exports.models import ExportJob, ExportPreset
from .figures.models import EventFigure, FigureSnapshot
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
from .registrations.mailings import EventMailing
from .registrations.models import Registration
from .returnees.models import Consent, ConsentProof, ReturneeProfile, profile_wished_towns
from .returnees.news import NewsAnnouncement

__all__ = [
    "AccountToken",
    "AdviceTalk",
    "AlertPreference",
    "AlertSubscription",
    "AuditEntry",
    "CheckInScan",
    "Consent",
    "ConsentProof",
    "ContactRequest",
    "Employer",
    "Event",
    "EventFigure",
    "EventMailing",
    "EventSeries",
    "EventStatus",
    "ExportJob",
    "ExportPreset",
    "FigureSnapshot",
    "JobRun",
    "LoginSession",
    "NewsAnnouncement",
    "OccupationArea",
    "OccupationGroup",
    "OutboxMessage",
    "OutboxStatus",
    "PoolCard",
    "PoolDigestOptOut",
    "ProgrammeItem",
    "RecoveryCode",
    "Registration",
    "ReturneeProfile",
    "Role",
    "SearchWord",
    "SentVacancy",
    "StandBooking",
    "Town",
    "User",
    "Vacancy",
    "VacancyTerm",
    "Venue",
    "alert_subscription_towns",
    "organizer_towns",
    "profile_wished_towns",
]
