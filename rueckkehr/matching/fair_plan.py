"""The personal fair plan: at each coming event the returnee is registered for, the exhibitors whose vacancies fit,
with the reasons, in the order of the match; and the page of all current matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..dates import utcnow
from ..employers.models import Employer, EmployerStatus, StandBooking, StandStatus, Vacancy
from ..employers.queries import WITH_PLACE, on_board
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registrations.models import Registration, RegistrationStatus
from ..returnees.models import ReturneeProfile
from .candidates import OFFER_COLUMNS, best, matches_for, offers_from, seekers_of, today
from .operations import preferences_of
from .rounds import titles_of
from .scoring import Match

PAGE_MATCHES = 50


@dataclass
class Exhibitor:
    """An employer at the event with the vacancies that fit, best first."""

    employer: Employer
    matches: list[Match]


@dataclass
class FairPlan:
    """One event's plan: for the returnee and, if asked for, for their partner."""

    event: Event
    lists: dict[str, list[Exhibitor]]
    titles: dict[int, tuple[str, str]]


def _coming_events(profile: ReturneeProfile, now: datetime) -> list[Event]:
    """Coming published events the returnee holds a seat at."""
    return list(
        db.session.scalars(
            select(Event)
            .join(Registration, Registration.event_id == Event.id)
            .where(
                Registration.profile_id == profile.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at >= now,
            )
            .options(WITH_PLACE)
            .order_by(Event.starts_at)
        )
    )


def fair_plans(profile: ReturneeProfile, now: datetime | None = None) -> list[FairPlan]:
    """A plan for each coming event the returnee is registered for (a fixed number of statements)."""
    now = now or utcnow()
    events = _coming_events(profile, now)
    seekers = seekers_of(profile, today(now), partner=preferences_of(profile).partner_list)
    if not seekers:  # no occupation given: nothing can match (the same statements whatever the rows otherwise)
        return []
    stands = db.session.execute(
        select(StandBooking.event_id, Employer)
        .join(Employer, Employer.id == StandBooking.employer_id)
        .where(
            StandBooking.event_id.in_([event.id for event in events]),
            StandBooking.status == StandStatus.CONFIRMED,
            Employer.status == EmployerStatus.APPROVED,
        )
    ).all()
    employers = {employer.id: employer for _event_id, employer in stands}
    offers = offers_from(
        select(*OFFER_COLUMNS)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(*on_board(now), Vacancy.employer_id.in_(list(employers)))
    )
    plans = []
    for event in events:
        at_event = {employer.id for event_id, employer in stands if event_id == event.id}
        lists: dict[str, list[Exhibitor]] = {}
        for kind, seeker in seekers:
            found = best(seeker, [offer for offer in offers if offer.employer_id in at_event])
            by_employer: dict[int, list[Match]] = {}
            for match in found:  # best first, so each employer's first match is its best
                by_employer.setdefault(match.offer.employer_id, []).append(match)
            if by_employer:
                lists[kind] = [
                    Exhibitor(employers[employer_id], matches) for employer_id, matches in by_employer.items()
                ]
        plans.append(FairPlan(event, lists, {}))
    ids = [match.offer.id for plan in plans for shown in plan.lists.values() for ex in shown for match in ex.matches]
    titles = titles_of(ids)  # one statement for every plan
    for plan in plans:
        plan.titles = titles
    return plans


@dataclass
class MatchList:
    """All current matches of one seeker (own or partner), with titles."""

    kind: str
    matches: list[Match]
    titles: dict[int, tuple[str, str]]


def matches_page(profile: ReturneeProfile, now: datetime | None = None) -> list[MatchList]:
    """The returnee's current matches, own first, then the partner's."""
    lists = []
    for kind, seeker in seekers_of(profile, today(now), partner=preferences_of(profile).partner_list):
        found = matches_for(seeker, PAGE_MATCHES, now)
        lists.append(MatchList(kind, found, titles_of([match.offer.id for match in found])))
    return lists
