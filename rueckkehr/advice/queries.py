"""The advice worklist: returnees who asked for a Beratungsgespräch, per town of the event they registered for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
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


def _asking(town_ids: set[int] | None) -> Select[int, int]:
    """(profile id, town id) of every returnee with a confirmed registration or place in line who asked for advice,
    each pair once."""
    town_condition = true() if town_ids is None else Venue.town_id.in_(sorted(town_ids))
    return (
        select(Registration.profile_id.label("profile_id"), Venue.town_id.label("town_id"))
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
    )


def asks_for_advice(profile_id: int, town_id: int, town_ids: set[int] | None) -> bool:
    """Whether this returnee asked for a talk in this town (one of ``town_ids``; None: any), whether or not the
    worklist shows them."""
    pairs = _asking(town_ids).subquery()
    found = select(pairs.c.profile_id).where(pairs.c.profile_id == profile_id, pairs.c.town_id == town_id).exists()
    return bool(db.session.scalar(select(found)))


def _requests(town_ids: set[int] | None) -> Subquery:
    """Every request in these towns: each pair that asked and has no talk yet, and every talk (its registration
    may have been cancelled since); with the talk's id and the request's state."""
    asking = _asking(town_ids).subquery()
    untaken = (
        select(
            asking.c.profile_id,
            asking.c.town_id,
            null().label("talk_id"),
            literal(AdviceStatus.OPEN.value).label("status"),
        )
        .outerjoin(
            AdviceTalk, and_(AdviceTalk.profile_id == asking.c.profile_id, AdviceTalk.town_id == asking.c.town_id)
        )
        .where(AdviceTalk.id.is_(None))
    )
    town_condition = true() if town_ids is None else AdviceTalk.town_id.in_(sorted(town_ids))
    talks = select(AdviceTalk.profile_id, AdviceTalk.town_id, AdviceTalk.id, cast(AdviceTalk.status, String)).where(
        town_condition
    )
    return union_all(untaken, talks).subquery("requests")


@dataclass
class Worklist:
    """The requests the page shows (at most ``WORKLIST_LIMIT``), and how many there are in all."""

    requests: list[Request]
    total: int


_ORDER = {AdviceStatus.OPEN: 0, AdviceStatus.ASSIGNED: 1, AdviceStatus.DONE: 2}


def worklist(town_ids: set[int] | None, status: AdviceStatus | None = None) -> Worklist:
    """The requests in these towns (None: all), of one state or all; open ones first, then by town and name.

    Beyond ``WORKLIST_LIMIT`` the open ones are kept first, then those taken on, then the oldest done ones are
    left out. Five statements, whatever the number.
    """
    requests = _requests(town_ids)
    condition = true() if status is None else requests.c.status == status.value
    rank = case({state.value: order for state, order in _ORDER.items()}, value=requests.c.status)
    total = db.session.scalar(select(func.count()).select_from(requests).where(condition)) or 0
    chosen = db.session.execute(
        select(requests.c.profile_id, requests.c.town_id, requests.c.talk_id)
        .join(Town, Town.id == requests.c.town_id)
        .where(condition)
        .order_by(rank, Town.sort_order, requests.c.talk_id.desc(), requests.c.profile_id)
        .limit(WORKLIST_LIMIT)
    ).all()
    profiles = {
        profile.id: profile
        for profile in db.session.scalars(
            select(ReturneeProfile)
            .where(ReturneeProfile.id.in_({row.profile_id for row in chosen}))
            .options(joinedload(ReturneeProfile.hometown))
        )
    }
    talk_ids = {row.talk_id for row in chosen if row.talk_id is not None}
    talks = {
        talk.id: talk
        for talk in db.session.scalars(
            select(AdviceTalk)
            .where(AdviceTalk.id.in_(talk_ids))
            .options(joinedload(AdviceTalk.contact), joinedload(AdviceTalk.town))
        )
    }
    towns = {town.id: town for town in db.session.scalars(select(Town))}
    listed = [
        Request(profiles[row.profile_id], towns[row.town_id], talks.get(row.talk_id) if row.talk_id else None)
        for row in chosen
        if row.profile_id in profiles
    ]
    listed.sort(key=lambda item: (_ORDER[item.status], item.town.sort_order, alphabetical(item.profile.last_name)))
    return Worklist(listed, total)


def open_per_town(town_ids: set[int] | None) -> dict[str, int]:
    """How many requests are not done yet, per town name, of all of them (one statement)."""
    requests = _requests(town_ids)
    rows = db.session.execute(
        select(Town.name, func.count())
        .join(requests, requests.c.town_id == Town.id)
        .where(requests.c.status != AdviceStatus.DONE.value)
        .group_by(Town.name)
    )
    return dict(sorted((name, count) for name, count in rows))
