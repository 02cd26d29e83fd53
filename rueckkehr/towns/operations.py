"""Changing a town's page and its contact person for returnees (who signs the town's mails and gets the replies)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..audit.operations import record
from ..places.models import Town


@dataclass
class TownPage:
    """What organizers write about their town (Markdown), and its contact person."""

    page_intro: str
    page_housing: str
    page_childcare: str
    page_leisure: str
    page_work: str
    contact_name: str
    contact_email: str
    contact_phone: str


def update_town_page(town: Town, page: TownPage) -> list[str]:
    """Save the page; return the names of the fields that changed (the audit trail names them, never the text)."""
    changed = [field.name for field in fields(TownPage) if getattr(town, field.name) != getattr(page, field.name)]
    for name in changed:
        setattr(town, name, getattr(page, name))
    if changed:
        record("town.updated", town, town_id=town.id, changes={"fields": changed})
    return changed
