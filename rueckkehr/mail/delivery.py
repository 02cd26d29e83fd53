"""Deliver queued mails over SMTP, exactly once in all but the rarest case, with retries and backoff.

Mails go out in batches over one connection: a batch is claimed by one atomic UPDATE (queued → sending, with a
lease) and that claim is committed before the mail server is asked; the mails the server accepted are marked sent
together in a second short unit of work after the batch (and before anything else when delivery stops midway). Only
a worker that dies after the SMTP server accepted mails and before it marked them sent leaves leases that run out;
those mails are then sent a second time. That window is one batch wide, a fraction of a second. A claimed mail
whose lease would run out before its turn (a slow server) is handed back to the queue instead of being sent late.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from ..dates import utcnow
from ..extensions import db
from ..transactions import unit_of_work
from .models import OutboxMessage, OutboxStatus

LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(minutes=1)  # a claimed mail not sent by then goes back to the queue
BATCH = 100  # mails claimed together and marked sent together
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 240, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1
SMTP_TIMEOUT_SECONDS = 30


def is_due(now: datetime) -> ColumnElement[bool]:
    """A mail is due when it is queued and its time has come, or in flight with a lease that ran out."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < now),
    )


def _claim(message_ids: list[int], now: datetime) -> list[tuple[int, str, bytes]]:
    """Mark these mails in flight if they are due and nobody else holds them; return (id, recipient, bytes) of
    each claimed one, by id."""
    with unit_of_work():
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), is_due(now))
            .values(status=OutboxStatus.SENDING, locked_until=now + LEASE)
            .returning(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.raw)
            .execution_options(synchronize_session=False)
        ).all()
    return sorted((row.id, row.recipient, row.raw) for row in claimed)


def as_sent(raw: bytes) -> bytes:
    """The stored message with CRLF line ends, exactly as checked (rows stored before CRLF was kept get it here)."""
    if raw.count(b"\n") == raw.count(b"\r\n"):  # every line ends in CRLF already (no copies of the message)
        return raw
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _smtp() -> smtplib.SMTP:
    """An SMTP connection configured like Flask-Mail, with a timeout."""
    state = current_app.extensions["mail"]
    factory = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
    connection = factory(state.server, state.port, timeout=SMTP_TIMEOUT_SECONDS)
    if state.use_tls:
        connection.starttls()
    if state.username and state.password:
        connection.login(state.username, state.password)
    return connection


def _envelope_sender() -> str:
    """The bare sender address for MAIL FROM."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def due_ids(now: datetime | None = None, limit: int = 200) -> list[int]:
    """Ids of mails that are due now."""
    query = select(OutboxMessage.id).where(is_due(now or utcnow())).order_by(OutboxMessage.id).limit(limit)
    return list(db.session.scalars(query))


def _mark_sent(message_ids: list[int]) -> None:
    """Mark mails the server accepted as sent, in one unit of work; rows erased meanwhile (with their returnee's
    data) are simply gone, and a mail that outlived its recipient's erasure only to be sent is deleted."""
    if not message_ids:
        return
    with unit_of_work():
        db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.forget_when_sent.is_(True))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids))
            .values(status=OutboxStatus.SENT, sent_at=utcnow(), locked_until=None, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )


def _release(message_ids: list[int]) -> None:
    """Hand claimed mails back to the queue unsent (their lease would run out before their turn)."""
    if not message_ids:
        return
    with unit_of_work():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.QUEUED, locked_until=None)
            .execution_options(synchronize_session=False)
        )


def _mark_failed(message_id: int, error: Exception, now: datetime) -> OutboxStatus | None:
    with unit_of_work():
        row = db.session.get(OutboxMessage, message_id, populate_existing=True)
        if row is None:
            return None
        _record_failure(row, error, now)
        status = row.status
        if status == OutboxStatus.FAILED and row.forget_when_sent:
            db.session.delete(row)
        return status


def deliver(ids: Iterable[int]) -> dict[str, int]:
    """Deliver the given mails if they are due, in batches over one connection; return counts of sent and failed
    attempts."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    wanted = list(ids)
    connection: smtplib.SMTP | None = None
    sender = _envelope_sender()
    try:
        for first in range(0, len(wanted), BATCH):
            now = utcnow()
            claimed = _claim(wanted[first : first + BATCH], now)
            sent: list[int] = []
            try:
                for position, (message_id, recipient, raw) in enumerate(claimed):
                    if utcnow() > now + LEASE - LEASE_MARGIN:
                        _release([message_id for message_id, _recipient, _raw in claimed[position:]])
                        break
                    try:
                        if connection is None:
                            connection = _smtp()
                        connection.sendmail(sender, [recipient], as_sent(raw))
                    except Exception as error:
                        if not isinstance(error, smtplib.SMTPRecipientsRefused):  # after a refused address it goes on
                            _close(connection)
                            connection = None
                        status = _mark_failed(message_id, error, utcnow())
                        if status is not None:
                            counts["failed" if status == OutboxStatus.FAILED else "retry"] += 1
                    else:
                        sent.append(message_id)
            finally:
                _mark_sent(sent)
            counts["sent"] += len(sent)
    finally:
        _close(connection)
    return counts


def _close(connection: smtplib.SMTP | None) -> None:
    """Close an SMTP connection, ignoring a server that is already gone."""
    if connection is not None:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def refused_for_good(error: Exception) -> bool:
    """Whether the mail server refused the address itself for good (a 5xx answer to RCPT TO, e.g. "550 no such
    user"): trying again in an hour would only be refused again, so the mail is failed at once and listed."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused) or not error.recipients:
        return False
    return all(500 <= code < 600 for code, _message in error.recipients.values())


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> None:
    """Schedule the next attempt with backoff, or give up after the last one (at once for a refused address)."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.locked_until = None
    if row.attempts >= MAX_ATTEMPTS or refused_for_good(error):
        row.status = OutboxStatus.FAILED
        recipient = "an erased returnee" if row.forget_when_sent else row.recipient
        current_app.logger.error("Mail %s to %s failed for good: %s", row.id, recipient, row.last_error)
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = now + BACKOFF[row.attempts - 1]
        current_app.logger.warning("Mail %s will be retried: %s", row.id, row.last_error)


def deliver_due(rounds: int = 50) -> dict[str, int]:
    """Deliver every mail that is due now, 200 at a time, until none is due (at most ``rounds`` times 200)."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _round in range(rounds):
        ids = due_ids()
        if not ids:
            break
        for name, count in deliver(ids).items():
            counts[name] += count
    return counts


def status_counts() -> dict[str, int]:
    """How many mails are in each state."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status.value: count for status, count in rows})
    return counts
