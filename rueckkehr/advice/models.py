"""Advice talks: a returnee asked for a Beratungsgespräch; a town's organizer takes it on and notes the outcome.

The talk is kept apart from the returnee's own data (their profile never shows it) and is erased with them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model
from ..places.models import Town
from ..returnees.models import ReturneeProfile


class AdviceStatus(enum.StrEnum):
    """Open until someone takes it on; done once the outcome is noted."""

    OPEN = "open"
    ASSIGNED = "assigned"
    DONE = "done"


class AdviceTalk(Model):
    """The talk one returnee asked for, handled by one town."""

    __tablename__ = "advice_talks"
    __table_args__ = (UniqueConstraint("profile_id", "town_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("returnee_profiles.id", ondelete="CASCADE"), index=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), index=True)
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[AdviceStatus] = mapped_column(string_enum(AdviceStatus), default=AdviceStatus.OPEN)
    outcome: Mapped[str] = mapped_column(Text, default="", doc="The organizer's note; never shown to employers")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    profile: Mapped[ReturneeProfile] = relationship()
    town: Mapped[Town] = relationship()
    contact: Mapped[User | None] = relationship()
