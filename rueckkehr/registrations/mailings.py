"""Mails organizers write to the attendees of an event: stored once, then sent through the outbox in batches.

The organizer's text goes out in German, and in English to those who chose English when an English text was given.
Every such mail carries the recipient's self-service link. ``send_mailing_batches`` (a periodic job) queues the
next batch of every unfinished mailing, so a request never renders thousands of mails.

A mailing goes out as the organizer previewed it, and once: the preview issues a signed token of the content's
digest (``preview_token``), the send checks it (``previewed``), and ``start_mailing`` refuses, under the event's
lock, a mailing identical to one queued since that preview (a double click, a second tab, two sends at once). The
same content once more later needs the organizer's explicit yes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
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
from ..events.operations import lock_event
from ..extensions import Model, db
from ..returnees.links import InvalidLinkError, link_data, manage_url, timed_signer
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


@dataclass(frozen=True)
class MailingContent:
    """What a mailing says and to whom: the audience, and the German and (optional) English subject and text."""

    audience: str
    subject_de: str
    body_de: str
    subject_en: str = ""
    body_en: str = ""

    def digest(self) -> str:
        """A fingerprint of exactly this content (any change of a character or of the audience changes it)."""
        fields = [self.audience, self.subject_de, self.body_de, self.subject_en, self.body_en]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


class IdenticalMailingError(Exception):
    """A mailing of the same content to the same audience of the event exists already (``mailing``)."""

    def __init__(self, mailing: EventMailing) -> None:
        super().__init__(mailing.id)
        self.mailing = mailing


class AlreadyQueuedError(IdenticalMailingError):
    """The identical mailing was queued after the preview the send was made from: it is not sent again."""


class RepeatNotConfirmedError(IdenticalMailingError):
    """The identical mailing went out before the preview, and the organizer did not confirm sending it again."""


class NobodyToWriteToError(Exception):
    """The audience reaches nobody: a mailing to it would send nothing."""


def identical_mailing(event_id: int, content: MailingContent) -> EventMailing | None:
    """The newest mailing of this event with exactly this content and audience, if any."""
    return db.session.scalars(
        select(EventMailing)
        .where(
            EventMailing.event_id == event_id,
            EventMailing.audience == content.audience,
            EventMailing.subject_de == content.subject_de,
            EventMailing.body_de == content.body_de,
            EventMailing.subject_en == content.subject_en,
            EventMailing.body_en == content.body_en,
        )
        .order_by(EventMailing.id.desc())
        .limit(1)
    ).first()


PREVIEW_PURPOSE = "event-mailing-preview"
PREVIEW_LIFETIME = 24 * 3600  # seconds: a preview left open overnight still sends; older ones are shown again


@dataclass(frozen=True)
class Preview:
    """What a preview showed: the content's digest, and the identical mailing that existed then (or None)."""

    digest: str
    earlier_id: int | None


def preview_token(event_id: int, user_id: int, content: MailingContent, earlier: EventMailing | None) -> str:
    """The token a preview puts into the form: a send is made from the preview of exactly this content."""
    data = {"event": event_id, "user": user_id, "digest": content.digest(), "earlier": earlier and earlier.id}
    return str(timed_signer(PREVIEW_PURPOSE).dumps(data))


def previewed(token: str, event_id: int, user_id: int) -> Preview | None:
    """What the preview showed that issued ``token``; None without a valid one of this event and organizer."""
    try:
        data = link_data(PREVIEW_PURPOSE, token, max_age=PREVIEW_LIFETIME) if token else {}
    except InvalidLinkError:
        return None
    if data.get("event") != event_id or data.get("user") != user_id or not isinstance(data.get("digest"), str):
        return None
    earlier = data.get("earlier")
    return Preview(data["digest"], earlier if isinstance(earlier, int) else None)


def start_mailing(event_id: int, content: MailingContent, seen: Preview, again: bool = False) -> EventMailing:
    """Store a message to the attendees; the batches go out with the next runs of ``flask jobs run``.

    ``seen`` is the preview the send was made from. Under the event's lock (two sends at once queue one): an
    identical mailing queued since that preview raises ``AlreadyQueuedError``; one the preview showed as sent before
    raises ``RepeatNotConfirmedError`` unless the organizer confirmed sending it ``again``; an audience that reaches
    nobody raises ``NobodyToWriteToError``.
    """
    event = lock_event(event_id)
    earlier = identical_mailing(event.id, content)
    if earlier is not None and earlier.id != seen.earlier_id:
        raise AlreadyQueuedError(earlier)
    if earlier is not None and not again:
        raise RepeatNotConfirmedError(earlier)
    total = audience_size(event.id, content.audience)
    if total == 0:  # everyone of the audience left since the preview: nothing would go out
        raise NobodyToWriteToError
    mailing = EventMailing(
        event=event,
        audience=content.audience,
        subject_de=content.subject_de,
        body_de=content.body_de,
        subject_en=content.subject_en,
        body_en=content.body_en,
        created_by_user_id=current_actor().user_id,
        total=total,
    )
    db.session.add(mailing)
    db.session.flush()
    changes = {"event_id": event.id, "audience": content.audience, "total": mailing.total}
    changes |= {"english": bool(content.body_en), "repeat_of": earlier and earlier.id}
    record("event_mailing.created", mailing, town_id=event.venue.town_id, changes=changes)
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
