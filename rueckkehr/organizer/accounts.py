"""Admins manage the workspace's accounts in the browser: invite, role and towns, deactivate, reset a lost factor.

The invited person sets a password behind the link from the mail (a page with a form; the POST acts).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..accounts import second_factor
from ..accounts.access import admin_required, found
from ..accounts.forms import ActionForm
from ..accounts.models import Role, User
from ..accounts.tokens import TokenPurpose, find_token
from ..extensions import db
from ..forms import value_of
from ..places.models import Town
from . import operations
from .forms import InviteForm, JoinForm, StaffForm

bp = Blueprint("organizer_accounts", __name__)


def _towns() -> list[Town]:
    return list(db.session.scalars(select(Town).order_by(Town.sort_order)))


def _chosen(form: InviteForm | StaffForm, towns: list[Town]) -> list[Town]:
    wanted = set(form.towns.data or [])
    return [town for town in towns if str(town.id) in wanted]


def staff_user(user_id: int) -> User:
    """An admin or organizer account, or a 404 (employers' accounts are not managed here)."""
    user = found(User, user_id)
    if not user.is_staff:
        abort(404)
    return user


@bp.route("/organizer/accounts", methods=["GET", "POST"])
@admin_required
def index() -> str | Response | tuple[str, int]:
    """Every admin and organizer, and the invitation of a new one."""
    towns = _towns()
    form = InviteForm()
    form.set_towns(towns)
    if request.method != "POST":
        form.role.data = Role.ORGANIZER.value
    if form.validate_on_submit():
        try:
            operations.invite_staff(
                value_of(form.email),
                value_of(form.full_name),
                Role(form.role.data),
                _chosen(form, towns),
                str(get_locale()),
            )
        except operations.AccountError:
            form.email.errors = [_("Für diese Adresse gibt es schon ein Konto.")]
        else:
            flash(_("Die Einladung ist verschickt."), "success")
            return redirect(url_for(".index"), code=303)
    users = db.session.scalars(
        select(User)
        .where(User.role.in_((Role.ADMIN, Role.ORGANIZER)))
        .options(selectinload(User.towns))
        .order_by(User.email)
    )
    return render_template("organizer/accounts.html", users=list(users), form=form), 422 if form.errors else 200


@bp.route("/organizer/accounts/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit(user_id: int) -> str | Response | tuple[str, int]:
    """One account: role and towns, deactivate or activate, reset the second factor, resend the invitation."""
    user = staff_user(user_id)
    towns = _towns()
    form = StaffForm()
    form.set_towns(towns)
    if request.method != "POST":
        form.role.data = user.role.value
        form.towns.data = [str(town.id) for town in user.towns]
    if form.validate_on_submit():
        try:
            operations.change_role(user, Role(form.role.data), _chosen(form, towns), current_user.id)
        except operations.AccountError:
            flash(_("Ihr eigenes Konto bleibt Admin."), "warning")
        else:
            flash(_("Rolle und Städte sind gespeichert."), "success")
        return redirect(url_for(".edit", user_id=user.id), code=303)
    return render_template(
        "organizer/account.html", user=user, form=form, action_form=ActionForm()
    ), 422 if form.errors else 200


@bp.post("/organizer/accounts/<int:user_id>/<action>")
@admin_required
def act(user_id: int, action: str) -> Response:
    """Deactivate, activate, reset the second factor, or resend the invitation."""
    user = staff_user(user_id)
    if action not in ("deactivate", "activate", "reset-factor", "resend") or not ActionForm().validate_on_submit():
        abort(404 if action not in ("deactivate", "activate", "reset-factor", "resend") else 400)
    try:
        if action in ("deactivate", "activate"):
            operations.set_active(user, action == "activate", current_user.id)
            flash(_("Das Konto ist aktiviert.") if action == "activate" else _("Das Konto ist deaktiviert."), "success")
        elif action == "reset-factor":
            if user.id == current_user.id:
                raise operations.AccountError("self")
            second_factor.reset(user)
            flash(
                _("Der zweite Faktor ist zurückgesetzt: Beim nächsten Anmelden richtet die Person ihn neu ein."),
                "success",
            )
        else:
            operations.resend_invitation(user, str(get_locale()))
            flash(_("Die Einladung ist erneut verschickt."), "success")
    except operations.AccountError:
        flash(_("Das ist für dieses Konto nicht möglich."), "warning")
    return redirect(url_for(".edit", user_id=user.id), code=303)


@bp.route("/organizer/join/<token>", methods=["GET", "POST"])
def join(token: str) -> str | Response | tuple[str, int]:
    """The invited person chooses a name and password; only the POST changes anything."""
    found_token = find_token(token, TokenPurpose.STAFF_INVITE)
    if found_token is None or found_token.user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = JoinForm()
    if request.method != "POST":
        form.full_name.data = found_token.user.full_name
    if form.validate_on_submit():
        operations.accept_invitation(found_token, value_of(form.full_name), value_of(form.password, strip=False))
        flash(
            _("Ihr Konto ist eingerichtet. Bitte melden Sie sich an; danach richten Sie den zweiten Faktor ein."),
            "success",
        )
        return redirect(url_for("accounts.login"), code=303)
    return render_template("organizer/join.html", form=form, email=found_token.user.email), 422 if form.errors else 200
