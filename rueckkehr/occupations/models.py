"""KldB 2010 Berufsbereiche and Berufshauptgruppen, and the four Anforderungsniveaus."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .names import translated_name


class SkillLevel(enum.IntEnum):
    """The Anforderungsniveau, the fifth digit of a KldB code."""

    HELPER = 1
    SKILLED = 2
    SPECIALIST = 3
    EXPERT = 4


class OccupationArea(Model):
    """A KldB Berufsbereich (one digit)."""

    __tablename__ = "occupation_areas"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))

    groups: Mapped[list[OccupationGroup]] = relationship(back_populates="area", order_by="OccupationGroup.code")

    @property
    def label(self) -> str:
        """The name in the current language."""
        return translated_name(self.name)


class OccupationGroup(Model):
    """A KldB Berufshauptgruppe (two digits) within its Berufsbereich."""

    __tablename__ = "occupation_groups"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("occupation_areas.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    area: Mapped[OccupationArea] = relationship(back_populates="groups")

    @property
    def label(self) -> str:
        """The name in the current language."""
        return translated_name(self.name)
