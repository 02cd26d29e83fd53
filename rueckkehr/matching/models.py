"""What matching keeps: alert settings of returnees, alert subscriptions of others, the vacancies already mailed,
the anonymous pool cards, contact requests of employers, and employers' opt-outs of the pool digest."""

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
from ..places.models import Town
from ..returnees.models import ReturneeProfile, new_nonce


class Frequency(enum.StrEnum):
    """How often a job alert comes."""

    DAILY = "daily"
    WEEKLY = "weekly"


class AlertPreference(Model):
    """A returnee's choices for their job alerts (the consent itself is a ``Consent`` of purpose job_alerts)."""

    __tablename__ = "alert_preferences"

    profile_id: Mapped[int] = mapped_column(ForeignKey("returnee_profiles.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(string_enum(Frequency), default=Frequency.WEEKLY)
    partner_list: Mapped[bool] = mapped_column(default=True, doc="Also send vacancies for the partner's occupation")
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    profile: Mapped[ReturneeProfile] = relationship()


alert_subscription_towns = Table(
    "alert_subscription_towns",
    db.metadata,
    Column("subscription_id", ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True),
)


class AlertSubscription(Model):
    """A job alert of someone who does not come to an event: subscribed on /jobs, confirmed by mail (double opt-in).

    Its own record of consent: the text version, when it was given and confirmed. Unsubscribing deletes it and
    leaves a ``ConsentProof``.
    """

    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(5), default="de")
    occupation_group_code: Mapped[str] = mapped_column(ForeignKey("occupation_groups.code"))
    skill_level: Mapped[int | None]
    frequency: Mapped[Frequency] = mapped_column(string_enum(Frequency), default=Frequency.WEEKLY)
    link_key: Mapped[str] = mapped_column(String(32), default=new_nonce)
    text_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    occupation_group: Mapped[OccupationGroup] = relationship()
    towns: Mapped[list[Town]] = relationship(secondary=alert_subscription_towns, order_by="Town.sort_order")


class SentVacancy(Model):
    """A vacancy mailed to one person (a keyed hash of the address): never sent to them twice."""

    __tablename__ = "alert_deliveries"

    recipient_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def new_card_key() -> str:
    """A random, unguessable name for a pool card (never the profile's id)."""
    return secrets.token_urlsafe(12)


class PoolCard(Model):
    """A returnee's anonymous card in the employer pool, while they consent; a new consent gets a new key."""

    __tablename__ = "pool_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("returnee_profiles.id", ondelete="CASCADE"), unique=True, index=True
    )
    key: Mapped[str] = mapped_column(String(24), unique=True, default=new_card_key)
    listed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    profile: Mapped[ReturneeProfile] = relationship()


class ContactStatus(enum.StrEnum):
    """An employer asked; the returnee accepts or declines."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ContactRequest(Model):
    """An employer's wish to get in touch with the returnee behind a pool card, and the returnee's answer."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("returnee_profiles.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, doc="The employer's short message, screened for links")
    status: Mapped[ContactStatus] = mapped_column(string_enum(ContactStatus), default=ContactStatus.REQUESTED)
    shared: Mapped[list[str]] = mapped_column(JSON, default=list, doc="What the returnee chose to share")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    profile: Mapped[ReturneeProfile] = relationship()


class PoolDigestOptOut(Model):
    """An employer's user who wants no weekly mail of new pool cards."""

    __tablename__ = "pool_digest_optouts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
