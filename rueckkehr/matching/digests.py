"""What one mail of matches holds: own list first, then the partner's; never a vacancy the person got before or
twice in one mail; at most three per employer and ten in all, the rest behind a link; nothing when nothing is new."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, select

from ..addresses import normalise_email
from ..database import ignoring_conflicts
from ..dates import utcnow
from ..extensions import db
from ..returnees.models import ReturneeProfile
from ..returnees.operations import email_hash
from .models import AlertSubscription, SentVacancy
from .scoring import Match

MAX_PER_MAIL = 10
MAX_PER_EMPLOYER = 3


@dataclass
class Selection:
    """The lists a mail shows, by kind (``own``, ``partner``), and how many further matches wait behind the link."""

    lists: dict[str, list[Match]] = field(default_factory=dict)
    more: int = 0

    @property
    def vacancy_ids(self) -> list[int]:
        """Every vacancy the mail shows."""
        return [match.offer.id for matches in self.lists.values() for match in matches]

    def __bool__(self) -> bool:
        return any(self.lists.values())


def select_for_mail(
    lists: list[tuple[str, list[Match]]],
    already_sent: set[int],
    *,
    first_employers: frozenset[int] = frozenset(),
) -> Selection:
    """Choose what one mail shows from ranked lists (own first).

    :param already_sent: vacancies this person got before; they never come again.
    :param first_employers: employers whose vacancies go first in each list (those with a stand at the person's
        event), in the lists' order otherwise.
    """
    chosen = Selection()
    seen = set(already_sent)
    per_employer: Counter[int] = Counter()
    shown = 0
    for kind, matches in lists:
        ordered = sorted(matches, key=lambda match: match.offer.employer_id not in first_employers)
        for match in ordered:
            if match.offer.id in seen:
                continue
            seen.add(match.offer.id)
            if shown >= MAX_PER_MAIL or per_employer[match.offer.employer_id] >= MAX_PER_EMPLOYER:
                chosen.more += 1
                continue
            chosen.lists.setdefault(kind, []).append(match)
            per_employer[match.offer.employer_id] += 1
            shown += 1
    return chosen


def sent_before(email: str, vacancy_ids: list[int]) -> set[int]:
    """Which of these vacancies were mailed to this address before."""
    if not vacancy_ids:
        return set()
    query = select(SentVacancy.vacancy_id).where(
        SentVacancy.recipient_hash == email_hash(email), SentVacancy.vacancy_id.in_(vacancy_ids)
    )
    return set(db.session.scalars(query))


def sent_rows(recipient_hash: str, vacancy_ids: list[int]) -> list[dict[str, Any]]:
    """The rows that remember these vacancies went to the address with this hash."""
    now = utcnow()
    return [{"recipient_hash": recipient_hash, "vacancy_id": vacancy_id, "sent_at": now} for vacancy_id in vacancy_ids]


SENT_TABLE = cast(Table, SentVacancy.__table__)


def record_sent_rows(rows: list[dict[str, Any]]) -> None:
    """Insert rows of ``sent_rows`` (many addresses at once: one Core statement run with every row, which the driver
    sends in batches), skipping any that are there already."""
    if rows:
        db.session.execute(ignoring_conflicts(SENT_TABLE, ["recipient_hash", "vacancy_id"]), rows)


def record_sent(email: str, vacancy_ids: list[int]) -> None:
    """Remember that these vacancies went to this address."""
    record_sent_rows(sent_rows(email_hash(email), vacancy_ids))


def forget_sent(email: str, *, leaving: ReturneeProfile | AlertSubscription) -> None:
    """Forget what went to an address when the last who gets alerts there leaves (a returnee's data is erased, or a
    subscription ends): a returnee and a subscription at one address share what was sent, so while the other stays
    it keeps what it got and never gets it again."""
    address = normalise_email(email)
    profiles = select(ReturneeProfile.id).where(ReturneeProfile.email == address)
    subscriptions = select(AlertSubscription.id).where(AlertSubscription.email == address)
    if isinstance(leaving, ReturneeProfile):
        profiles = profiles.where(ReturneeProfile.id != leaving.id)
    else:
        subscriptions = subscriptions.where(AlertSubscription.id != leaving.id)
    if db.session.scalar(select(profiles.exists())) or db.session.scalar(select(subscriptions.exists())):
        return
    db.session.execute(delete(SentVacancy).where(SentVacancy.recipient_hash == email_hash(address)))
