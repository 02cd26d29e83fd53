"""Every mail of the workspace: the invitation of a new admin or organizer."""

from __future__ import annotations

from ..accounts.models import User
from ..mail.outbox import queue_mail
from ..urls import mail_url


def staff_invitation(user: User, token: str, days: int, language: str) -> None:
    """The link that sets the first password of a staff account."""
    queue_mail(
        kind="organizer.invite",
        invitation=True,
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="organizer_invite",
        language=language,
        town=user.towns[0] if user.towns else None,
        context={"user": user, "link": mail_url("organizer_accounts.join", language, token=token), "days": days},
    )
