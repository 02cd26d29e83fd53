"""News of new Rückkehrertage for everyone who asked for it: one announcement per publishing, sent in batches.

Publishing stores an announcement of the events it published (``announce``); ``send_news_batches``, a periodic job
of ``flask jobs run``, queues the next batch of invitations of every unfinished announcement, in subscriber order.
The batch's mails and the announcement's place in the list are committed together, so a run that fails queues
nothing and the next one takes up where the last committed one stopped: nobody is invited twice, and nobody is
skipped. After the commit the outbox delivers the batch over one SMTP connection. Publishing only ever publishes
drafts, so publishing again announces nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, Select, select
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.operations import record
from ..database import UTCDateTime
from ..dates import utcnow
from ..events.models import Event, EventStatus
from ..extensions import Model, db
from ..transactions import begin_writing
from . import notifications
from .models import Consent, ConsentPurpose, ReturneeProfile


class NewsAnnouncement(Model):
    """The invitation to events published at once, and how far its sending got."""

    __tablename__ = "news_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_ids: Mapped[list[int]] = mapped_column(JSON, doc="The events published together, announced in one mail")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_profile_id: Mapped[int] = mapped_column(default=0, doc="Batches go on after this subscriber")
    sent: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def subscribers_query() -> Select[ReturneeProfile]:
    """Everyone with a running, confirmed consent of their own to hear about future Rückkehrertage, by id."""
    consenting = select(Consent.profile_id).where(
        Consent.purpose == ConsentPurpose.NEWS,
        Consent.withdrawn_at.is_(None),
        Consent.confirmed_at.is_not(None),
        Consent.registration_id.is_(None),
    )
    return (
        select(ReturneeProfile)
        .where(ReturneeProfile.id.in_(consenting), ReturneeProfile.email.is_not(None))
        .order_by(ReturneeProfile.id)
    )


def news_subscribers() -> list[ReturneeProfile]:
    """Every subscriber to news of future Rückkehrertage."""
    return list(db.session.scalars(subscribers_query()))


def announce(events: list[Event]) -> NewsAnnouncement:
    """Store the announcement of events just published; the job sends it."""
    announcement = NewsAnnouncement(event_ids=sorted(event.id for event in events))
    db.session.add(announcement)
    db.session.flush()
    record("news_announcement.created", announcement, changes={"event_ids": announcement.event_ids})
    return announcement


def _locked_unfinished() -> list[NewsAnnouncement]:
    """The unfinished announcements, held until the unit of work ends (two runs never send the same batch)."""
    begin_writing()
    query = (
        select(NewsAnnouncement)
        .where(NewsAnnouncement.finished_at.is_(None))
        .order_by(NewsAnnouncement.id)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _send_batch(announcement: NewsAnnouncement, size: int) -> int:
    """Queue the next ``size`` invitations of an announcement; mark it finished after the last one."""
    events = list(
        db.session.scalars(
            select(Event)
            .where(Event.id.in_(announcement.event_ids), Event.status == EventStatus.PUBLISHED)
            .order_by(Event.starts_at, Event.id)
        )
    )
    batch: list[ReturneeProfile] = []
    if events:  # every one of them cancelled meanwhile: nothing to announce
        batch = list(
            db.session.scalars(subscribers_query().where(ReturneeProfile.id > announcement.last_profile_id).limit(size))
        )
    for profile in batch:
        notifications.news_of_events(profile, events)
        announcement.last_profile_id = profile.id
    announcement.sent += len(batch)
    if len(batch) < size:
        announcement.finished_at = utcnow()
        record("news_announcement.finished", announcement, changes={"sent": announcement.sent})
    return len(batch)


def send_news_batches() -> int:
    """The periodic job: the next batch of every unfinished announcement; return how many mails were queued."""
    size = current_app.config["NEWS_BATCH_SIZE"]
    return sum(_send_batch(announcement, size) for announcement in _locked_unfinished())
