"""Mails organizers write to the attendees of an event: stored once, then sent through the outbox in batches.

The organizer's text goes out in German, and in English to those who chose English when an English text was given.
Every such mail carries the recipient's self-service link. ``send_mailing_batches`` (a periodic job) queues the
next batch of every unfinished mailing, so a request never renders thousands of mails.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, ForeignKey, String, Text, and_, func, or_, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ..actors import current_actor
from ..audit.operations import record
from ..database import UTCDateTime
from ..dates import utcnow
from ..events.models import Event
from ..extensions import Model, db
from ..returnees.links import manage_url
from ..returnees.models import ReturneeProfile
from ..returnees.notifications import send
from .models import Registration, RegistrationStatus


def _waiting_confirmed() -> ColumnElement[bool]:
    return and_(Registration.status == RegistrationStatus.WAITING, Registration.confirmed_at.is_not(None))


# Who a mailing reaches; only confirmed addresses are ever written to. Check-in adds "checked in" here.
AUDIENCES: dict[str, Any] = {
    "all": lambda: or_(Registration.status == RegistrationStatus.CONFIRMED, _waiting_confirmed()),
    "confirmed": lambda: Registration.status == RegistrationStatus.CONFIRMED,
    "waiting": _waiting_confirmed,
}


class EventMailing(Model):
    """One message to the attendees of an event, and how far its sending got."""

    __tablename__ = "event_mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    subject_de: Mapped[str] = mapped_column(String(200))
    body_de: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    total: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    last_registration_id: Mapped[int] = mapped_column(default=0, doc="Batches go on after this registration")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()

    def text_for(self, language: str) -> tuple[str, str, str]:
        """The language, subject and body a recipient of this language gets."""
        if language == "en" and self.body_en.strip():
            return "en", self.subject_en or self.subject_de, self.body_en
        return "de", self.subject_de, self.body_de


def audience_query(event_id: int, audience: str) -> Any:
    """The registrations a mailing to this audience reaches, oldest first."""
    return (
        select(Registration)
        .where(
            Registration.event_id == event_id,
            AUDIENCES[audience](),
            Registration.profile.has(ReturneeProfile.email.is_not(None)),
        )
        .order_by(Registration.id)
    )


def audience_size(event_id: int, audience: str) -> int:
    """How many registrations a mailing to this audience would reach (those with an address)."""
    query = audience_query(event_id, audience).order_by(None).with_only_columns(func.count(Registration.id))
    return int(db.session.scalar(query) or 0)


def paragraphs(text: str) -> list[str]:
    """The organizer's text as paragraphs (blank lines separate them)."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def start_mailing(
    event: Event, audience: str, subject_de: str, body_de: str, subject_en: str = "", body_en: str = ""
) -> EventMailing:
    """Store a message to the attendees; the batches go out with the next runs of ``flask jobs run``."""
    mailing = EventMailing(
        event=event,
        audience=audience,
        subject_de=subject_de,
        body_de=body_de,
        subject_en=subject_en,
        body_en=body_en,
        created_by_user_id=current_actor().user_id,
        total=audience_size(event.id, audience),
    )
    db.session.add(mailing)
    db.session.flush()
    record(
        "event_mailing.created",
        mailing,
        town_id=event.venue.town_id,
        changes={"event_id": event.id, "audience": audience, "total": mailing.total, "english": bool(body_en)},
    )
    return mailing


def message_context(event: Event, subject: str, body: str, manage: str | None) -> dict[str, Any]:
    """What the template of an attendee mail needs."""
    return {"event": event, "subject": subject, "paragraphs": paragraphs(body), "manage_url": manage}


def _send_batch(mailing: EventMailing, size: int) -> int:
    """Queue the next ``size`` mails of a mailing; mark it finished after the last one."""
    batch = list(
        db.session.scalars(
            audience_query(mailing.event_id, mailing.audience)
            .where(Registration.id > mailing.last_registration_id)
            .options(joinedload(Registration.profile))
            .limit(size)
        )
    )
    event = mailing.event
    for registration in batch:
        profile = registration.profile
        language, subject, body = mailing.text_for(profile.language)
        send(
            "registration.message",
            profile,
            "event_message",
            language,
            town=event.venue.town,
            **message_context(event, subject, body, manage_url(profile)),
        )
        mailing.last_registration_id = registration.id
    mailing.sent += len(batch)
    if len(batch) < size:
        mailing.finished_at = utcnow()
        record("event_mailing.finished", mailing, town_id=event.venue.town_id, changes={"sent": mailing.sent})
    return len(batch)


def send_mailing_batches() -> int:
    """The periodic job: the next batch of every unfinished mailing; return how many mails were queued."""
    size = current_app.config["MAILING_BATCH_SIZE"]
    unfinished = db.session.scalars(
        select(EventMailing).where(EventMailing.finished_at.is_(None)).order_by(EventMailing.id)
    )
    return sum(_send_batch(mailing, size) for mailing in list(unfinished))


def mailings_of(event_id: int) -> list[EventMailing]:
    """The mailings of an event, newest first."""
    return list(
        db.session.scalars(
            select(EventMailing).where(EventMailing.event_id == event_id).order_by(EventMailing.id.desc())
        )
    )
