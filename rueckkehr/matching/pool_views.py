"""The returnee pool for approved employers under /employer/pool: anonymous cards, a card, "Kontakt anfragen"
(limited per employer and day), and the company's requests with their answers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..employers.company_area import current_employer, employer_required
from ..employers.models import Employer
from ..extensions import db, limiter
from ..forms import SKILL_LEVELS, value_of
from ..occupations.models import OccupationArea
from ..places.models import Town
from ..ratelimits import configured
from .forms import ContactForm
from .models import ContactRequest
from .pool import PoolFilter, card_entry, search_pool, visible_card
from .pool_operations import ContactError, request_contact

bp = Blueprint("pool", __name__, url_prefix="/employer/pool")


def employer_key() -> str:
    """Rate-limit key: the logged-in user's company, whoever of its users asks."""
    return f"employer:{current_user.employer_id}"


def approved_employer() -> Employer:
    """The logged-in user's company if it is approved; the pool is only for approved employers, and the others are
    told why (403)."""
    employer = current_employer()
    if not employer.is_approved:
        abort(make_response(render_template("matching/pool_not_yet.html", employer=employer), 403))
    return employer


def parse_pool_filter(args: dict[str, str], areas: list[OccupationArea], towns: list[Town]) -> PoolFilter:
    """The pool's filters from the URL; unknown values are dropped, never an error."""
    filters = PoolFilter()
    field = args.get("field", "")
    if field in {area.code for area in areas}:
        filters.area = field
    elif field in {group.code for area in areas for group in area.groups}:
        filters.group = field
    if args.get("level", "") in {value for value, _label in SKILL_LEVELS}:
        filters.level = int(args["level"])
    if args.get("town", "") in {town.slug for town in towns}:
        filters.town = args["town"]
    back = args.get("by", "")
    if len(back) == 7 and back[4] == "-" and (back[:4] + back[5:]).isdecimal():
        filters.returning_by = back
    page = args.get("page", "1")
    filters.page = int(page) if page.isdecimal() and 0 < int(page) <= 10_000 else 1
    return filters


@bp.get("")
@employer_required
def index() -> str:
    """Search the anonymous cards by field, level, region and earliest return."""
    employer = approved_employer()
    areas = list(db.session.scalars(select(OccupationArea).order_by(OccupationArea.code)))
    towns = list(db.session.scalars(select(Town).order_by(Town.sort_order)))
    filters = parse_pool_filter(request.args, areas, towns)
    view = search_pool(filters)
    args = {key: value for key, value in request.args.items() if key in ("field", "level", "town", "by") and value}
    return render_template(
        "matching/pool.html",
        employer=employer,
        view=view,
        filters=filters,
        areas=areas,
        towns=towns,
        skill_levels=SKILL_LEVELS,
        page_args=args,
    )


@bp.route("/<key>", methods=["GET", "POST"], endpoint="card")
@employer_required
@limiter.limit(
    configured("RATELIMIT_POOL_CONTACT"),
    key_func=employer_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 303,
)
def card_view(key: str) -> str | Response | tuple[str, int]:
    """One card and "Kontakt anfragen" with a short message."""
    employer = approved_employer()
    entry = card_entry(key)
    if entry is None:
        return render_template("matching/pool_card_gone.html", employer=employer), 404
    form = ContactForm()
    if form.validate_on_submit():
        try:
            request_contact(employer, current_user, entry, value_of(form.message))
        except ContactError:
            flash(_("Sie haben diese Person bereits angefragt. Bitte warten Sie auf die Antwort."), "warning")
            return redirect(url_for(".card", key=key), code=302)
        flash(_("Ihre Anfrage ist verschickt. Sie bekommen eine E-Mail, wenn die Person zustimmt."), "success")
        return redirect(url_for(".requests"), code=303)
    return render_template(
        "matching/pool_card.html", employer=employer, card=visible_card(entry), form=form, levels=dict(SKILL_LEVELS)
    ), 422 if form.errors else 200


@bp.get("/requests")
@employer_required
def requests() -> str:
    """The company's contact requests and their answers (never more than the answer's state)."""
    employer = approved_employer()
    found = list(
        db.session.scalars(
            select(ContactRequest)
            .where(ContactRequest.employer_id == employer.id)
            .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
        )
    )
    return render_template("matching/pool_requests.html", employer=employer, contact_requests=found)
