"""The organizers' editor of their towns' pages under /organizer/towns."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..accounts.access import can_see_town, in_visible_towns, staff_required
from ..accounts.forms import name_field
from ..events.queries import town_by_slug
from ..extensions import db
from ..forms import email_field, no_control_characters, value_of
from ..i18n import format_phone
from ..places.models import Town
from ..returnees.forms import parse_phone
from .operations import TownPage, update_town_page

bp = Blueprint("towns_manage", __name__, url_prefix="/organizer/towns")
MARKDOWN_HINT = _l("Markdown: **fett**, *kursiv*, Listen mit „- “, Links als [Text](https://…).")


def _text(label: object) -> TextAreaField:
    return TextAreaField(label, description=MARKDOWN_HINT, validators=[Length(max=20_000), no_control_characters])  # type: ignore[arg-type]


class TownPageForm(FlaskForm):
    """The page's sections and the contact person for returnees."""

    page_intro = _text(_l("Einleitung"))
    page_work = _text(_l("Arbeiten"))
    page_housing = _text(_l("Wohnen und Bauland"))
    page_childcare = _text(_l("Kita und Schulen"))
    page_leisure = _text(_l("Freizeit"))
    # Required: the town's page names the person and every mail of the town is signed and answered by them (a town
    # without one sends its mails with nobody to answer them, never with another town's contact).
    contact_name = name_field(
        _l("Ansprechperson für Rückkehrer"), missing=_l("Bitte geben Sie den Namen der Ansprechperson an.")
    )
    contact_email = email_field(
        _l("E-Mail-Adresse der Ansprechperson"),
        _l("Antworten auf die E-Mails der Stadt gehen an diese Adresse."),
        missing=_l("Bitte geben Sie die E-Mail-Adresse der Ansprechperson an."),
    )
    contact_phone = StringField(_l("Telefon der Ansprechperson"), validators=[Optional(), Length(max=40)])

    def validate_contact_phone(self, field: Field) -> None:
        """Any international number; a national one is read as German."""
        if parse_phone(field.data) is None:
            raise ValidationError(_l("Bitte geben Sie eine gültige Telefonnummer an, z. B. +49 3573 1234567."))

    def page(self) -> TownPage:
        """The typed page."""
        phone = parse_phone(self.contact_phone.data) if value_of(self.contact_phone) else None
        return TownPage(
            page_intro=value_of(self.page_intro),
            page_housing=value_of(self.page_housing),
            page_childcare=value_of(self.page_childcare),
            page_leisure=value_of(self.page_leisure),
            page_work=value_of(self.page_work),
            contact_name=value_of(self.contact_name),
            contact_email=value_of(self.contact_email),
            contact_phone=phone or "",
        )


@bp.get("")
@staff_required
def index() -> str:
    """The organizer's towns."""
    towns = db.session.scalars(select(Town).where(in_visible_towns(Town.id)).order_by(Town.sort_order))
    return render_template("towns/manage/index.html", towns=list(towns))


@bp.route("/<slug>", methods=["GET", "POST"])
@staff_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    """Edit one town's page and contact person."""
    town = town_by_slug(slug)
    if town is None or not can_see_town(town.id):
        abort(404)
    form = TownPageForm(obj=town if request.method != "POST" else None)
    if request.method != "POST":
        form.contact_phone.data = format_phone(town.contact_phone)
    if form.validate_on_submit():
        if update_town_page(town, form.page()):
            flash(_("Die Seite ist gespeichert."), "success")
        return redirect(url_for("towns.detail", slug=town.slug), code=303)
    return render_template("towns/manage/edit.html", town=town, form=form), 422 if form.errors else 200
