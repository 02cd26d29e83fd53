"""The anonymous returnee pool as employers see it: cards without name, contact, free text or PLZ, filters with
counts, and nothing that singles a person out.

A card shows the Berufshauptgruppe only where at least five cards share it (else the Berufsbereich, else "another
field"), the wished towns only where at least five cards share each (else "Lausitz"), the level and the earliest
return: only what the consent to the pool names. The field filter offers only the fields a card may name. Counts
beside the filters are counted over the whole pool (so no two searches can be subtracted) and suppressed
(``suppression``); a search with fewer than five cards shows a hint to widen it instead of the cards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..occupations.names import translated_name
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile
from .candidates import names
from .models import PoolCard
from .suppression import MIN_CELL, suppress

PAGE_SIZE = 30
OTHER_FIELD = _l("anderes Berufsfeld")
REGION = _l("Lausitz")


def in_pool() -> Select:
    """Cards of returnees whose consent to the pool runs (given and confirmed, not withdrawn)."""
    return (
        select(PoolCard, ReturneeProfile)
        .join(ReturneeProfile, ReturneeProfile.id == PoolCard.profile_id)
        .join(Consent, Consent.profile_id == ReturneeProfile.id)
        .where(
            Consent.purpose == ConsentPurpose.EMPLOYER_POOL,
            Consent.withdrawn_at.is_(None),
            Consent.registration_id.is_(None),
            Consent.confirmed_at.is_not(None),
        )
        .options(selectinload(ReturneeProfile.wished_towns))
    )


@dataclass(frozen=True)
class Entry:
    """What the pool reads of one card (never more than the consent names)."""

    key: str
    profile_id: int
    group: str | None
    level: int | None
    towns: tuple[str, ...]  # slugs of the wished towns
    earliest: str | None
    listed_at: datetime


@dataclass
class PoolFilter:
    """The pool's filters from the URL."""

    area: str | None = None
    group: str | None = None
    level: int | None = None
    town: str | None = None
    returning_by: str | None = None  # "YYYY-MM": back by then (or flexible)
    page: int = 1


@dataclass
class Card:
    """One card as an employer sees it."""

    key: str
    field: str
    level: int | None
    region: list[str]
    earliest: str | None


@dataclass
class PoolView:
    """The cards of a search (or a hint to widen it) and the suppressed counts beside the filters."""

    cards: list[Card]
    total: int  # cards of the search; shown only when it is at least five
    too_few: bool
    areas: dict[str, int | None] = field(default_factory=dict)
    groups: dict[str, int | None] = field(default_factory=dict)
    levels: dict[int, int | None] = field(default_factory=dict)
    towns: dict[str, int | None] = field(default_factory=dict)
    page: int = 1
    pages: int = 1


def _entry(card: PoolCard, profile: ReturneeProfile) -> Entry:
    return Entry(
        card.key,
        profile.id,
        profile.occupation_group_code,
        profile.skill_level,
        tuple(town.slug for town in profile.wished_towns),
        profile.earliest_return,
        card.listed_at,
    )


def entries(cutoff: datetime | None = None) -> list[Entry]:
    """Every card in the pool (listed after ``cutoff``, if given), newest first: two statements."""
    statement = in_pool().order_by(PoolCard.listed_at.desc(), PoolCard.id.desc())
    if cutoff is not None:
        statement = statement.where(PoolCard.listed_at > cutoff)
    return [_entry(card, profile) for card, profile in db.session.execute(statement).all()]


class Visibility:
    """Which groups, areas and towns the whole pool shares often enough to be named on a card."""

    def __init__(self, pool: list[Entry]) -> None:
        self.group_counts = Counter(entry.group for entry in pool if entry.group)
        self.area_counts = Counter(entry.group[:1] for entry in pool if entry.group)
        self.town_counts = Counter(town for entry in pool for town in entry.towns)

    def card(self, entry: Entry) -> Card:
        """The card of an entry: small groups and towns folded into what is shared by five."""
        known = names()
        if entry.group and self.group_counts[entry.group] >= MIN_CELL:
            label = f"{entry.group} {translated_name(known.groups[entry.group][0])}"
        elif entry.group and self.area_counts[entry.group[:1]] >= MIN_CELL:
            label = translated_name(known.groups[entry.group][1])
        else:
            label = str(OTHER_FIELD)
        slugs = {slug: name for slug, name in known.towns.values()}
        region = [slugs[town] for town in entry.towns if self.town_counts[town] >= MIN_CELL and town in slugs]
        return Card(entry.key, label, entry.level, region or [str(REGION)], entry.earliest)


def _keeps(entry: Entry, filters: PoolFilter) -> bool:
    if filters.group and entry.group != filters.group:
        return False
    if filters.area and not (entry.group or "").startswith(filters.area):
        return False
    if filters.level and entry.level != filters.level:
        return False
    if filters.town and filters.town not in entry.towns:
        return False
    if filters.returning_by and entry.earliest not in (None, "", "flexible"):
        return str(entry.earliest) <= filters.returning_by
    return True


def search_pool(filters: PoolFilter) -> PoolView:
    """The cards of a search, or the hint to widen it, with the counts beside the filters."""
    pool = entries()
    visibility = Visibility(pool)
    found = [entry for entry in pool if _keeps(entry, filters)]
    total = len(pool)
    no_field = sum(1 for entry in pool if not entry.group)
    areas = suppress(dict(visibility.area_counts), total, unshown=no_field)
    groups: dict[str, int | None] = {}
    for area, count in areas.items():
        inside = {code: n for code, n in visibility.group_counts.items() if code[:1] == area}
        groups.update(suppress(inside, count) if count is not None else dict.fromkeys(inside))
    level_counts = Counter(entry.level for entry in pool if entry.level)
    levels = suppress(dict(level_counts), total, unshown=total - sum(level_counts.values()))
    towns = suppress(dict(visibility.town_counts))
    # the field filter offers only what a card may name: a field fewer than five share is not even listed
    areas = {code: count for code, count in areas.items() if visibility.area_counts[code] >= MIN_CELL}
    groups = {code: count for code, count in groups.items() if visibility.group_counts[code] >= MIN_CELL}
    too_few = len(found) < MIN_CELL
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    shown = [] if too_few else found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return PoolView(
        cards=[visibility.card(entry) for entry in shown],
        total=0 if too_few else len(found),
        too_few=too_few,
        areas=areas,
        groups=groups,
        levels=levels,
        towns=towns,
        page=page,
        pages=pages,
    )


def card_entry(key: str) -> Entry | None:
    """The pool entry behind a card key, while the returnee consents; None otherwise."""
    if not key or len(key) > 24:
        return None
    row = db.session.execute(in_pool().where(PoolCard.key == key)).first()
    return _entry(*row) if row is not None else None


def visible_card(entry: Entry) -> Card:
    """One entry's card, named as the whole pool allows."""
    return Visibility(entries()).card(entry)
