"""The workspace's start page, the failed mails with their retry, and the audit trail on screen."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import false, func, select
from werkzeug.wrappers import Response

from ..accounts.access import found_in_town, in_visible_towns, is_admin, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..accounts.models import Role, User
from ..advice.queries import open_per_town
from ..audit.labels import verb_groups
from ..audit.models import AuditEntry
from ..employers.approvals import approval_queue
from ..events.manage import seat_counts, visible_events
from ..extensions import db
from ..mail.failures import failure_reason
from ..mail.models import OutboxMessage, OutboxStatus
from .audit_trail import ALIASES, audit_filter, object_type_options, shown_entries
from .operations import retry_failed

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
AUDIT_PAGE = 50


def failed_mails(limit: int | None = None) -> list[OutboxMessage]:
    """Failed mails of the organizer's towns (admins: all), newest first."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED, in_visible_towns(OutboxMessage.town_id))
        .order_by(OutboxMessage.id.desc())
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))


@bp.get("")
@staff_required
def dashboard() -> str:
    """The coming events with seats taken, waiting and unconfirmed; what waits for approval; failed mails."""
    events = visible_events()
    failed = int(
        db.session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.FAILED, in_visible_towns(OutboxMessage.town_id)
            )
        )
        or 0
    )
    return render_template(
        "organizer/dashboard.html",
        events=events,
        counts=seat_counts(events),
        queue=approval_queue(visible_town_ids()),
        failed=failed,
        advice=open_per_town(visible_town_ids()),
    )


@bp.get("/mails")
@staff_required
def mails() -> str:
    """Mails that failed for good, with a retry each."""
    return render_template(
        "organizer/mails.html", mails=failed_mails(200), action_form=ActionForm(), failure_reason=failure_reason
    )


@bp.post("/mails/<int:message_id>/retry")
@staff_required
def retry(message_id: int) -> Response:
    """Send a failed mail once more."""
    message = found_in_town(OutboxMessage, message_id, lambda message: message.town_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if retry_failed(message):
        flash(_("Die E-Mail wird erneut verschickt."), "success")
    return redirect(url_for(".mails"), code=303)


@bp.get("/audit")
@staff_required
def audit() -> str:
    """The audit trail: admins see everything and filter by person, object, verb and time; organizers see the
    entries of their towns' objects."""
    args = request.args
    query, errors = audit_filter(args)
    typed_type = args.get("object_type", "").replace("\x00", "").strip()[:40]  # as audit_filter reads it
    chosen_type = ALIASES.get(typed_type, typed_type)
    if errors:
        query = query.where(false())
    page_text = args.get("page", "1")
    page = _page_number(page_text)
    entries = list(
        db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE + 1).offset((page - 1) * AUDIT_PAGE))
    )
    staff = (
        list(db.session.scalars(select(User).where(User.role.in_((Role.ADMIN, Role.ORGANIZER))).order_by(User.email)))
        if is_admin()
        else []
    )
    names = {user.id: user.email for user in staff}
    return render_template(
        "organizer/audit.html",
        entries=shown_entries(entries[:AUDIT_PAGE], names),
        more=len(entries) > AUDIT_PAGE,
        page=page,
        staff=staff,
        object_types=object_type_options(chosen_type),
        chosen_type=chosen_type,
        verb_groups=verb_groups(),
        args=args,
        errors=errors,
        page_url=lambda number: url_for(".audit", **{**args.to_dict(), "page": number}),
    )


def _page_number(text: str) -> int:
    """The page asked for: 1 for anything but digits; a number too long to mean a page is beyond the last (as on
    the registration list), not the first."""
    if not text.isdecimal():
        return 1
    return max(1, int(text)) if len(text) < 7 else 1_000_000
