"""A round of mails (digests, say) queued together: bodies made of frames, outbox rows inserted in chunks."""

from __future__ import annotations

from typing import cast

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

    def queue(
        self,
        *,
        kind: str,
        recipient: str,
        template: str,
        language: str,
        context: dict[str, object],
        recipient_name: str | None = None,
        profile_id: int | None = None,
        town: Town | None = None,
        list_unsubscribe: str | None = None,
        forget_when_sent: bool = False,
        answer: bool = False,
    ) -> None:
        """Queue a mail of this round as ``queue_mail`` does (without attachments or further alternatives);
        ``context`` marks as ``Varying`` every value that differs from mail to mail of the round (the recipient's
        name is by itself)."""
        self._rows.append(
            outbox_values(
                contacts=self._contacts,
                kind=kind,
                recipient=recipient,
                template=template,
                language=language,
                context=context,
                recipient_name=recipient_name,
                profile_id=profile_id,
                town=town,
                list_unsubscribe=list_unsubscribe,
                forget_when_sent=forget_when_sent,
                answer=answer,
                frames=self.frames,
            )
        )
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
