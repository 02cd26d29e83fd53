"""How returnees answers the events package: publishing new Rückkehrertage invites everyone who asked for news."""

from __future__ import annotations

from sqlalchemy import select

from ..events import signals as event_signals
from ..events.models import Event
from ..extensions import db
from . import notifications
from .models import Consent, ConsentPurpose, ReturneeProfile


def news_subscribers() -> list[ReturneeProfile]:
    """Everyone with a running, confirmed consent of their own to hear about future Rückkehrertage."""
    consenting = select(Consent.profile_id).where(
        Consent.purpose == ConsentPurpose.NEWS,
        Consent.withdrawn_at.is_(None),
        Consent.confirmed_at.is_not(None),
        Consent.registration_id.is_(None),
    )
    return list(
        db.session.scalars(
            select(ReturneeProfile)
            .where(ReturneeProfile.id.in_(consenting), ReturneeProfile.email.is_not(None))
            .order_by(ReturneeProfile.id)
        )
    )


@event_signals.events_published.connect
def invite_news_subscribers(events: list[Event]) -> None:
    """One invitation per subscriber for everything published at once, with a one-click unsubscribe."""
    coming = sorted(events, key=lambda event: event.starts_at)
    for profile in news_subscribers():
        notifications.news_of_events(profile, coming)
