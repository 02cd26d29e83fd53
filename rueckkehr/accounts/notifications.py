"""Every mail of the accounts package: the password reset link; and the town that signs a user's account mails."""

from __future__ import annotations

from ..mail.outbox import queue_mail
from ..places.models import Town
from ..urls import mail_url
from .models import Role, User
from .signals import user_town


def home_town(user: User) -> Town | None:
    """The town a user belongs to, whose contact signs their account mails and receives the replies: an organizer's
    first town, a company's town (employers answers ``user_town``); None for an admin (the RWK office signs)."""
    if user.role == Role.ORGANIZER:
        return user.towns[0] if user.towns else None
    if user.role == Role.EMPLOYER:
        return next((town for _receiver, town in user_town.send(user) if town is not None), None)
    return None


def reset_link(user: User, token: str, hours: int, language: str) -> None:
    """The single-use link that sets a new password."""
    queue_mail(
        kind="account.reset",
        answer=True,
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="account_reset",
        language=language,
        town=home_town(user),
        context={
            "user": user,
            "link": mail_url("accounts.reset_password", language, token=token),
            "hours": hours,
        },
    )
