"""Deliver queued mails over SMTP, exactly once in all but the rarest case, with retries and backoff.

A mail is claimed by one atomic UPDATE (queued → sending, with a lease) before it is sent and marked sent after.
Only a worker that dies after the SMTP server accepted a mail and before it marked the row sent leaves a lease that
runs out; the mail is then sent a second time. That window is a few milliseconds wide.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from ..database import begin_write_transaction, utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus

LEASE = timedelta(minutes=5)
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 240, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1
SMTP_TIMEOUT_SECONDS = 30


def _claim(message_id: int, now: datetime) -> bool:
    """Mark one mail in flight if it is due and nobody else holds it."""
    begin_write_transaction()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            or_(
                and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < now),
            ),
        )
        .values(status=OutboxStatus.SENDING, locked_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


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
    """Ids of mails that are due now (queued and due, or in flight with a lease run out)."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                or_(
                    and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
                    and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.locked_until < now),
                )
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def deliver(ids: Iterable[int]) -> dict[str, int]:
    """Deliver the given mails if they are due; return counts of sent and failed attempts."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    connection: smtplib.SMTP | None = None
    try:
        for message_id in ids:
            now = utcnow()
            if not _claim(message_id, now):
                continue
            row = db.session.get(OutboxMessage, message_id, populate_existing=True)
            if row is None:  # erased together with its returnee's data
                db.session.commit()
                continue
            recipient, raw = row.recipient, row.raw
            db.session.commit()
            try:
                if connection is None:
                    connection = _smtp()
                parsed = message_from_bytes(raw, policy=policy.SMTP)
                connection.send_message(parsed, from_addr=_envelope_sender(), to_addrs=[recipient])
            except Exception as error:
                connection = _close(connection)
                begin_write_transaction()
                row = db.session.get(OutboxMessage, message_id, populate_existing=True)
                if row is not None:
                    _record_failure(row, error, now)
                    counts["failed" if row.status == OutboxStatus.FAILED else "retry"] += 1
            else:
                begin_write_transaction()
                row = db.session.get(OutboxMessage, message_id, populate_existing=True)
                if row is not None:
                    row.status = OutboxStatus.SENT
                    row.sent_at = utcnow()
                    row.locked_until = None
                    row.attempts += 1
                counts["sent"] += 1
            db.session.commit()
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


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> None:
    """Schedule the next attempt with backoff, or give up after the last one."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.locked_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        current_app.logger.error("Mail %s to %s failed for good: %s", row.id, row.recipient, row.last_error)
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = now + BACKOFF[row.attempts - 1]
        current_app.logger.warning("Mail %s will be retried: %s", row.id, row.last_error)


def deliver_due() -> dict[str, int]:
    """Deliver every mail that is due now."""
    return deliver(due_ids())


def status_counts() -> dict[str, int]:
    """How many mails are in each state."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status.value: count for status, count in rows})
    return counts
