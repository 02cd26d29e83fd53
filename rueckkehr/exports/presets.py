"""The team's named presets of export columns ("Liste für Arbeitgeber", "Einlass"), shared by a town's team."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from ..audit.operations import record
from ..extensions import db
from .columns import covered
from .models import ExportPreset
from .queries import Purpose


class PresetNameTakenError(ValueError):
    """The town has a preset of that name already (it is replaced only when asked)."""


def save_preset(town_id: int | None, name: str, columns: list[str], purpose: Purpose, user_id: int) -> ExportPreset:
    """Save a choice of columns under a name for the town's team; the same name again replaces it.

    A preset for employers holds only what their consent covers (``NotCoveredError``; the form refuses it first).
    """
    keys = [column.key for column in covered(columns, purpose)]
    preset = db.session.scalar(
        select(ExportPreset).where(ExportPreset.town_id.is_not_distinct_from(town_id), ExportPreset.name == name)
    )
    if preset is None:
        preset = ExportPreset(town_id=town_id, name=name, created_by_user_id=user_id)
        db.session.add(preset)
    preset.columns = keys
    preset.purpose = purpose.value
    db.session.flush()
    record("export_preset.saved", preset, town_id=town_id, changes={"name": name, "columns": keys})
    return preset


def delete_preset(preset: ExportPreset) -> None:
    """Remove a preset for the whole team."""
    record("export_preset.deleted", preset, town_id=preset.town_id, changes={"name": preset.name})
    db.session.execute(delete(ExportPreset).where(ExportPreset.id == preset.id))


def presets_of(town_ids: list[int | None]) -> list[ExportPreset]:
    """The presets of these towns (None: the admins' own), by name."""
    known = [town_id for town_id in town_ids if town_id is not None]
    condition: Any = ExportPreset.town_id.in_(known)
    if None in town_ids:
        condition = condition | ExportPreset.town_id.is_(None)
    return list(db.session.scalars(select(ExportPreset).where(condition).order_by(ExportPreset.name)))
