"""Signed links of matching: one-click unsubscribe from every alert, and the links of an alert subscription.

The same scheme as the returnees' links (``returnees.links.signer``): one salt per purpose, the row's id and a
random key of the row, so a link never opens a later row that happens to get the same id.
"""

from __future__ import annotations

import hashlib

from ..accounts.models import User
from ..returnees.links import InvalidLinkError, by_id, link_data, signer
from ..returnees.models import ReturneeProfile
from ..urls import mail_url
from .models import AlertSubscription

RETURNEE, SUBSCRIBER, EMPLOYER_USER = "r", "s", "e"


def _user_key(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.email}".encode()).hexdigest()[:16]


def unsubscribe_url(recipient: ReturneeProfile | AlertSubscription | User) -> str:
    """The HTTPS address (on BASE_URL) whose POST ends this recipient's alerts at once (RFC 8058); its page opens in
    the recipient's language."""
    if isinstance(recipient, ReturneeProfile):
        data = {"k": RETURNEE, "i": recipient.id, "x": recipient.link_key}
    elif isinstance(recipient, AlertSubscription):
        data = {"k": SUBSCRIBER, "i": recipient.id, "x": recipient.link_key}
    else:
        data = {"k": EMPLOYER_USER, "i": recipient.id, "x": _user_key(recipient)}
    return mail_url("alerts.unsubscribe", recipient.language, token=signer("alerts-unsubscribe").dumps(data))


def recipient_from_unsubscribe_token(token: str) -> ReturneeProfile | AlertSubscription | User:
    """Whom an unsubscribe link names, or InvalidLinkError."""
    data = link_data("alerts-unsubscribe", token)
    kind = data.get("k")
    if kind == RETURNEE:
        profile = by_id(ReturneeProfile, data.get("i"))
        if profile is not None and profile.link_key == data.get("x"):
            return profile
    elif kind == SUBSCRIBER:
        subscription = by_id(AlertSubscription, data.get("i"))
        if subscription is not None and subscription.link_key == data.get("x"):
            return subscription
    elif kind == EMPLOYER_USER:
        user = by_id(User, data.get("i"))
        if user is not None and _user_key(user) == data.get("x"):
            return user
    raise InvalidLinkError


def subscription_token(subscription: AlertSubscription) -> str:
    """The token of a subscription's own links (confirm, preferences)."""
    return str(signer("alert-subscription").dumps({"s": subscription.id, "x": subscription.link_key}))


def subscription_from_token(token: str) -> AlertSubscription:
    """The subscription a token names, or InvalidLinkError."""
    data = link_data("alert-subscription", token)
    subscription = by_id(AlertSubscription, data.get("s"))
    if subscription is None or subscription.link_key != data.get("x"):
        raise InvalidLinkError
    return subscription


def subscription_url(endpoint: str, subscription: AlertSubscription) -> str:
    """An absolute link of a subscription (``alerts.confirm`` or ``alerts.preferences``), in its language."""
    return mail_url(endpoint, subscription.language, token=subscription_token(subscription))
