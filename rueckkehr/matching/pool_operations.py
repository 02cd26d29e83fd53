"""Every change of state of the pool: cards come and go with the consent, employers ask for contact, returnees
answer, and employers hear of new cards once a week. Every request and answer is in the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.operations import record
from ..dates import utcnow
from ..employers.models import Employer, EmployerStatus, Vacancy
from ..employers.queries import on_board
from ..extensions import db
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile
from ..urls import external_url
from . import notifications
from .models import ContactRequest, ContactStatus, PoolCard, PoolDigestOptOut
from .pool import Entry, Visibility, entries
from .scoring import LEVEL_NAMES, Seeker, tier_of

SHAREABLE = ("name", "email", "phone")


class ContactError(Exception):
    """A contact request that cannot be made or answered (asked already, answered already)."""


def _consenting() -> Select[int]:
    return select(Consent.profile_id).where(
        Consent.purpose == ConsentPurpose.EMPLOYER_POOL,
        Consent.withdrawn_at.is_(None),
        Consent.registration_id.is_(None),
        Consent.confirmed_at.is_not(None),
    )


def sync_pool_cards(now: datetime | None = None) -> dict[str, int]:
    """Give every returnee who consents to the pool a card, and take the cards of those who withdrew (their next
    consent gets a new, unlinkable card); the periodic job."""
    now = now or utcnow()
    consenting: set[int] = set(db.session.scalars(_consenting()))
    carded = {
        profile_id: card_id for profile_id, card_id in db.session.execute(select(PoolCard.profile_id, PoolCard.id))
    }
    listed = sorted(consenting - set(carded))
    for profile_id in listed:
        db.session.add(PoolCard(profile_id=profile_id, listed_at=now))
    gone = [card_id for profile_id, card_id in carded.items() if profile_id not in consenting]
    if gone:
        db.session.execute(delete(PoolCard).where(PoolCard.id.in_(gone)))
    if listed or gone:
        db.session.flush()
        record("pool.cards_synced", changes={"listed": len(listed), "removed": len(gone)})
    return {"listed": len(listed), "removed": len(gone)}


def request_contact(employer: Employer, user: User, entry: Entry, message: str) -> ContactRequest:
    """An approved employer asks to get in touch with the returnee behind a card; the returnee is mailed."""
    open_request = select(ContactRequest.id).where(
        ContactRequest.employer_id == employer.id,
        ContactRequest.profile_id == entry.profile_id,
        ContactRequest.status == ContactStatus.REQUESTED,
    )
    if db.session.scalar(open_request) is not None:
        raise ContactError("asked already")
    request = ContactRequest(profile_id=entry.profile_id, employer_id=employer.id, user_id=user.id, message=message)
    db.session.add(request)
    db.session.flush()
    record(
        "pool.contact_requested",
        request,
        town_id=employer.town_id,
        profile_id=entry.profile_id,
        changes={"employer_id": employer.id},
    )
    notifications.contact_requested(request, employer)
    return request


def answer_contact(request: ContactRequest, accept: bool, shared: list[str], now: datetime | None = None) -> None:
    """The returnee accepts (the employer's users get what they chose to share, by mail) or declines."""
    if request.status != ContactStatus.REQUESTED:
        raise ContactError("answered already")
    profile: ReturneeProfile = request.profile
    employer = db.session.get(Employer, request.employer_id)
    request.answered_at = now or utcnow()
    if accept:
        chosen = [kind for kind in SHAREABLE if kind in shared and (kind != "phone" or profile.phone)]
        request.status = ContactStatus.ACCEPTED
        request.shared = chosen
    else:
        request.status = ContactStatus.DECLINED
        request.shared = []
    db.session.flush()
    record(
        f"pool.contact_{request.status.value}",
        request,
        town_id=employer.town_id if employer else None,
        profile_id=profile.id,
        changes={"employer_id": request.employer_id, "shared": request.shared},
    )
    if accept and employer is not None:
        values = {"name": profile.full_name, "email": profile.email or "", "phone": profile.phone or ""}
        details = {kind: values[kind] for kind in request.shared}
        users = [user for user in employer.users if user.email_verified_at is not None]
        notifications.contact_accepted(request, employer, users, details)


def card_label(visibility: Visibility, entry: Entry) -> str:
    """A card in one line, for the employers' digest: field · level · region."""
    card = visibility.card(entry)
    parts = [card.field, str(LEVEL_NAMES[card.level]) if card.level else "", ", ".join(card.region)]
    return " · ".join(part for part in parts if part)


def send_pool_digests(now: datetime | None = None) -> int:
    """Once a week: each approved employer's verified users get links to the cards of the past week that match one
    of its vacancies on the board (links, not profiles: a card whose returnee withdrew opens no more)."""
    now = now or utcnow()
    new = entries(cutoff=now - timedelta(days=7))
    if not new:
        return 0
    visibility = Visibility(entries())
    opted_out = set(db.session.scalars(select(PoolDigestOptOut.user_id)))
    on_the_board = (  # not DISTINCT over the employers' rows: PostgreSQL cannot compare their JSON column
        select(Vacancy.employer_id).join(Employer, Employer.id == Vacancy.employer_id).where(*on_board(now))
    ).correlate(None)
    wanted = (
        select(Employer)
        .where(Employer.status == EmployerStatus.APPROVED, Employer.id.in_(on_the_board))
        .options(selectinload(Employer.users), selectinload(Employer.vacancies))
        .order_by(Employer.id)
    )
    mailed = 0
    for employer in db.session.scalars(wanted):
        offered = {
            (vacancy.occupation_group_code, vacancy.skill_level)
            for vacancy in employer.vacancies
            if vacancy.published_at
        }
        cards = [
            {"url": external_url("pool.card", key=entry.key), "label": card_label(visibility, entry)}
            for entry in new
            if entry.group
            and any(tier_of(Seeker(entry.group, entry.level), group, level) is not None for group, level in offered)
        ]
        if not cards:
            continue
        for user in employer.users:
            if user.email_verified_at is not None and user.id not in opted_out:
                notifications.pool_digest(user, employer, cards)
                mailed += 1
    record("pool.digests_sent", changes={"mails": mailed})
    return mailed
