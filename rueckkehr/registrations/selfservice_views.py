"""Registrations seen through a returnee's links: cancel from the self-service overview, and the calendar's link
that shows and cancels one registration only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..actors import acting_as, returnee
from ..extensions import db
from ..returnees.links import InvalidLinkError
from ..returnees.models import ReturneeProfile
from ..returnees.views import invalid_link, with_profile
from .links import registration_from_token
from .models import Registration
from .operations import cancel

bp = Blueprint("registration_links", __name__)


@bp.post("/me/<token>/registrations/<int:registration_id>/cancel")
@with_profile
def cancel_from_overview(profile: ReturneeProfile, token: str, registration_id: int) -> Response:
    """Cancel a registration or leave the waiting list."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.profile_id != profile.id:
        abort(404)
    cancel(registration.id)
    flash(_("Ihre Anmeldung für „%(title)s“ ist storniert.", title=registration.event.title), "success")
    return redirect(url_for("selfservice.overview", token=token), code=303)


@bp.route("/registration/<token>", methods=["GET", "POST"])
def calendar_link(token: str) -> str | tuple[str, int]:
    """The calendar's link: shows one registration and can cancel it, nothing else."""
    try:
        found = registration_from_token(token)
    except InvalidLinkError:
        return invalid_link()
    if request.method == "POST" and found.is_active:
        with acting_as(returnee(found.profile_id)):
            found = cancel(found.id)
    return render_template("selfservice/registration.html", registration=found, event=found.event)
