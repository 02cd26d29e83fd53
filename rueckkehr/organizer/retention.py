"""The admins' view of retention: what the next run erases or blanks and when, and what stays.

Every number comes from the same selection the retention jobs use (``registrations.retention.due_profile_ids``
and friends), so the page tells what the jobs will do, not a second guess of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, render_template
from sqlalchemy import func, select

from ..accounts.access import admin_required
from ..advice.models import AdviceTalk
from ..audit.operations import personal_parts_due
from ..dates import utcnow
from ..extensions import db
from ..figures.models import FigureSnapshot
from ..jobs.models import JobRun
from ..jobs.registry import registered_jobs
from ..mail.models import OutboxMessage
from ..registrations.models import Registration
from ..registrations.retention import due_profile_ids, erasure_forecast
from ..returnees.retention import consent_proofs_kept

bp = Blueprint("retention", __name__, url_prefix="/organizer/retention")
RETENTION_JOBS = ("registrations.purge", "audit.blank_personal", "returnees.purge_consent_proofs")


def _count(column: Any, ids: list[int]) -> int:
    """How many rows name one of these profiles."""
    if not ids:
        return 0
    return int(db.session.scalar(select(func.count()).where(column.in_(ids))) or 0)


def next_runs(now: datetime) -> dict[str, datetime]:
    """When each retention job runs next: its last finish plus its interval, or now if it is due already."""
    jobs = {job.name: job for job in registered_jobs() if job.name in RETENTION_JOBS}
    rows = db.session.execute(select(JobRun.name, JobRun.last_finished_at).where(JobRun.name.in_(list(jobs))))
    finished: dict[str, datetime | None] = {name: last for name, last in rows}
    runs: dict[str, datetime] = {}
    for name, job in jobs.items():
        last = finished.get(name)
        runs[name] = max(now, last + job.every) if last is not None else now
    return runs


@bp.get("")
@admin_required
def overview() -> str:
    """What the next retention run erases or blanks, the days ahead, and what stays."""
    now = utcnow()
    ids = due_profile_ids(now)
    proofs, proofs_due = consent_proofs_kept(now)
    due = {
        "profiles": len(ids),
        "registrations": _count(Registration.profile_id, ids),
        "advice": _count(AdviceTalk.profile_id, ids),
        "outbox": _count(OutboxMessage.profile_id, ids),
        "audit": personal_parts_due(now, ids),
        "proofs": proofs_due,
    }
    return render_template(
        "organizer/retention.html",
        due=due,
        runs=next_runs(now),
        forecast=erasure_forecast(now),
        proofs=proofs,
        figures=int(db.session.scalar(select(func.count()).select_from(FigureSnapshot)) or 0),
        config=current_app.config,
        now=now,
    )
