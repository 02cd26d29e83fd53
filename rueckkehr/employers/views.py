"""Public employer pages: the list of approved employers, one employer's profile, and its logo."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.access import can_see_town, passed_second_factor
from ..extensions import db
from . import logos
from .models import Employer
from .queries import (
    board_counts,
    employer_board_vacancies,
    employer_stand_events,
    get_public_employer,
    public_employers,
)

bp = Blueprint("employer_pages", __name__, url_prefix="/employers")


@bp.get("")
def index() -> str:
    """Approved employers with the number of their open vacancies."""
    employers = public_employers()
    return render_template(
        "employers/index.html", employers=employers, counts=board_counts([employer.id for employer in employers])
    )


@bp.get("/<int:employer_id>")
def detail(employer_id: int) -> str:
    """An approved employer: profile, vacancies on the board, and the events where it has a stand."""
    employer = get_public_employer(employer_id) or abort(404)
    return render_template(
        "employers/detail.html",
        employer=employer,
        vacancies=employer_board_vacancies(employer),
        events=employer_stand_events(employer),
    )


@bp.get("/<int:employer_id>/logo/<filename>")
def logo(employer_id: int, filename: str) -> Response:
    """The logo, with its image type; of approved employers for everyone, of others (and a new logo waiting for its
    second look) for their own users and the organizers of their town only."""
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        abort(404)
    own = current_user.is_authenticated and getattr(current_user, "employer_id", None) == employer_id
    insider = own or (passed_second_factor() and can_see_town(employer.town_id))
    if filename not in (employer.logo_filename, employer.pending_logo_filename if insider else None):
        abort(404)
    if not (employer.is_approved or insider):
        abort(404)
    path = logos.logo_path(filename)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=logos.content_type(filename), max_age=86400 * 30)
    response.headers["Content-Disposition"] = "inline"
    return response
