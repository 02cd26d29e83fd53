"""Every change of state of job alerts: a returnee's preferences, subscriptions on /jobs (double opt-in, changes,
the end), and one-click unsubscribing from any alert. Operations flush and write their audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..accounts.models import User
from ..addresses import normalise_email
from ..audit.operations import record
from ..dates import utcnow
from ..extensions import db
from ..places.models import Town
from ..returnees.consents import CONSENT_VERSION
from ..returnees.models import ConsentProof, ConsentPurpose, ReturneeProfile
from ..returnees.operations import email_hash, withdraw_consent
from . import notifications
from .digests import forget_sent
from .models import AlertPreference, AlertSubscription, Frequency, PoolDigestOptOut


def preferences_of(profile: ReturneeProfile) -> AlertPreference:
    """A returnee's alert preferences (the defaults, not stored, until they change them)."""
    found = db.session.get(AlertPreference, profile.id)
    return found or AlertPreference(profile_id=profile.id, frequency=Frequency.WEEKLY, partner_list=True)


def set_preferences(profile: ReturneeProfile, frequency: Frequency, partner_list: bool) -> AlertPreference:
    """Save how often alerts come and whether the partner's list comes with them."""
    preference = db.session.get(AlertPreference, profile.id)
    if preference is None:
        preference = AlertPreference(profile_id=profile.id)
        db.session.add(preference)
    preference.frequency = frequency
    preference.partner_list = partner_list
    db.session.flush()
    record(
        "alert_preference.updated",
        object_type="alert_preference",
        object_id=profile.id,
        profile_id=profile.id,
        changes={"frequency": frequency.value, "partner_list": partner_list},
    )
    return preference


def _towns(slugs: list[str]) -> list[Town]:
    return list(db.session.scalars(select(Town).where(Town.slug.in_(slugs)))) if slugs else []


def subscribe(
    email: str, language: str, group_code: str, level: int | None, town_slugs: list[str], frequency: Frequency
) -> AlertSubscription:
    """A new, unconfirmed job alert; the mail with its confirmation link goes out (known address or not)."""
    subscription = AlertSubscription(
        email=normalise_email(email),
        language=language,
        occupation_group_code=group_code,
        skill_level=level,
        frequency=frequency,
        text_version=CONSENT_VERSION,
        towns=_towns(town_slugs),
    )
    db.session.add(subscription)
    db.session.flush()
    record("alert_subscription.created", subscription, changes={"group": group_code, "frequency": frequency.value})
    notifications.confirm_subscription(subscription)
    return subscription


def confirm_subscription(subscription: AlertSubscription, now: datetime | None = None) -> None:
    """Double opt-in: the owner of the address pressed the button. An alert of the same address confirmed before
    that looks for the same (field, level, towns) is replaced by this one, so nobody gets the same digest twice."""
    if subscription.confirmed_at is None:
        now = now or utcnow()
        subscription.confirmed_at = now
        subscription.last_digest_at = now  # the first digest holds what is new from now on
        record("alert_subscription.confirmed", subscription)
        for twin in _confirmed_twins(subscription):
            record("alert_subscription.replaced", twin, changes={"by": subscription.id})
            end_subscription(twin, now)


def _confirmed_twins(subscription: AlertSubscription) -> list[AlertSubscription]:
    """The other confirmed alerts of the same address that look for the same field, level and towns."""
    towns = {town.id for town in subscription.towns}
    candidates = db.session.scalars(
        select(AlertSubscription)
        .where(
            AlertSubscription.email == subscription.email,
            AlertSubscription.id != subscription.id,
            AlertSubscription.confirmed_at.is_not(None),
            AlertSubscription.occupation_group_code == subscription.occupation_group_code,
        )
        .order_by(AlertSubscription.id)
    )
    return [
        other
        for other in candidates
        if other.skill_level == subscription.skill_level and {town.id for town in other.towns} == towns
    ]


def update_subscription(
    subscription: AlertSubscription,
    group_code: str,
    level: int | None,
    town_slugs: list[str],
    frequency: Frequency,
    language: str,
) -> None:
    """Change what a subscription looks for, how often it comes and in which language."""
    subscription.occupation_group_code = group_code
    subscription.skill_level = level
    subscription.towns = _towns(town_slugs)
    subscription.frequency = frequency
    subscription.language = language
    db.session.flush()
    changes = {
        "group": group_code,
        "level": level,
        "towns": sorted(town.slug for town in subscription.towns),
        "frequency": frequency.value,
        "language": language,
    }
    record("alert_subscription.updated", subscription, changes=changes)


def end_subscription(subscription: AlertSubscription, now: datetime | None = None) -> None:
    """Delete a subscription and what it sent; keep only the proof that consent was given and withdrawn."""
    now = now or utcnow()
    if subscription.confirmed_at is not None:
        db.session.add(
            ConsentProof(
                email_hash=email_hash(subscription.email),
                purpose=ConsentPurpose.JOB_ALERTS.value,
                text_version=subscription.text_version,
                given_at=subscription.created_at,
                confirmed_at=subscription.confirmed_at,
                withdrawn_at=now,
                erased_at=now,
                keep_until=now + timedelta(days=365 * current_app.config["CONSENT_PROOF_YEARS"]),
            )
        )
    forget_sent(subscription.email, leaving=subscription)
    record("alert_subscription.ended", subscription)
    db.session.delete(subscription)
    db.session.flush()


def unsubscribe(recipient: ReturneeProfile | AlertSubscription | User) -> None:
    """End the alerts an unsubscribe link names, at once: a returnee's consent to job alerts, a subscription, or an
    employer user's pool digest."""
    if isinstance(recipient, ReturneeProfile):
        withdraw_consent(recipient, ConsentPurpose.JOB_ALERTS)
    elif isinstance(recipient, AlertSubscription):
        end_subscription(recipient)
    elif db.session.get(PoolDigestOptOut, recipient.id) is None:
        db.session.add(PoolDigestOptOut(user_id=recipient.id))
        db.session.flush()
        record("pool_digest.unsubscribed", recipient)


def purge_unconfirmed_subscriptions(now: datetime | None = None) -> int:
    """Delete subscriptions nobody confirmed within the confirmation time; the periodic job. Returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(hours=current_app.config["CONFIRMATION_HOURS"])
    stale = select(AlertSubscription.id).where(
        AlertSubscription.confirmed_at.is_(None), AlertSubscription.created_at < cutoff
    )
    ids = list(db.session.scalars(stale))
    if ids:
        db.session.execute(delete(AlertSubscription).where(AlertSubscription.id.in_(ids)))
        for subscription_id in ids:
            record("alert_subscription.lapsed", object_type="alert_subscription", object_id=subscription_id)
    return len(ids)
