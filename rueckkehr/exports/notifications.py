"""Every mail of exports: a background export is ready to download."""

from __future__ import annotations

from ..accounts.models import User
from ..mail.outbox import queue_mail
from ..urls import external_url
from .models import ExportJob


def export_ready(user: User, job: ExportJob) -> None:
    """Tell the organizer that their export is ready, with the link to its page (which expires)."""
    queue_mail(
        kind="exports.ready",
        recipient=user.email,
        recipient_name=user.full_name or None,
        template="export_ready",
        language=user.language or "de",
        town=user.towns[0] if user.towns else None,
        context={"user": user, "job": job, "link": external_url("exports.job", job_id=job.id)},
    )
