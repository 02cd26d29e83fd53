"""Returnee profiles and their consents, and the proofs of consent that outlive an erasure."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model, db
from ..occupations.models import OccupationGroup
from ..occupations.working_times import WorkingTime, WorkingTimeSet
from ..places.models import Town


class ConsentPurpose(enum.StrEnum):
    """One consent per purpose, each with its own box and text."""

    PARTICIPATION = "participation"
    JOB_ALERTS = "job_alerts"
    EMPLOYER_POOL = "employer_pool"
    NEWS = "news"


class ConsentMethod(enum.StrEnum):
    """How a consent was given: online with double opt-in, or at the door to an organizer (walk-ins)."""

    ONLINE = "online"
    PAPER = "paper"
    ORAL = "oral"


OPTIONAL_PURPOSES = (ConsentPurpose.JOB_ALERTS, ConsentPurpose.EMPLOYER_POOL, ConsentPurpose.NEWS)

profile_wished_towns = Table(
    "profile_wished_towns",
    db.metadata,
    Column("profile_id", ForeignKey("returnee_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True),
)


def new_nonce() -> str:
    """A random single-use value for links."""
    return secrets.token_urlsafe(16)


class ReturneeProfile(Model):
    """One per e-mail address; what a returnee told us about themselves."""

    __tablename__ = "returnee_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True, doc="None only for a walk-in without one")
    language: Mapped[str] = mapped_column(String(5), default="de")
    salutation: Mapped[str | None] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32), doc="E.164")
    postal_code: Mapped[str] = mapped_column(String(12))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), doc="ISO 3166-1 alpha-2")
    hometown_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    hometown_other: Mapped[str | None] = mapped_column(String(100))
    occupation_group_code: Mapped[str | None] = mapped_column(ForeignKey("occupation_groups.code"))
    skill_level: Mapped[int | None]
    working_times: Mapped[list[WorkingTime]] = mapped_column(WorkingTimeSet, default=list)
    earliest_return: Mapped[str | None] = mapped_column(String(10), doc="YYYY-MM or 'flexible'")
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    partner_occupation_group_code: Mapped[str | None] = mapped_column(ForeignKey("occupation_groups.code"))
    partner_skill_level: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    link_key: Mapped[str] = mapped_column(
        String(32), default=new_nonce, doc="Random, fixed: binds links to this profile"
    )
    link_generation: Mapped[int] = mapped_column(default=0, doc="Raised to revoke every self-service link")
    action_code_hash: Mapped[str | None] = mapped_column(String(255))
    action_code_purpose: Mapped[str | None] = mapped_column(String(20))
    action_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    action_code_failures: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Wrong tries of the current code; at five the code dies"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="First double opt-in")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    hometown: Mapped[Town | None] = relationship()
    wished_towns: Mapped[list[Town]] = relationship(secondary=profile_wished_towns, order_by="Town.sort_order")
    occupation_group: Mapped[OccupationGroup | None] = relationship(foreign_keys=[occupation_group_code])
    partner_occupation_group: Mapped[OccupationGroup | None] = relationship(
        foreign_keys=[partner_occupation_group_code]
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="profile", order_by="Consent.given_at", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()

    def active_consent(self, purpose: ConsentPurpose) -> Consent | None:
        """The running consent for a purpose, if any."""
        for consent in self.consents:
            if consent.purpose == purpose and consent.withdrawn_at is None and consent.registration_id is None:
                return consent
        return None


class Consent(Model):
    """A consent for one purpose: the text version, when given, when confirmed by mail, when withdrawn."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("returnee_profiles.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), doc="Set for the consent to take part in one event"
    )
    purpose: Mapped[ConsentPurpose] = mapped_column(string_enum(ConsentPurpose))
    method: Mapped[ConsentMethod] = mapped_column(
        string_enum(ConsentMethod), default=ConsentMethod.ONLINE, server_default="online", doc="How it was given"
    )
    text_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reconfirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reconfirm_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="Asked to confirm, unanswered")

    profile: Mapped[ReturneeProfile] = relationship(back_populates="consents")


class ConsentProof(Model):
    """What stays of a consent after erasure: a hash of the address, the text version and the times."""

    __tablename__ = "consent_proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    text_version: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    keep_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
