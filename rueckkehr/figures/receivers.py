"""Before a returnee is erased, the counts of the past events they registered for are kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..events.models import Event
from ..extensions import db
from ..registrations.models import Registration
from ..returnees.models import ReturneeProfile
from ..returnees.signals import profile_erasure_starting
from .counting import freeze


@profile_erasure_starting.connect
def keep_figures(profile: ReturneeProfile, now: datetime, **extra: Any) -> None:
    """Freeze the figures of every ended event of the profile before its registrations go."""
    ended = db.session.scalars(
        select(Registration.event_id)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.profile_id == profile.id, Event.ends_at < now)
    )
    freeze(list(ended), now)
