"""The advice worklist: returnees who asked for a Beratungsgespräch, per town of the event they registered for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, cast, func, select, true
from sqlalchemy.orm import joinedload

from ..events.models import Event
from ..extensions import db
from ..i18n import alphabetical
from ..places.models import Town, Venue
from ..registrations.models import Registration, RegistrationStatus
from ..returnees.models import ReturneeProfile
from .models import AdviceStatus, AdviceTalk

WORKLIST_LIMIT = 500


@dataclass
class Request:
    """One returnee's wish for a talk in one town, and the talk if someone took it on."""

    profile: ReturneeProfile
    town: Town
    talk: AdviceTalk | None

    @property
    def status(self) -> AdviceStatus:
        """Open until someone takes it on."""
        return self.talk.status if self.talk is not None else AdviceStatus.OPEN


def wants_advice() -> ColumnElement[bool]:
    """The profiles that ticked "Beratungsgespräch"."""
    return func.coalesce(cast(ReturneeProfile.interests, String), "").like('%"advice"%')


def candidates(town_ids: set[int] | None) -> list[tuple[int, int]]:
    """(profile id, town id) of every returnee with a confirmed registration or place in line who asked for advice."""
    town_condition = true() if town_ids is None else Venue.town_id.in_(sorted(town_ids))
    rows = db.session.execute(
        select(Registration.profile_id, Venue.town_id)
        .join(Registration.event)
        .join(Event.venue)
        .join(Registration.profile)
        .where(
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)),
            Registration.confirmed_at.is_not(None),
            wants_advice(),
            town_condition,
        )
        .distinct()
        .limit(WORKLIST_LIMIT)
    )
    return [(profile_id, town_id) for profile_id, town_id in rows]


def worklist(town_ids: set[int] | None) -> list[Request]:
    """Every request in these towns (None: all), open ones first, in three statements."""
    pairs = set(candidates(town_ids))
    town_condition = true() if town_ids is None else AdviceTalk.town_id.in_(sorted(town_ids))
    talks = {
        (talk.profile_id, talk.town_id): talk
        for talk in db.session.scalars(
            select(AdviceTalk).where(town_condition).options(joinedload(AdviceTalk.contact)).limit(WORKLIST_LIMIT)
        )
    }
    pairs |= set(talks)
    profile_ids = {profile_id for profile_id, _town in pairs}
    profiles = {
        profile.id: profile
        for profile in db.session.scalars(
            select(ReturneeProfile)
            .where(ReturneeProfile.id.in_(profile_ids))
            .options(joinedload(ReturneeProfile.hometown))
        )
    }
    towns = {town.id: town for town in db.session.scalars(select(Town))}
    requests = [
        Request(profiles[profile_id], towns[town_id], talks.get((profile_id, town_id)))
        for profile_id, town_id in pairs
        if profile_id in profiles
    ]
    order = {AdviceStatus.OPEN: 0, AdviceStatus.ASSIGNED: 1, AdviceStatus.DONE: 2}
    return sorted(
        requests, key=lambda item: (order[item.status], item.town.sort_order, alphabetical(item.profile.last_name))
    )


def open_per_town(town_ids: set[int] | None) -> dict[str, int]:
    """How many requests are not done yet, per town name."""
    counted = Counter(request.town.name for request in worklist(town_ids) if request.status != AdviceStatus.DONE)
    return dict(sorted(counted.items()))
