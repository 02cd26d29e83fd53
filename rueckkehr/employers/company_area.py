"""The company's own area under /employer: sign-up, dashboard, profile and logo, vacancies, stands, colleagues.

Every route that takes an id looks it up within the logged-in user's company; anything else is a 404, so a second
company learns nothing about the first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.forms import ActionForm
from ..accounts.models import Role
from ..dates import berlin_today
from ..events.models import Event
from ..extensions import db, limiter
from ..forms import value_of
from ..i18n import format_long_date
from ..ratelimits import configured, counts_as_attempt
from ..transactions import after_commit
from .forms import CompanyForm, LogoForm, SignupForm, StandForm
from .logos import forget_pending
from .models import Employer, StandStatus
from .operations import (
    OperationError,
    cancel_stand,
    replace_logo,
    request_stand,
    sign_up,
    update_profile,
)
from .queries import bookable_events, company_overview, owned_stand, owned_vacancy
from .rendering import render_markdown
from .vacancies import (
    create_vacancy,
    default_valid_until,
    delete_draft,
    mark_filled,
    submit_vacancy,
    update_vacancy,
    withdraw_vacancy,
)
from .vacancy_forms import VacancyForm

bp = Blueprint("company_area", __name__, url_prefix="/employer")

P = ParamSpec("P")
R = TypeVar("R")


def employer_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Only a logged-in user of a company; others are sent to log in, or see a 404."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        if current_user.role != Role.EMPLOYER or current_user.employer_id is None:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def current_employer() -> Employer:
    """The logged-in user's company, with its vacancies, stands and users (the pages of the area list them)."""
    employer = company_overview(current_user.employer_id)
    if employer is None:
        abort(404)
    return employer


def stand_event_label(event: Event) -> str:
    """An event in the stand picker: its title, day and town ("Rückkehrertag – Sonntag, 27. Dezember 2026, …")."""
    return str(
        _(
            "%(title)s – %(day)s, %(town)s",
            title=event.title,
            day=format_long_date(event.starts_at),
            town=event.venue.town.name,
        )
    )


def language() -> str:
    """The visitor's language, for mails."""
    return str(get_locale())


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_EMPLOYER_SIGNUP"), methods=["POST"], deduct_when=counts_as_attempt)
def signup() -> str | Response | tuple[str, int]:
    """Sign-up: company, contact person, login; the answer is the same whether the address is known or not."""
    form = SignupForm()
    if form.validate_on_submit():
        if not form.website_confirm.data:
            sign_up(
                form.company_data(),
                contact_name=value_of(form.contact_name),
                email=value_of(form.email),
                password=value_of(form.password, strip=False),
                language=language(),
                logo=form.logo_bytes,
            )
        if form.logo_kept.data:
            after_commit(forget_kept_logos, form.logo_kept.data)
        return redirect(url_for(".signup_sent"), code=303)
    if form.errors:
        form.keep_logo_for_next_try()
    return render_template("employers/signup.html", form=form), 422 if form.errors else 200


def forget_kept_logos(tokens: list[str]) -> None:
    """After the sign-up committed: the logos kept for it are stored with the company now."""
    for token in tokens:
        forget_pending(token)


@bp.get("/signup/sent")
def signup_sent() -> str:
    """Please check your inbox."""
    return render_template("employers/signup_sent.html")


@bp.get("")
@employer_required
def dashboard() -> str:
    """The company's status, its vacancies and stands."""
    employer = current_employer()
    return render_template("employers/dashboard.html", employer=employer, action_form=ActionForm())


@bp.route("/profile", methods=["GET", "POST"])
@employer_required
def profile() -> str | Response | tuple[str, int]:
    """Edit the company profile."""
    employer = current_employer()
    form = CompanyForm(obj=None)
    if request.method != "POST":
        form.fill_from(employer)
    if form.validate_on_submit():
        update_profile(employer, form.company_data())
        flash(_("Das Profil ist gespeichert."), "success")
        return redirect(url_for(".dashboard"), code=303)
    return render_template(
        "employers/profile.html", form=form, logo_form=LogoForm(), employer=employer
    ), 422 if form.errors else 200


@bp.post("/logo")
@employer_required
def logo() -> str | Response | tuple[str, int]:
    """Upload a new logo or remove it."""
    employer = current_employer()
    form = LogoForm()
    if form.validate_on_submit():
        if form.remove.data:
            replace_logo(employer, None)
            flash(_("Das Logo ist entfernt."), "success")
        elif form.logo_bytes is not None:
            replace_logo(employer, form.logo_bytes)
            flash(_("Das Logo ist gespeichert."), "success")
        return redirect(url_for(".profile"), code=303)
    company_form = CompanyForm(formdata=None)
    company_form.fill_from(employer)  # a failed upload must not blank the profile fields
    return render_template("employers/profile.html", form=company_form, logo_form=form, employer=employer), 422


@bp.route("/vacancies/new", methods=["GET", "POST"])
@employer_required
def new_vacancy() -> str | Response | tuple[str, int]:
    """Write a new vacancy; it starts as a draft."""
    form = VacancyForm(today=berlin_today())
    if request.method != "POST":
        form.valid_until.data = default_valid_until().isoformat()
    if form.validate_on_submit():
        vacancy = create_vacancy(current_employer(), form.vacancy_data())
        flash(_("Der Entwurf ist gespeichert."), "success")
        return redirect(url_for(".vacancy", vacancy_id=vacancy.id), code=303)
    return render_template(
        "employers/vacancy_form.html", form=form, vacancy=None, employer=current_employer()
    ), 422 if form.errors else 200


@bp.get("/vacancies/<int:vacancy_id>")
@employer_required
def vacancy(vacancy_id: int) -> str:
    """One of the company's vacancies, in every state, with what can be done next."""
    found = owned_vacancy(current_employer(), vacancy_id) or abort(404)
    return render_template(
        "employers/vacancy.html",
        vacancy=found,
        description=render_markdown(found.description),
        action_form=ActionForm(),
    )


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@employer_required
def edit_vacancy(vacancy_id: int) -> str | Response | tuple[str, int]:
    """Change a draft or submitted vacancy."""
    found = owned_vacancy(current_employer(), vacancy_id) or abort(404)
    if not found.is_editable:
        flash(_("Diese Stelle kann nicht mehr geändert werden."), "warning")
        return redirect(url_for(".vacancy", vacancy_id=found.id), code=303)
    form = VacancyForm(today=berlin_today())
    if request.method != "POST":
        form.fill_from(found)
    if form.validate_on_submit():
        update_vacancy(found, form.vacancy_data())
        flash(_("Die Änderungen sind gespeichert."), "success")
        return redirect(url_for(".vacancy", vacancy_id=found.id), code=303)
    return render_template(
        "employers/vacancy_form.html", form=form, vacancy=found, employer=current_employer()
    ), 422 if form.errors else 200


def _vacancy_action(vacancy_id: int, action: Callable[[Any], Any], message: str) -> Response:
    """Run one lifecycle step on an own vacancy and go back to it."""
    found = owned_vacancy(current_employer(), vacancy_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(found)
    except OperationError:
        flash(_("Das ist in diesem Zustand der Stelle nicht möglich."), "warning")
    else:
        flash(message, "success")
    return redirect(url_for(".vacancy", vacancy_id=found.id), code=303)


@bp.post("/vacancies/<int:vacancy_id>/submit")
@employer_required
def submit(vacancy_id: int) -> Response:
    """Hand a draft to the organizers."""
    return _vacancy_action(
        vacancy_id,
        submit_vacancy,
        _("Die Stelle ist eingereicht. Nach der Freigabe erscheint sie in der Stellenbörse."),
    )


@bp.post("/vacancies/<int(max=2147483647):vacancy_id>/delete")  # a bigger id is no row: 404, not an error
@employer_required
def delete(vacancy_id: int) -> Response:
    """Delete a draft (a draft is not withdrawn: nobody but the company has seen it)."""
    found = owned_vacancy(current_employer(), vacancy_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        delete_draft(found)
    except OperationError:
        flash(_("Das ist in diesem Zustand der Stelle nicht möglich."), "warning")
        return redirect(url_for(".vacancy", vacancy_id=found.id), code=303)
    flash(_("Der Entwurf „%(title)s“ ist gelöscht.", title=found.title), "success")
    return redirect(url_for(".dashboard"), code=303)


@bp.post("/vacancies/<int:vacancy_id>/withdraw")
@employer_required
def withdraw(vacancy_id: int) -> Response:
    """Take a vacancy back."""
    return _vacancy_action(vacancy_id, withdraw_vacancy, _("Die Stelle ist zurückgezogen."))


@bp.post("/vacancies/<int:vacancy_id>/filled")
@employer_required
def filled(vacancy_id: int) -> Response:
    """The position is taken."""
    return _vacancy_action(vacancy_id, mark_filled, _("Die Stelle ist als besetzt markiert."))


@bp.route("/stands", methods=["GET", "POST"])
@employer_required
def stands() -> str | Response | tuple[str, int]:
    """The company's stand bookings and a request for a new one."""
    employer = current_employer()
    booked = {stand.event_id for stand in employer.stands if stand.status != StandStatus.CANCELLED}
    events = [event for event in bookable_events() if event.id not in booked]
    form = StandForm()
    form.event.choices = [("", _("Bitte wählen"))] + [(str(event.id), stand_event_label(event)) for event in events]
    if employer.is_approved and form.validate_on_submit():
        event = db.session.get(Event, int(form.event.data)) or abort(404)
        try:
            request_stand(employer, event, value_of(form.space_note), bool(form.needs_power.data))
        except OperationError:
            flash(_("Für diese Veranstaltung haben Sie bereits einen Stand angefragt."), "warning")
        else:
            flash(_("Ihre Anfrage ist eingegangen. Die Organisatoren bestätigen den Stand per E-Mail."), "success")
        return redirect(url_for(".stands"), code=303)
    return render_template(
        "employers/stands.html", employer=employer, form=form, events=events, action_form=ActionForm()
    ), 422 if form.errors else 200


@bp.post("/stands/<int:stand_id>/cancel")
@employer_required
def cancel_stand_booking(stand_id: int) -> Response:
    """Call off a stand request or booking."""
    stand = owned_stand(current_employer(), stand_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        cancel_stand(stand)
    except OperationError:
        flash(_("Dieser Stand ist bereits abgesagt."), "warning")
    else:
        flash(_("Der Stand ist abgesagt."), "success")
    return redirect(url_for(".stands"), code=303)
