"""The company's colleagues, in the company's own area: invite (limited, and only once the company is approved),
join by the invitation's link, remove a colleague or one's own account after a confirmation step.

A company always keeps at least one user. The routes belong to the ``company_area`` blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from ..accounts.forms import ActionForm
from ..accounts.models import User
from ..accounts.tokens import TokenPurpose, find_token
from ..extensions import db, limiter
from ..forms import value_of
from ..ratelimits import configured, counts_as_attempt, email_key, user_key
from .company_area import bp, current_employer, employer_required, language
from .forms import InviteForm, JoinForm
from .models import Employer
from .operations import LastUserError, OperationError, accept_invitation, invite_colleague, remove_user


def company_key() -> str:
    """Rate-limit key: the logged-in user's company, whoever of its users invites."""
    return f"employer:{getattr(current_user, 'employer_id', None)}"


@bp.route("/colleagues", methods=["GET", "POST"])
@limiter.limit(
    configured("RATELIMIT_INVITATIONS_PER_USER"), key_func=user_key, methods=["POST"], deduct_when=counts_as_attempt
)
@limiter.limit(
    configured("RATELIMIT_INVITATIONS_PER_COMPANY"),
    key_func=company_key,
    methods=["POST"],
    deduct_when=counts_as_attempt,
)
@limiter.limit(
    configured("RATELIMIT_INVITATIONS_PER_ADDRESS"), key_func=email_key, methods=["POST"], deduct_when=counts_as_attempt
)
@employer_required
def colleagues() -> str | Response | tuple[str, int]:
    """The company's users; invite a colleague by e-mail once the company is approved."""
    employer = current_employer()
    form = InviteForm()
    if employer.is_approved and form.validate_on_submit():
        invite_colleague(employer, current_user, value_of(form.email), language())
        flash(_("Die Einladung ist verschickt."), "success")
        return redirect(url_for(".colleagues"), code=303)
    return render_template("employers/colleagues.html", employer=employer, form=form), 422 if form.errors else 200


def _colleague(user_id: int) -> User:
    """Another user of the logged-in user's company, or a 404."""
    user = db.session.get(User, user_id)
    if user is None or user.employer_id != current_employer().id or user.id == current_user.id:
        abort(404)
    return user


@bp.route("/colleagues/<int:user_id>/remove", methods=["GET", "POST"])
@employer_required
def remove_colleague(user_id: int) -> str | Response:
    """Remove a colleague's account and personal data, after a confirmation; the company's vacancies stay."""
    user = _colleague(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("employers/colleague_remove.html", user=user, form=form)
    remove_user(user)
    flash(_("Das Konto ist gelöscht."), "success")
    return redirect(url_for(".colleagues"), code=303)


@bp.route("/account/delete", methods=["GET", "POST"])
@employer_required
def delete_account() -> str | Response:
    """Delete one's own account and personal data, after a confirmation; the company and its vacancies stay.

    The last user of a company cannot leave it without anybody who can log in.
    """
    user = db.session.get(User, current_user.id) or abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("employers/account_delete.html", employer=current_employer(), form=form)
    try:
        remove_user(user)
    except LastUserError:
        flash(
            _(
                "Sie sind die letzte Person mit Zugang zu Ihrem Unternehmen. Laden Sie zuerst eine Kollegin oder "
                "einen Kollegen ein."
            ),
            "warning",
        )
        return redirect(url_for(".dashboard"), code=303)
    logout_user()
    flash(_("Ihr Konto und Ihre persönlichen Daten sind gelöscht."), "success")
    return redirect(url_for("public.home"), code=303)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> str | Response | tuple[str, int]:
    """An invited colleague chooses a name and password; the account is made only by the POST."""
    found = find_token(token, TokenPurpose.INVITE)
    if found is None:
        return render_template("accounts/link_invalid.html"), 404
    employer = db.session.get(Employer, found.employer_id) or abort(404)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            accept_invitation(found, value_of(form.full_name), value_of(form.password, strip=False), language())
        except OperationError:
            return render_template("accounts/link_invalid.html"), 404
        flash(_("Ihr Konto ist eingerichtet. Bitte melden Sie sich an."), "success")
        return redirect(url_for("accounts.login"), code=303)
    return render_template(
        "employers/join.html", form=form, employer=employer, email=found.email
    ), 422 if form.errors else 200
