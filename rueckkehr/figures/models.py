"""The figures of past events, kept as anonymous counts so that they outlive the people behind them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime
from ..dates import utcnow
from ..extensions import Model


class FigureSnapshot(Model):
    """An event whose figures were counted and kept: from then on they are read from ``EventFigure``."""

    __tablename__ = "figure_snapshots"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventFigure(Model):
    """One count of a kept event: how many registrations had a value of a dimension (never who)."""

    __tablename__ = "event_figures"
    __table_args__ = (UniqueConstraint("event_id", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(40))
    count: Mapped[int]
