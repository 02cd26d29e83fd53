"""Every mail of exports: a background export is ready to download."""

from __future__ import annotations

from ..accounts.models import User
from ..mail.outbox import queue_mail
from ..urls import mail_url
from .models import ExportJob


def export_ready(user: User, job: ExportJob) -> None:
    """Tell the organizer that their export is ready, with the link to its page (which expires)."""
    queue_mail(
        kind="exports.ready",
        answer=True,  # the organizer asked for the export a moment ago
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="export_ready",
        language=user.language or "de",
        town=user.towns[0] if user.towns else None,
        context={"user": user, "job": job, "link": mail_url("exports.job", user.language or "de", job_id=job.id)},
    )
