"""A round of mails (digests, say) queued together: bodies made of frames, outbox rows inserted in chunks."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert

from ..extensions import db
from ..places.models import Town
from ..transactions import after_commit
from .dispatch import hand_over_committed
from .frames import Frames
from .models import OutboxMessage
from .outbox import outbox_values


class MailRound:
    """The mails of one round (of digests, say), queued together: their bodies made of frames (``frames``), their
    outbox rows inserted some hundred at a time, by one statement each, instead of one ORM object each.

    Use it as a context manager around the round, inside its unit of work: leaving it inserts the rows that are
    left (an exception inserts nothing more, and the unit of work rolls back the rest). The mails go out after the
    commit, as every mail does.
    """

    CHUNK = 500  # rows held before they are inserted (each holds its whole message)

    def __init__(self) -> None:
        self.frames = Frames()
        self._rows: list[dict[str, object]] = []
        self._contacts: dict[int | None, Town | None] = {}  # the contact of each town, looked up once

    def __enter__(self) -> MailRound:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_details: object) -> None:
        if kind is None:
            self.flush()

    def queue(self, **mail: Any) -> None:
        """Queue a mail of this round: ``queue_mail``'s arguments, without attachments or further alternatives;
        ``context`` marks as ``Varying`` every value that differs from mail to mail of the round (the recipient's
        name is by itself)."""
        if mail.get("attachments") or mail.get("alternatives"):
            raise ValueError("a mail of a round carries no attachments or further alternatives")
        self._rows.append(outbox_values(contacts=self._contacts, frames=self.frames, **mail))
        if len(self._rows) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        """Insert the rows queued so far into the outbox (in the current transaction)."""
        if not self._rows:
            return
        table = cast(Table, OutboxMessage.__table__)
        ids = db.session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), self._rows).all()
        self._rows = []
        after_commit(_hand_over_ids, ids)


def _hand_over_ids(chunks: list[list[int]]) -> None:
    """After the commit: hand the rows a ``MailRound`` inserted to delivery by their ids."""
    hand_over_committed([message_id for ids in chunks for message_id in ids])
