"""How long the data of a returnee who only took part lives: until the retention period after their last event.

A profile with a running optional consent lives while that consent lasts (see ``returnees.retention``); a profile
never confirmed goes as soon as its registrations have lapsed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, or_, select

from ..dates import utcnow
from ..events.models import Event
from ..extensions import db
from ..returnees.models import ReturneeProfile
from ..returnees.operations import erase_profile
from ..returnees.retention import running_optional_consent
from .models import ACTIVE, Registration


def due_profile_ids(now: datetime) -> list[int]:
    """The profiles the retention run erases at ``now``: no running consent and every event ended longer ago than
    the retention period, or never confirmed with every registration lapsed."""
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS_AFTER_EVENT"])
    still_needed = exists().where(
        Registration.profile_id == ReturneeProfile.id,
        Registration.event_id == Event.id,
        Event.ends_at > cutoff,
    )
    active_registration = exists().where(Registration.profile_id == ReturneeProfile.id, Registration.status.in_(ACTIVE))
    never_confirmed_and_lapsed = and_(ReturneeProfile.confirmed_at.is_(None), ~active_registration)
    return list(
        db.session.scalars(
            select(ReturneeProfile.id).where(
                or_(and_(~running_optional_consent(), ~still_needed), never_confirmed_and_lapsed)
            )
        )
    )


def purge_expired_profiles(now: datetime | None = None) -> int:
    """Erase profiles without a running consent whose events all ended longer ago than the retention period, and
    profiles never confirmed whose registrations have all lapsed. Returns how many."""
    now = now or utcnow()
    ids = due_profile_ids(now)
    for profile_id in ids:
        erase_profile(profile_id, reason="retention", now=now)
    return len(ids)


def erasure_forecast(now: datetime, limit: int = 12) -> list[tuple[datetime, int]]:
    """When profiles without a running consent will be erased, and how many on each day: the retention period
    after the end of their last event (a later registration or a new consent pushes it back)."""
    period = timedelta(days=current_app.config["RETENTION_DAYS_AFTER_EVENT"])
    last_event = (
        select(Registration.profile_id, func.max(Event.ends_at).label("last_end"))
        .join(Event, Event.id == Registration.event_id)
        .join(ReturneeProfile, ReturneeProfile.id == Registration.profile_id)
        .where(~running_optional_consent())
        .group_by(Registration.profile_id)
        .subquery()
    )
    rows = db.session.execute(
        select(last_event.c.last_end, func.count())
        .where(last_event.c.last_end > now - period)
        .group_by(last_event.c.last_end)
        .order_by(last_event.c.last_end)
        .limit(limit)
    )
    return [(last_end + period, int(count)) for last_end, count in rows]
