"""What the organizers' page of one person shows of their past: their consents and the mails sent to them."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import or_, select

from ..events.models import Event
from ..extensions import db
from ..mail.models import OutboxMessage
from ..places.models import Venue
from ..returnees.models import Consent
from .models import Registration

MAILS_SHOWN = 100


def of_person(profile_id: int, towns: Collection[int] | None) -> tuple[list[Consent], list[Any]]:
    """A person's consents (oldest first) and the subject, time and state of the mails sent to them (newest first).

    :param towns: the reader's towns (None: an admin, every town). An organizer reads of someone registered in other
        towns too only what belongs to their own: the consents to take part in their towns' days (and the region's
        optional ones, news and job alerts, which belong to no town) and the mails of their towns.
    """
    consents = select(Consent).where(Consent.profile_id == profile_id).order_by(Consent.given_at, Consent.id)
    mails = (
        select(OutboxMessage.subject, OutboxMessage.created_at, OutboxMessage.status, OutboxMessage.sent_at)
        .where(OutboxMessage.profile_id == profile_id)
        .order_by(OutboxMessage.id.desc())
        .limit(MAILS_SHOWN)
    )
    if towns is not None:
        of_their_towns = (
            select(Registration.id)
            .join(Event, Event.id == Registration.event_id)
            .join(Venue, Venue.id == Event.venue_id)
            .where(Registration.profile_id == profile_id, Venue.town_id.in_(towns))
        )
        consents = consents.where(or_(Consent.registration_id.is_(None), Consent.registration_id.in_(of_their_towns)))
        mails = mails.where(OutboxMessage.town_id.in_(towns))
    return list(db.session.scalars(consents)), list(db.session.execute(mails))
