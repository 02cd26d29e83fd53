"""Matching behind the returnee's own link: alert preferences, all current matches, the printable fair plan, and
the answer to an employer's contact request (a page with buttons; the POST acts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.forms import ActionForm
from ..employers.models import Employer
from ..extensions import db
from ..returnees.models import ConsentPurpose, ReturneeProfile
from ..returnees.views import with_profile
from .fair_plan import fair_plans, matches_page
from .forms import AnswerForm, PreferencesForm
from .models import ContactRequest, ContactStatus, Frequency
from .operations import preferences_of, set_preferences
from .pool_operations import ContactError, answer_contact

bp = Blueprint("matching_selfservice", __name__, url_prefix="/me/<token>")
MAX_ID = 2**31 - 1


@bp.route("/alerts", methods=["GET", "POST"])
@with_profile
def preferences(profile: ReturneeProfile, token: str) -> str | Response:
    """How often job alerts come, and whether the partner's list comes with them."""
    stored = preferences_of(profile)
    form = PreferencesForm(data=None if request.method == "POST" else {
        "frequency": stored.frequency.value, "partner_list": stored.partner_list
    })  # fmt: skip
    if form.validate_on_submit():
        set_preferences(profile, Frequency(form.frequency.data), bool(form.partner_list.data))
        flash(_("Ihre Einstellungen sind gespeichert."), "success")
        return redirect(url_for(".preferences", token=token), code=303)
    consented = profile.active_consent(ConsentPurpose.JOB_ALERTS) is not None
    return render_template("matching/preferences.html", profile=profile, token=token, form=form, consented=consented)


@bp.get("/matches")
@with_profile
def matches(profile: ReturneeProfile, token: str) -> str:
    """Every vacancy on the board that fits, with its reasons; the partner's list too."""
    return render_template("matching/matches.html", profile=profile, token=token, lists=matches_page(profile))


@bp.get("/fair-plan/<int:event_id>")
@with_profile
def fair_plan(profile: ReturneeProfile, token: str, event_id: int) -> str:
    """The printable fair plan of one event: its exhibitors whose vacancies fit, in the order of the match."""
    plan = (
        next((plan for plan in fair_plans(profile) if plan.event.id == event_id), None) if event_id <= MAX_ID else None
    )
    if plan is None:
        abort(404)
    return render_template("matching/fair_plan_print.html", profile=profile, token=token, plan=plan)


@bp.route("/contact/<int:request_id>", methods=["GET", "POST"])
@with_profile
def contact(profile: ReturneeProfile, token: str, request_id: int) -> str | Response | tuple[str, int]:
    """An employer's contact request: accept (sharing what one chooses) or decline."""
    found = db.session.get(ContactRequest, request_id) if request_id <= MAX_ID else None
    if found is None or found.profile_id != profile.id:
        abort(404)
    employer = db.session.get(Employer, found.employer_id) or abort(404)
    form = AnswerForm()
    if request.method == "POST" and form.answer.data not in ("accept", "decline"):
        abort(400)  # only the two buttons answer: a decline is for good, so nothing else may count as one
    if request.method == "POST" and form.validate_on_submit():
        accept = form.answer.data == "accept"
        shared = [kind for kind in ("name", "email", "phone") if getattr(form, f"share_{kind}").data]
        try:
            answer_contact(found, accept, shared)
        except ContactError:
            flash(_("Diese Anfrage haben Sie schon beantwortet."), "info")
        else:
            flash(
                _("Danke! Das Unternehmen bekommt die Angaben, die Sie freigegeben haben.")
                if accept
                else _("Sie haben die Anfrage abgelehnt. Das Unternehmen erfährt nichts über Sie."),
                "success",
            )
        return redirect(url_for(".contact", token=token, request_id=found.id), code=303)
    return render_template(
        "matching/contact_answer.html",
        profile=profile,
        token=token,
        contact_request=found,
        employer=employer,
        form=form,
        answered=found.status != ContactStatus.REQUESTED,
        action_form=ActionForm(),
    ), 422 if form.errors else 200
