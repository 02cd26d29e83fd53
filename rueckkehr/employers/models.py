"""Employers, their vacancies (with the search terms that index them) and stand bookings."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..events.models import Event
from ..extensions import Model
from ..occupations.models import OccupationArea, OccupationGroup
from ..occupations.working_times import WorkingTime, WorkingTimeSet
from ..places.models import Town


class EmployerStatus(enum.StrEnum):
    """Pending employers are visible to themselves only; approved ones are public."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class SizeBand(enum.StrEnum):
    """Number of employees, in the bands of the EU SME definition."""

    MICRO = "1-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250+"


class VacancyStatus(enum.StrEnum):
    """The lifecycle of a vacancy: only published ones are on the board."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    EXPIRED = "expired"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"


class Contract(enum.StrEnum):
    """Befristet or unbefristet."""

    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"


class SalaryPeriod(enum.StrEnum):
    """What a salary figure is counted per."""

    HOUR = "hour"
    MONTH = "month"
    YEAR = "year"


class StandStatus(enum.StrEnum):
    """A stand is requested by the employer and confirmed by an organizer; either side may cancel."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Employer(Model):
    """A company of the region with its public profile."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), index=True)
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    locality: Mapped[str] = mapped_column(String(120))
    sector_code: Mapped[str] = mapped_column(ForeignKey("occupation_areas.code"), index=True)
    size_band: Mapped[SizeBand] = mapped_column(string_enum(SizeBand))
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    logo_filename: Mapped[str | None] = mapped_column(String(80))
    pending_changes: Mapped[dict[str, str] | None] = mapped_column(
        JSON, doc="Edits of an approved company's name, description or website, public after a second look"
    )
    pending_logo_filename: Mapped[str | None] = mapped_column(String(80), doc="A new logo waiting for a second look")
    changes_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[EmployerStatus] = mapped_column(
        string_enum(EmployerStatus), default=EmployerStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    town: Mapped[Town] = relationship()
    sector: Mapped[OccupationArea] = relationship()
    vacancies: Mapped[list[Vacancy]] = relationship(back_populates="employer", order_by="Vacancy.id.desc()")
    stands: Mapped[list[StandBooking]] = relationship(back_populates="employer", order_by="StandBooking.id")
    users: Mapped[list[User]] = relationship(order_by="User.id", viewonly=True)

    @property
    def is_approved(self) -> bool:
        """Whether the public may see the company."""
        return self.status == EmployerStatus.APPROVED

    @property
    def has_pending_changes(self) -> bool:
        """Whether edits wait for the organizers' second look."""
        return bool(self.pending_changes) or self.pending_logo_filename is not None

    @property
    def pending_fields(self) -> list[str]:
        """The names of the fields waiting for a second look, ``logo`` included."""
        return [*sorted(self.pending_changes or {}), *(["logo"] if self.pending_logo_filename else [])]

    def as_edited(self, name: str) -> str:
        """A field as the company last typed it: the pending edit if there is one, else the public value."""
        return str((self.pending_changes or {}).get(name, getattr(self, name)))

    @property
    def address(self) -> str:
        """The postal address on one line."""
        return f"{self.street}, {self.postal_code} {self.locality}"

    def __repr__(self) -> str:
        return f"<Employer {self.id} {self.name!r}>"


class Vacancy(Model):
    """A job offer of an employer."""

    __tablename__ = "vacancies"
    __table_args__ = (
        Index("ix_vacancies_board", "status", "valid_until"),
        Index("ix_vacancies_matching", "status", "occupation_group_code", "skill_level", "town_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    occupation_group_code: Mapped[str] = mapped_column(ForeignKey("occupation_groups.code"), index=True)
    skill_level: Mapped[int] = mapped_column()
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"), index=True)
    place_name: Mapped[str] = mapped_column(String(120), default="", doc="A place outside the RWK towns")
    place_postal_code: Mapped[str] = mapped_column(String(10), default="")
    working_times: Mapped[list[WorkingTime]] = mapped_column(WorkingTimeSet, default=list)
    contract: Mapped[Contract] = mapped_column(string_enum(Contract))
    starts_on: Mapped[date | None] = mapped_column(Date, doc="None means ab sofort")
    salary_min: Mapped[int | None] = mapped_column()
    salary_max: Mapped[int | None] = mapped_column()
    salary_period: Mapped[SalaryPeriod | None] = mapped_column(string_enum(SalaryPeriod))
    description: Mapped[str] = mapped_column(Text, doc="Markdown; rendered and sanitised on display")
    apply_url: Mapped[str] = mapped_column(String(300), default="")
    apply_email: Mapped[str] = mapped_column(String(254), default="")
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[VacancyStatus] = mapped_column(string_enum(VacancyStatus), default=VacancyStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employer: Mapped[Employer] = relationship(back_populates="vacancies")
    occupation_group: Mapped[OccupationGroup] = relationship()
    town: Mapped[Town | None] = relationship()
    terms: Mapped[list[VacancyTerm]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def place(self) -> str:
        """Where the work is: the RWK town, or the other place with its PLZ."""
        if self.town is not None:
            return self.town.name
        return f"{self.place_postal_code} {self.place_name}".strip()

    @property
    def is_editable(self) -> bool:
        """Drafts and submitted vacancies may still be changed."""
        return self.status in (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED)

    @property
    def is_open(self) -> bool:
        """Whether the vacancy is on its way to or on the board (and so may be withdrawn or marked filled)."""
        return self.status in (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.PUBLISHED)

    def __repr__(self) -> str:
        return f"<Vacancy {self.id} {self.title!r} {self.status}>"


class VacancyTerm(Model):
    """One normalised search token of a vacancy, weighted by where and how often it occurs.

    The primary key begins with the token, so a search by token is an index look-up on SQLite and PostgreSQL.
    """

    __tablename__ = "vacancy_terms"
    # the weight beside token and vacancy: a search sums the weights from the index alone
    __table_args__ = (Index("ix_vacancy_terms_search", "token", "vacancy_id", "weight"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    weight: Mapped[int] = mapped_column(default=1)


class SearchWord(Model):
    """Every token ever indexed, once, forwards and reversed: a query word finds the compounds that begin or end
    with it as two index ranges here (``search.QueryTerm``). Words are never removed; one that no vacancy holds any
    more only finds nothing."""

    __tablename__ = "search_words"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    reversed_token: Mapped[str] = mapped_column(String(64), index=True)


class StandBooking(Model):
    """An employer's request for a stand at an event, confirmed by an organizer."""

    __tablename__ = "stand_bookings"
    __table_args__ = (UniqueConstraint("employer_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    space_note: Mapped[str] = mapped_column(Text, default="")
    needs_power: Mapped[bool] = mapped_column(default=False)
    status: Mapped[StandStatus] = mapped_column(string_enum(StandStatus), default=StandStatus.REQUESTED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    employer: Mapped[Employer] = relationship(back_populates="stands")
    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<StandBooking {self.id} {self.status}>"
