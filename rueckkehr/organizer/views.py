"""The workspace's start page, the failed mails with their retry, and the audit trail on screen."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, false, func, select
from werkzeug.wrappers import Response

from ..accounts.access import found_in_town, in_visible_towns, is_admin, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..accounts.models import Role, User
from ..actors import ActorKind
from ..advice.queries import open_per_town
from ..audit.models import AuditEntry
from ..dates import BERLIN
from ..employers.approvals import approval_queue
from ..events.forms import parse_day
from ..events.manage import seat_counts, visible_events
from ..extensions import db
from ..mail.models import OutboxMessage, OutboxStatus
from .operations import retry_failed

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
AUDIT_PAGE = 50


def actor_text(entry: AuditEntry, names: dict[int, str]) -> str:
    """Who made an audit entry, in the reader's language: the staff member's address (admins see them), else what
    the entry says of its actor (the trail keeps its labels in English, as written when it happened)."""
    if entry.actor_user_id is not None and entry.actor_user_id in names:
        return names[entry.actor_user_id]
    label = entry.actor_label or ""
    kind, _space, name = label.partition(" ")
    if entry.actor_kind == ActorKind.PUBLIC:
        text = _("Öffentlichkeit (ein Formular der Website)")
    elif entry.actor_kind == ActorKind.RETURNEE:
        text = _("Rückkehrer/in über den persönlichen Link")
    elif entry.actor_kind == ActorKind.USER:
        roles = {"admin": _("Admin"), "organizer": _("Organisator/in"), "employer": _("Arbeitgeberkonto")}
        text = roles.get(label, label)
    elif kind == "job" and name:
        text = _("regelmäßige Aufgabe %(name)s", name=name)
    elif kind == "task" and name:
        text = _("Hintergrundaufgabe %(name)s", name=name)
    else:
        text = _("System") if label in ("", "system") else _("Befehl %(name)s", name=label)
    return str(text)


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
    return render_template("organizer/mails.html", mails=failed_mails(200), action_form=ActionForm())


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


def _day(text: str | None, end: bool = False) -> datetime | None:
    """A day typed into the filter as the start (or end) of that day in Berlin; ValueError if it is none."""
    if not text or not text.strip():
        return None
    moment = datetime.combine(parse_day(text), time(0), tzinfo=BERLIN)
    return moment + timedelta(days=1) if end else moment


def _audit_filter(args: Any) -> tuple[Select[AuditEntry], dict[str, str]]:
    """The trail's query for the filter typed, and an error per field that was not understood: a filter that
    cannot be read never widens the list silently."""
    query = select(AuditEntry).where(in_visible_towns(AuditEntry.town_id))
    errors: dict[str, str] = {}
    person = args.get("person", "")
    if person.isdigit() and len(person) < 10 and is_admin():
        query = query.where(AuditEntry.actor_user_id == int(person))
    if object_type := args.get("object_type", "").strip()[:40]:
        query = query.where(AuditEntry.object_type == object_type)
    object_id = args.get("object_id", "").strip()
    if object_id.isdigit() and len(object_id) < 10:
        query = query.where(AuditEntry.object_id == int(object_id))
    elif object_id:
        errors["object_id"] = _("Bitte geben Sie die Nummer in Ziffern an, z. B. 12.")
    if verb := args.get("verb", "").replace("\x00", "").strip()[:60]:
        query = query.where(AuditEntry.verb.startswith(verb, autoescape=True))
    for name, end in (("from", False), ("to", True)):
        try:
            moment = _day(args.get(name), end=end)
        except ValueError:
            errors[name] = _("Bitte geben Sie einen Tag wie 27.12.2026 an.")
            continue
        if moment is not None:
            query = query.where(AuditEntry.created_at < moment if end else AuditEntry.created_at >= moment)
    return query, errors


@bp.get("/audit")
@staff_required
def audit() -> str:
    """The audit trail: admins see everything and filter by person, object, verb and time; organizers see the
    entries of their towns' objects."""
    args = request.args
    query, errors = _audit_filter(args)
    if errors:
        query = query.where(false())
    page_text = args.get("page", "1")
    page = max(1, int(page_text)) if page_text.isdigit() and len(page_text) < 7 else 1
    entries = list(
        db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE + 1).offset((page - 1) * AUDIT_PAGE))
    )
    staff = (
        list(db.session.scalars(select(User).where(User.role.in_((Role.ADMIN, Role.ORGANIZER))).order_by(User.email)))
        if is_admin()
        else []
    )
    names = {user.id: user.email for user in staff}
    object_types = sorted(db.session.scalars(select(AuditEntry.object_type).distinct())) if is_admin() else []
    return render_template(
        "organizer/audit.html",
        entries=entries[:AUDIT_PAGE],
        more=len(entries) > AUDIT_PAGE,
        page=page,
        staff=staff,
        names=names,
        actor_text=actor_text,
        object_types=object_types,
        args=args,
        errors=errors,
        page_url=lambda number: url_for(".audit", **{**args.to_dict(), "page": number}),
    )
