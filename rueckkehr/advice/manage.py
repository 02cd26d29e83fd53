"""The advice worklist under /organizer/advice: who asked, who takes it on, what came of it; open per town."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from werkzeug.wrappers import Response
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..accounts.access import found_in_town, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..accounts.models import Role, User, organizer_towns
from ..extensions import db
from ..forms import no_control_characters, value_of
from ..returnees.forms import INTERESTS
from . import operations
from .models import AdviceStatus, AdviceTalk
from .queries import asks_for_advice, open_per_town, worklist

bp = Blueprint("advice_manage", __name__, url_prefix="/organizer/advice")

STATUS_LABELS = {
    AdviceStatus.OPEN: _l("offen"),
    AdviceStatus.ASSIGNED: _l("übernommen"),
    AdviceStatus.DONE: _l("erledigt"),
}


class TalkForm(FlaskForm):
    """Contact person, state and the outcome of a talk."""

    contact = SelectField(_l("Ansprechperson"))
    status = SelectField(_l("Stand"), choices=[(status.value, label) for status, label in STATUS_LABELS.items()])
    outcome = TextAreaField(
        _l("Ergebnis (nur für Organisatoren sichtbar)"),
        validators=[
            Length(max=5000, message=_l("Bitte kürzen Sie auf höchstens 5000 Zeichen.")),
            no_control_characters,
        ],
    )

    def validate_contact(self, field: SelectField) -> None:
        """A talk taken on is taken on by someone: the list would show it as taken with nobody to call back."""
        if self.status.data == AdviceStatus.ASSIGNED.value and not field.data:
            raise ValidationError(_("Wer übernimmt das Gespräch? Bitte wählen Sie eine Ansprechperson."))


def contacts_for(town_id: int) -> list[User]:
    """Who can take on a talk of this town: its organizers and the admins."""
    return list(
        db.session.scalars(
            select(User)
            .outerjoin(organizer_towns, organizer_towns.c.user_id == User.id)
            .where(User.active.is_(True), or_(User.role == Role.ADMIN, organizer_towns.c.town_id == town_id))
            .distinct()
            .order_by(User.email)
        )
    )


@bp.get("")
@staff_required
def index() -> str:
    """The worklist, open requests first; what is open per town."""
    wanted = request.args.get("status", "")
    status = AdviceStatus(wanted) if wanted in {status.value for status in AdviceStatus} else None
    listed = worklist(visible_town_ids(), status)
    counts = open_per_town(visible_town_ids())
    return render_template(
        "advice/index.html",
        requests=listed.requests,
        total=listed.total,
        counts=counts,
        wanted=wanted,
        labels=STATUS_LABELS,
        action_form=ActionForm(),
    )


@bp.post("/take")
@staff_required
def take() -> Response:
    """Take a request on: the talk is made with oneself as contact person."""
    profile_id, town_id = request.form.get("profile_id", ""), request.form.get("town_id", "")
    if not (profile_id.isdecimal() and town_id.isdecimal() and len(profile_id) < 10 and len(town_id) < 10):
        abort(404)
    pair = (int(profile_id), int(town_id))
    if not asks_for_advice(*pair, visible_town_ids()) or not ActionForm().validate_on_submit():
        abort(404)
    talk = operations.take_on(*pair, contact_user_id=current_user.id)
    flash(_("Sie haben das Gespräch übernommen."), "success")
    return redirect(url_for(".talk", talk_id=talk.id), code=303)


@bp.route("/<int:talk_id>", methods=["GET", "POST"])
@staff_required
def talk(talk_id: int) -> str | Response | tuple[str, int]:
    """One talk: the returnee's contact details and what they asked about, the contact person, the outcome."""
    found = found_in_town(AdviceTalk, talk_id, lambda talk: talk.town_id)
    form = TalkForm()
    people = contacts_for(found.town_id)
    form.contact.choices = [("", _("niemand"))] + [(str(user.id), user.full_name or user.email) for user in people]
    if request.method != "POST":
        form.contact.data = str(found.contact_user_id or "")
        form.status.data = found.status.value
        form.outcome.data = found.outcome
    if form.validate_on_submit():
        contact = int(form.contact.data) if form.contact.data else None
        operations.note(
            found, contact_user_id=contact, status=AdviceStatus(form.status.data), outcome=value_of(form.outcome)
        )
        flash(_("Gespeichert."), "success")
        return redirect(url_for(".talk", talk_id=found.id), code=303)
    interests = [str(label) for value, label in INTERESTS if value in found.profile.interests]
    return render_template(
        "advice/talk.html", talk=found, form=form, labels=STATUS_LABELS, interests=interests
    ), 422 if form.errors else 200
