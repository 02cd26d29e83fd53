"""Every mail of the accounts package: the password reset link."""

from __future__ import annotations

from ..mail.outbox import queue_mail
from ..urls import mail_url
from .models import User


def reset_link(user: User, token: str, hours: int, language: str) -> None:
    """The single-use link that sets a new password."""
    queue_mail(
        kind="account.reset",
        answer=True,
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="account_reset",
        language=language,
        context={
            "user": user,
            "link": mail_url("accounts.reset_password", language, token=token),
            "hours": hours,
        },
    )
