"""Candidates from the database, scored in Python: a seeker's Berufsbereich and level ±1 select vacancies through
``ix_vacancies_matching`` (status, group, level, town); only those are scored, tier by tier, until the best ones are
known. Many returnees at once (``stream_seekers``, ``best_for_each``) come as narrow rows in chunks, never as all
profiles loaded together, and their matches are handed on one returnee at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import ColumnElement, Integer, Select, exists, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute

from ..dates import berlin_today
from ..employers.models import Employer, Vacancy
from ..employers.queries import on_board
from ..extensions import db
from ..occupations.models import OccupationArea, OccupationGroup
from ..occupations.working_times import WorkingTime, to_bits
from ..places.models import Town
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile, profile_wished_towns
from .scoring import Match, Offer, Seeker, score, tier_of

REMOTE_BIT = WorkingTime.REMOTE.bit
Key = TypeVar("Key")


@dataclass(frozen=True)
class Names:
    """Names of the reference data a match shows: groups with their area, towns by id."""

    groups: dict[str, tuple[str, str]]  # code → (group name, area name)
    towns: dict[int, tuple[str, str]]  # id → (slug, name)


@lru_cache(maxsize=4)
def _names_for(bind_key: str) -> Names:
    groups = {
        code: (name, area)
        for code, name, area in db.session.execute(
            select(OccupationGroup.code, OccupationGroup.name, OccupationArea.name).join(OccupationGroup.area)
        )
    }
    towns = {town_id: (slug, name) for town_id, slug, name in db.session.execute(select(Town.id, Town.slug, Town.name))}
    return Names(groups, towns)


def names() -> Names:
    """The reference data's names (loaded by the migrations, so read once per database)."""
    return _names_for(str(db.engine.url))


def earliest_return(value: str | None, today: date) -> date | None:
    """The first day of the earliest return month when it lies ahead; None for flexible, unknown or past."""
    if not value or len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdecimal():
        return None
    month = date(int(value[:4]), int(value[5:]), 1) if 1 <= int(value[5:]) <= 12 else None
    return month if month is not None and month > today else None


def seekers_of(profile: ReturneeProfile, today: date, *, partner: bool = True) -> list[tuple[str, Seeker]]:
    """A profile as seekers: ``("own", …)`` and, when a partner's occupation is given, ``("partner", …)``."""
    towns = names().towns
    places = tuple(towns[town.id] for town in profile.wished_towns if town.id in towns)
    hometown = towns.get(profile.hometown_id) if profile.hometown_id else None
    found = []
    if profile.occupation_group_code:
        found.append(
            (
                "own",
                Seeker(
                    profile.occupation_group_code,
                    profile.skill_level,
                    working_times=to_bits(profile.working_times),  # members once stored, values before a flush
                    earliest=earliest_return(profile.earliest_return, today),
                    places=places,
                    hometown=hometown,
                ),
            )
        )
    if partner and profile.partner_occupation_group_code:
        found.append(
            ("partner", Seeker(profile.partner_occupation_group_code, profile.partner_skill_level, places, hometown))
        )
    return found


OFFER_COLUMNS = (
    Vacancy.id,
    Vacancy.employer_id,
    Vacancy.occupation_group_code,
    Vacancy.skill_level,
    Vacancy.town_id,
    Vacancy.place_name,
    Vacancy.place_postal_code,
    type_coerce(Vacancy.working_times, Integer).label("time_bits"),  # the stored bits, as the scorer reads them
    Vacancy.starts_on,
    Vacancy.published_at,
)


def offers_from(statement: Select) -> list[Offer]:
    """Offers from a statement that selects ``OFFER_COLUMNS``."""
    known = names()
    offers = []
    for row in db.session.execute(statement):
        group_name, area_name = known.groups[row.occupation_group_code]
        bits = row.time_bits or 0
        offers.append(
            Offer(
                id=row.id,
                employer_id=row.employer_id,
                group=row.occupation_group_code,
                group_name=group_name,
                area_name=area_name,
                level=row.skill_level,
                town=known.towns.get(row.town_id) if row.town_id else None,
                place=f"{row.place_postal_code} {row.place_name}".strip(),
                working_times=bits,
                remote=bool(bits & REMOTE_BIT),
                starts_on=row.starts_on,
                published_at=row.published_at,
            )
        )
    return offers


def candidate_statement(group: str, level: int | None, now: datetime | None = None) -> Select:
    """Vacancies on the board that may match a seeker of this group and level: the Berufsbereich's groups, the level
    ±1 (an index range on ``ix_vacancies_matching``)."""
    area_groups = [code for code in names().groups if code[:1] == group[:1]]
    statement = (
        select(*OFFER_COLUMNS)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(*on_board(now), Vacancy.occupation_group_code.in_(area_groups))
    )
    if level:
        statement = statement.where(Vacancy.skill_level.between(level - 1, level + 1))
    return statement


def tiers_of(seeker: Seeker, offers: Iterable[Offer]) -> dict[int, list[Offer]]:
    """The offers that may match, by tier (the same for every seeker of this group and level)."""
    tiers: dict[int, list[Offer]] = {}
    for offer in offers:
        tier = tier_of(seeker, offer.group, offer.level)
        if tier is not None:
            tiers.setdefault(tier, []).append(offer)
    return tiers


def best_in_tiers(seeker: Seeker, tiers: dict[int, list[Offer]], limit: int | None = None) -> list[Match]:
    """The seeker's matches, best first; with ``limit``, only that many, scoring the tiers in turn and stopping once
    the best are known (a lower tier can never come before a higher one)."""
    found: list[Match] = []
    for tier in sorted(tiers, reverse=True):
        if limit is not None and len(found) >= limit:
            break
        found.extend(match for offer in tiers[tier] if (match := score(seeker, offer)) is not None)
    found.sort(key=lambda match: match.sort_key)
    return found[:limit] if limit is not None else found


def best(seeker: Seeker, offers: Iterable[Offer], limit: int | None = None) -> list[Match]:
    """The seeker's matches among ``offers``, best first (at most ``limit``)."""
    return best_in_tiers(seeker, tiers_of(seeker, offers), limit)


def matches_for(seeker: Seeker, limit: int | None = None, now: datetime | None = None) -> list[Match]:
    """The seeker's best matches among the vacancies on the board."""
    return best(seeker, offers_from(candidate_statement(seeker.group, seeker.level, now)), limit)


def today(now: datetime | None = None) -> date:
    """Today in Berlin, for the earliest return."""
    return berlin_today(now)


def alert_consent_confirmed(profile_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """Whether the returnee holds a running, confirmed consent to job alerts (the profile's own, not an event's)."""
    return exists().where(
        Consent.profile_id == profile_id,
        Consent.purpose == ConsentPurpose.JOB_ALERTS,
        Consent.withdrawn_at.is_(None),
        Consent.registration_id.is_(None),
        Consent.confirmed_at.is_not(None),
    )


SEEKER_COLUMNS = (
    ReturneeProfile.id,
    ReturneeProfile.occupation_group_code,
    ReturneeProfile.skill_level,
    ReturneeProfile.hometown_id,
    type_coerce(ReturneeProfile.working_times, Integer).label("time_bits"),
    ReturneeProfile.earliest_return,
)


def stream_seekers(today: date, chunk: int = 2_000) -> Iterator[tuple[int, Seeker]]:
    """Every returnee who consented to job alerts and named an occupation, as (profile id, own seeker), by id.

    Two statements read narrow rows in chunks of ``chunk``: the profiles, and their wished towns in the same order,
    merged here; only one chunk of rows is held at a time.
    """
    towns = names().towns
    profiles = db.session.execute(
        select(*SEEKER_COLUMNS)
        .where(ReturneeProfile.occupation_group_code.is_not(None), alert_consent_confirmed(ReturneeProfile.id))
        .order_by(ReturneeProfile.id)
        .execution_options(yield_per=chunk)
    )
    wished = db.session.execute(
        select(profile_wished_towns.c.profile_id, profile_wished_towns.c.town_id)
        .where(alert_consent_confirmed(profile_wished_towns.c.profile_id))
        .order_by(profile_wished_towns.c.profile_id, profile_wished_towns.c.town_id)
        .execution_options(yield_per=chunk)
    )
    pending = next(wished, None)
    for row in profiles:
        places = []
        while pending is not None and pending[0] <= row.id:
            if pending[0] == row.id and pending[1] in towns:
                places.append(towns[pending[1]])
            pending = next(wished, None)
        yield (
            row.id,
            Seeker(
                row.occupation_group_code,
                row.skill_level,
                places=tuple(places),
                hometown=towns.get(row.hometown_id) if row.hometown_id else None,
                working_times=row.time_bits or 0,
                earliest=earliest_return(row.earliest_return, today),
            ),
        )


def best_for_each(
    seekers: Iterable[tuple[Key, Seeker]], limit: int, now: datetime | None = None
) -> Iterator[tuple[Key, list[Match]]]:
    """The best matches of many seekers, one seeker at a time: one candidate statement per Berufsbereich and level
    among them (an index range each), sorted into tiers once per Berufshauptgruppe and level, each seeker scored
    against those only."""
    candidates: dict[tuple[str, int | None], list[Offer]] = {}
    tiers: dict[tuple[str, int | None], dict[int, list[Offer]]] = {}
    for key, seeker in seekers:
        level_key = (seeker.group, seeker.level)
        if level_key not in tiers:
            area = (seeker.group[:1], seeker.level)
            if area not in candidates:
                candidates[area] = offers_from(candidate_statement(seeker.group, seeker.level, now))
            tiers[level_key] = tiers_of(seeker, candidates[area])
        yield key, best_in_tiers(seeker, tiers[level_key], limit)
