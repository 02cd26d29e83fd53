"""The Celery task that delivers one outbox mail (with CELERY_BROKER_URL set, ``dispatch`` hands mails to it)."""

from __future__ import annotations

from celery import shared_task

from .delivery import deliver


@shared_task(name="rueckkehr.tasks.deliver_mail")
def deliver_mail(message_id: int) -> dict[str, int]:
    """Deliver one outbox mail (skipped if another worker holds it or it went out already)."""
    return deliver([message_id])
