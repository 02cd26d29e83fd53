"""Sending matches: the mail after a confirmed registration, and the rounds of job-alert digests (daily or weekly).

A round reads the vacancies that became public within the longest period once, the vacancies already mailed once,
and every due recipient with their profile; it scores only each recipient's candidates and queues all mails in the
job's unit of work, so delivery sends them over one SMTP connection after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.operations import record
from ..dates import utcnow
from ..employers.board_cards import coming_stands
from ..employers.models import Employer, Vacancy
from ..employers.queries import confirmed_exhibitors, on_board
from ..extensions import db
from ..mail.round import MailRound
from ..registrations.models import Registration, RegistrationStatus
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile
from ..returnees.operations import email_hash
from . import notifications
from .candidates import OFFER_COLUMNS, Seeker, best, matches_for, offers_from, seekers_of, today
from .digests import Selection, record_sent, record_sent_rows, select_for_mail, sent_before, sent_rows
from .models import AlertPreference, AlertSubscription, Frequency, SentVacancy
from .operations import preferences_of
from .scoring import Match, Offer

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
SLACK = timedelta(hours=1)  # a digest due at 7:05 goes out with the run at 7:00
LIST_LENGTH = 40  # ranked candidates per list, enough to fill a mail under the per-employer cap


def titles_of(vacancy_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and employer name of each vacancy a mail or page shows (one statement, also for none)."""
    rows = db.session.execute(
        select(Vacancy.id, Vacancy.title, Employer.name).join(Vacancy.employer).where(Vacancy.id.in_(vacancy_ids))
    )
    return {vacancy_id: (title, employer) for vacancy_id, title, employer in rows}


def has_alert_consent(profile: ReturneeProfile) -> bool:
    """Whether the returnee consented to job alerts (and confirmed it by mail)."""
    consent = profile.active_consent(ConsentPurpose.JOB_ALERTS)
    return consent is not None and consent.confirmed_at is not None


def after_confirmation(registration: Registration, now: datetime | None = None) -> bool:
    """Mail the vacancies that fit a returnee who just confirmed a registration (only with their consent), those of
    the event's exhibitors first; return whether a mail went out."""
    profile = registration.profile
    if profile.email is None or not has_alert_consent(profile):  # a walk-in may have given no address
        return False
    seekers = seekers_of(profile, today(now), partner=preferences_of(profile).partner_list)
    lists = [(kind, matches_for(seeker, LIST_LENGTH, now)) for kind, seeker in seekers]
    found = [match.offer.id for _kind, matches in lists for match in matches]
    exhibitors = frozenset(employer.id for employer in confirmed_exhibitors(registration.event_id))
    email = profile.email
    selection = select_for_mail(lists, sent_before(email, found), first_employers=exhibitors)
    if not selection:
        return False
    event = registration.event
    stands = coming_stands([match.offer.employer_id for match in _all(selection)], now)
    notifications.matches_after_confirmation(
        profile,
        event,
        selection,
        titles_of(selection.vacancy_ids),
        stands,
        exhibitors,
        at_event=registration.status == RegistrationStatus.CONFIRMED,
    )
    record_sent(email, selection.vacancy_ids)
    record(
        "matching.mailed",
        registration,
        town_id=event.venue.town_id,
        profile_id=profile.id,
        changes={"kind": "after_confirmation", "vacancies": len(selection.vacancy_ids)},
    )
    return True


def _all(selection: Selection) -> list[Any]:
    return [match for matches in selection.lists.values() for match in matches]


def _due(last: datetime | None, frequency: Frequency, now: datetime) -> bool:
    return last is None or last <= now - PERIODS[frequency] + SLACK


def _by_area(offers: list[Offer]) -> dict[str, list[Offer]]:
    """New vacancies by Berufsbereich: a seeker's candidates are those of their own."""
    areas: dict[str, list[Offer]] = defaultdict(list)
    for offer in offers:
        areas[offer.group[:1]].append(offer)
    return areas


class Round:
    """One round of digests: what is new, what went out before, and the counts."""

    def __init__(self, frequency: Frequency | None, now: datetime) -> None:
        self.frequency, self.now, self.today = frequency, now, today(now)
        oldest = now - 2 * PERIODS[Frequency.WEEKLY]  # a late round reaches back one missed week, never further
        statement = (
            select(*OFFER_COLUMNS).join(Employer, Employer.id == Vacancy.employer_id).where(*on_board(now))
        ).where(Vacancy.published_at > oldest)
        self.offers = _by_area(offers_from(statement))
        ids = [offer.id for offers in self.offers.values() for offer in offers]
        self.sent: dict[str, set[int]] = defaultdict(set)
        if ids:
            for digest, vacancy_id in db.session.execute(
                select(SentVacancy.recipient_hash, SentVacancy.vacancy_id).where(SentVacancy.vacancy_id.in_(ids))
            ):
                self.sent[digest].add(vacancy_id)
        self.stands = coming_stands(sorted({offer.employer_id for group in self.offers.values() for offer in group}))
        self.titles = titles_of(ids)
        self.mailed: list[dict[str, Any]] = []  # what went out in this round, recorded together at its end
        self.ranked: dict[tuple[Seeker, datetime], list[Match]] = {}  # many recipients look for the same
        self.rendered: notifications.Rendered = {}  # and get the same vacancies for the same reasons
        self.mails = MailRound()  # whose bodies differ only in names, links and those items
        self.counts = {"returnees": 0, "subscribers": 0, "nothing_new": 0}

    def titles_for(self, selection: Selection) -> dict[int, tuple[str, str]]:
        """Title and employer of each vacancy a mail shows (read once for the round)."""
        return {vacancy_id: self.titles[vacancy_id] for vacancy_id in selection.vacancy_ids}

    def mailed_to(self, email: str, selection: Selection) -> None:
        """Remember what went to this address: for the rest of the round at once, in the database at its end."""
        digest = email_hash(email)
        self.sent[digest].update(selection.vacancy_ids)
        self.mailed.extend(sent_rows(digest, selection.vacancy_ids))

    def record(self) -> None:
        """Record every vacancy mailed in this round (a few statements for all of them)."""
        record_sent_rows(self.mailed)
        self.mailed = []

    def selection(self, email: str, seekers: list[tuple[str, Seeker]], since: datetime) -> Selection:
        """What is new for these seekers since ``since`` and was never mailed to this address."""
        lists = []
        for kind, seeker in seekers:
            if (seeker, since) not in self.ranked:
                fresh = [offer for offer in self.offers.get(seeker.group[:1], ()) if offer.published_at > since]
                self.ranked[seeker, since] = best(seeker, fresh, LIST_LENGTH)
            lists.append((kind, self.ranked[seeker, since]))
        return select_for_mail(lists, self.sent.get(email_hash(email), set()))

    def returnees(self) -> None:
        """Digests to returnees who consented to job alerts and are due."""
        consenting = (
            select(ReturneeProfile, AlertPreference)
            .join(Consent, Consent.profile_id == ReturneeProfile.id)
            .outerjoin(AlertPreference, AlertPreference.profile_id == ReturneeProfile.id)
            .where(
                Consent.purpose == ConsentPurpose.JOB_ALERTS,
                Consent.withdrawn_at.is_(None),
                Consent.registration_id.is_(None),
                Consent.confirmed_at.is_not(None),
            )
            .options(selectinload(ReturneeProfile.wished_towns))
            .order_by(ReturneeProfile.id)
        )
        for profile, preference in db.session.execute(consenting).all():
            email = profile.email
            if email is None:  # a walk-in who gave no address
                continue
            if preference is None:
                preference = AlertPreference(profile_id=profile.id, frequency=Frequency.WEEKLY, partner_list=True)
                db.session.add(preference)
            if (self.frequency and preference.frequency != self.frequency) or not _due(
                preference.last_digest_at, preference.frequency, self.now
            ):
                continue
            since = preference.last_digest_at or self.now - PERIODS[preference.frequency]
            preference.last_digest_at = self.now
            seekers = seekers_of(profile, self.today, partner=preference.partner_list)
            selection = self.selection(email, seekers, since)
            if not selection:
                self.counts["nothing_new"] += 1
                continue
            notifications.digest_to_returnee(
                profile, selection, self.titles_for(selection), self.stands, self.rendered, self.mails
            )
            self.mailed_to(email, selection)
            self.counts["returnees"] += 1

    def subscribers(self) -> None:
        """Digests to confirmed subscriptions that are due."""
        confirmed = (
            select(AlertSubscription)
            .where(AlertSubscription.confirmed_at.is_not(None))
            .options(selectinload(AlertSubscription.towns))
            .order_by(AlertSubscription.id)
        )
        towns: dict[int, tuple[str, str]] = {}
        for subscription in db.session.scalars(confirmed):
            if (self.frequency and subscription.frequency != self.frequency) or not _due(
                subscription.last_digest_at, subscription.frequency, self.now
            ):
                continue
            since = subscription.last_digest_at or self.now - PERIODS[subscription.frequency]
            subscription.last_digest_at = self.now
            places = tuple(towns.setdefault(town.id, (town.slug, town.name)) for town in subscription.towns)
            seeker = Seeker(subscription.occupation_group_code, subscription.skill_level, places=places)
            selection = self.selection(subscription.email, [("own", seeker)], since)
            if not selection:
                self.counts["nothing_new"] += 1
                continue
            notifications.digest_to_subscriber(
                subscription, selection, self.titles_for(selection), self.stands, self.rendered, self.mails
            )
            self.mailed_to(subscription.email, selection)
            self.counts["subscribers"] += 1


def send_digests(frequency: Frequency | None = None, now: datetime | None = None) -> dict[str, int]:
    """One round: a digest of new matching vacancies to every recipient who is due (of one frequency, if given).
    Nobody gets a mail when nothing is new; the round's figures go into the audit trail."""
    round_ = Round(frequency, now or utcnow())
    with round_.mails:
        round_.returnees()
        round_.subscribers()
    round_.record()
    db.session.flush()
    record("matching.digests_sent", changes={"frequency": frequency.value if frequency else "due", **round_.counts})
    return round_.counts
