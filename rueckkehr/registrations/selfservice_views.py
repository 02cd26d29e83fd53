"""Registrations seen through a returnee's links: cancel (after asking once) and change the companions from the
self-service overview, and the calendar's link that shows and cancels one registration only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from ..actors import acting_as, returnee
from ..extensions import db
from ..returnees.links import InvalidLinkError
from ..returnees.models import ReturneeProfile
from ..returnees.views import invalid_link, with_profile
from .forms import CompanionsForm
from .links import registration_from_token
from .models import Registration, RegistrationStatus
from .operations import NoSeatsForCompanionsError, RegistrationClosedError, cancel, change_companions
from .seats import seats_left, waiting_rank

bp = Blueprint("registration_links", __name__)

# Ids above PostgreSQL's integer are no row: the route answers 404 before the database is asked.


def _own(profile: ReturneeProfile, registration_id: int) -> Registration:
    """One of the profile's registrations, or a 404 (another person's id shows nothing)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.profile_id != profile.id:
        abort(404)
    return registration


@bp.route("/me/<token>/registrations/<int(max=2147483647):registration_id>/cancel", methods=["GET", "POST"])
@with_profile
def cancel_from_overview(profile: ReturneeProfile, token: str, registration_id: int) -> str | Response:
    """Ask once what cancelling means for the seat; the POST cancels the registration or leaves the waiting list."""
    registration = _own(profile, registration_id)
    back = url_for("selfservice.overview", token=token)
    if request.method != "POST" or not registration.changeable:
        return _ask_before_cancelling(registration, back)
    was_waiting = registration.status == RegistrationStatus.WAITING
    cancel(registration.id)
    if was_waiting:
        flash(_("Sie haben die Warteliste für „%(title)s“ verlassen.", title=registration.event.title), "success")
    else:
        flash(_("Ihre Anmeldung für „%(title)s“ ist storniert.", title=registration.event.title), "success")
    return redirect(back, code=303)


@bp.route("/me/<token>/registrations/<int(max=2147483647):registration_id>/companions", methods=["GET", "POST"])
@with_profile
def companions(profile: ReturneeProfile, token: str, registration_id: int) -> str | Response | tuple[str, int]:
    """Change the number of companions; more only as far as free seats allow, else the size stays and we say why."""
    registration = _own(profile, registration_id)
    if not registration.changeable:
        abort(404)
    form = CompanionsForm(data=None if request.method == "POST" else {"companions": str(registration.companions)})
    if form.validate_on_submit():
        try:
            change_companions(registration.id, int(form.companions.data))
        except NoSeatsForCompanionsError as full:
            form.companions.errors = [_no_seats_for(full.seats_left)]
        except RegistrationClosedError:
            form.companions.errors = [
                _("Weitere Begleitpersonen nehmen wir nicht mehr an: Die Anmeldung ist geschlossen.")
            ]
        else:
            flash(_("Die Zahl Ihrer Begleitpersonen ist geändert."), "success")
            return redirect(url_for("selfservice.overview", token=token), code=303)
    return render_template(
        "selfservice/companions.html",
        form=form,
        registration=registration,
        event=registration.event,
        seats_left=seats_left(registration.event),
        token=token,
    ), 422 if form.errors else 200


def _no_seats_for(seats_left: int) -> str:
    """Why the companions could not be added: how many seats are left, or that none are."""
    if seats_left <= 0:
        return str(
            _(
                "Es ist kein Platz mehr frei, Sie können also keine weiteren Begleitpersonen mitbringen. "
                "Ihre Anmeldung bleibt, wie sie ist."
            )
        )
    return str(
        ngettext(
            "Es ist nur noch %(num)d Platz frei. Ihre Anmeldung bleibt, wie sie ist.",
            "Es sind nur noch %(num)d Plätze frei. Ihre Anmeldung bleibt, wie sie ist.",
            seats_left,
        )
    )


def _calendar_registration(token: str) -> Registration | None:
    try:
        return registration_from_token(token)
    except InvalidLinkError:
        return None


@bp.get("/registration/<token>")
def calendar_link(token: str) -> str | tuple[str, int]:
    """The calendar's link: shows one registration and leads to cancelling it, nothing else."""
    found = _calendar_registration(token)
    if found is None:
        return invalid_link()
    return render_template("selfservice/registration.html", registration=found, event=found.event, token=token)


@bp.route("/registration/<token>/cancel", methods=["GET", "POST"])
def cancel_from_calendar(token: str) -> str | tuple[str, int]:
    """Ask once, then cancel the registration the calendar's link names."""
    found = _calendar_registration(token)
    if found is None:
        return invalid_link()
    back = url_for(".calendar_link", token=token)
    if request.method == "POST" and found.changeable:
        with acting_as(returnee(found.profile_id)):
            found = cancel(found.id)
        return render_template("selfservice/registration.html", registration=found, event=found.event, token=token)
    return _ask_before_cancelling(found, back)


def _ask_before_cancelling(registration: Registration, back: str) -> str:
    """The question before cancelling: what happens to the seat (or the place in line) and to the calendar entry."""
    rank = waiting_rank(registration) if registration.status == RegistrationStatus.WAITING else None
    return render_template(
        "selfservice/cancel.html", registration=registration, event=registration.event, back=back, rank=rank
    )
