"""The organizers' approvals under /organizer/approvals: one queue, a look at each item, approve or decline.

Organizers see the companies, vacancies and stands of their towns; anything else is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..accounts.access import found_in_town, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..extensions import db
from ..forms import no_control_characters, value_of
from . import approvals
from .models import Employer, EmployerStatus, StandBooking, StandStatus, Vacancy, VacancyStatus
from .operations import (
    OperationError,
    approve_employer,
    approve_profile_changes,
    confirm_stand,
    decline_profile_changes,
)
from .rendering import render_markdown
from .vacancies import publish_vacancy

bp = Blueprint("employers_manage", __name__, url_prefix="/organizer/approvals")


class DeclineForm(FlaskForm):
    """Why something is declined: the company reads it in its mail."""

    reason = TextAreaField(
        _l("Begründung (geht per E-Mail an das Unternehmen)"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Begründung an.")),
            Length(max=2000, message=_l("Bitte kürzen Sie auf höchstens 2000 Zeichen.")),
            no_control_characters,
        ],
    )


# How the fields that wait for a second look are named on the organizers' pages.
REVIEW_LABELS = {"name": _l("Name"), "description": _l("Beschreibung"), "website": _l("Webseite"), "logo": _l("Logo")}

KINDS: dict[str, tuple[type[Any], Callable[[Any], int]]] = {
    "employers": (Employer, lambda employer: employer.town_id),
    "profiles": (Employer, lambda employer: employer.town_id),
    "vacancies": (Vacancy, approvals.town_of_vacancy),
    "stands": (StandBooking, lambda stand: stand.event.venue.town_id),
}


def item(kind: str, item_id: int) -> Any:
    """A queue item of the organizer's towns, or a 404."""
    if kind not in KINDS:
        abort(404)
    model, town_of = KINDS[kind]
    return found_in_town(model, item_id, town_of)


@bp.get("")
@staff_required
def index() -> str:
    """Everything that waits, in the organizer's towns."""
    return render_template(
        "employers/manage/queue.html",
        queue=approvals.approval_queue(visible_town_ids()),
        action_form=ActionForm(),
        review_labels=REVIEW_LABELS,
    )


def _detail(kind: str, found: Any, form: DeclineForm) -> str:
    """The page of one item with its decline form."""
    return render_template(
        "employers/manage/detail.html",
        kind=kind,
        item=found,
        description=render_markdown(found.description) if kind == "vacancies" else "",  # a company's: as published
        form=form,
        action_form=ActionForm(),
        review_labels=REVIEW_LABELS,
    )


@bp.get("/<kind>/<int:item_id>")
@staff_required
def detail(kind: str, item_id: int) -> str:
    """A closer look at one item, with the way to decline it."""
    return _detail(kind, item(kind, item_id), DeclineForm())


APPROVE: dict[str, tuple[Callable[[Any], Any], str]] = {
    "employers": (lambda employer: approve_employer(employer.id), _l("Das Unternehmen ist freigegeben.")),
    "vacancies": (lambda vacancy: publish_vacancy(vacancy.id), _l("Die Stelle ist veröffentlicht.")),
    "stands": (lambda stand: confirm_stand(stand.id), _l("Der Stand ist bestätigt.")),
    "profiles": (
        lambda employer: approve_profile_changes(employer.id),
        _l("Die Änderungen sind öffentlich; das Unternehmen erfährt es per E-Mail."),
    ),
}
DECLINE: dict[str, tuple[Callable[[Any, str], Any], str]] = {
    "employers": (approvals.decline_employer, _l("Das Unternehmen ist abgelehnt; es erfährt den Grund per E-Mail.")),
    "vacancies": (approvals.decline_vacancy, _l("Die Stelle ist zurückgegeben; das Unternehmen erfährt den Grund.")),
    "stands": (approvals.decline_stand, _l("Der Stand ist abgelehnt; das Unternehmen erfährt den Grund.")),
    "profiles": (
        lambda employer, reason: decline_profile_changes(employer.id, reason),
        _l("Die Änderungen sind verworfen; öffentlich bleibt das bisherige Profil. Das Unternehmen erfährt den Grund."),
    ),
}


def _decided(kind: str, found: Any) -> str | None:
    """What became of an item no longer waiting (a double submit, a stale tab), or None while it waits."""
    if kind == "employers":
        return {
            EmployerStatus.APPROVED: _("Das Unternehmen ist schon freigegeben."),
            EmployerStatus.DECLINED: _("Das Unternehmen ist schon abgelehnt."),
        }.get(found.status)
    if kind == "profiles":
        return None if found.has_pending_changes else str(_("Über diese Änderungen ist schon entschieden."))
    if kind == "vacancies":
        if found.status == VacancyStatus.DRAFT:
            return str(_("Die Stelle ist schon an das Unternehmen zurückgegeben."))
        if found.status == VacancyStatus.WITHDRAWN and found.published_at is None:
            return str(_("Das Unternehmen hat die Stelle zurückgezogen."))
        return None if found.status == VacancyStatus.SUBMITTED else _("Die Stelle ist schon veröffentlicht.")
    decided: str | None = {
        StandStatus.CONFIRMED: _("Der Stand ist schon bestätigt."),
        StandStatus.CANCELLED: _("Der Stand ist schon abgelehnt oder abgesagt."),
    }.get(found.status)
    return decided


def _refused(kind: str, found: Any, otherwise: str) -> None:
    """Say why an approval or a refusal did not happen: decided already, or the state does not allow it."""
    db.session.refresh(found)  # as the refusing operation read it
    decided = _decided(kind, found)
    flash(decided or otherwise, "info" if decided else "warning")


@bp.post("/<kind>/<int:item_id>/approve")
@staff_required
def approve(kind: str, item_id: int) -> Response:
    """Approve: the same operation the command line runs."""
    found = item(kind, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    decided = _decided(kind, found)
    if decided is not None:  # a double submit or a stale tab: neither approves a decided item again
        flash(decided, "info")
        return redirect(url_for(".index"), code=303)
    action, message = APPROVE[kind]
    try:
        action(found)
    except OperationError:
        _refused(
            kind,
            found,
            _("Das ist im jetzigen Zustand nicht möglich (zum Beispiel, weil die Adresse noch nicht bestätigt ist)."),
        )
    else:
        flash(str(message), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/<kind>/<int:item_id>/decline")
@staff_required
def decline(kind: str, item_id: int) -> str | Response | tuple[str, int]:
    """Decline with a reason, which is mailed."""
    found = item(kind, item_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _detail(kind, found, form), 422
    action, message = DECLINE[kind]
    try:
        action(found, value_of(form.reason))
    except OperationError:
        _refused(kind, found, _("Das ist im jetzigen Zustand nicht möglich."))
    else:
        flash(str(message), "success")
    return redirect(url_for(".index"), code=303)
