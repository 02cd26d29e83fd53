"""Log-in and log-out for employers and organizers, password reset, and e-mail verification."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import db, limiter
from ..forms import value_of
from ..i18n import safe_next_path
from ..mail.dispatch import beside_response
from ..ratelimits import configured, counts_as_attempt, email_key
from .access import start_second_factor
from .forms import ActionForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from .models import Role, User
from .operations import authenticate, needs_verification, request_password_reset
from .operations import reset_password as set_new_password
from .operations import verify_email as confirm_email
from .sessions import SESSION_KEY, end_all_sessions, end_session, log_in
from .tokens import TokenPurpose, find_token

bp = Blueprint("accounts", __name__)


def home_for(user: object) -> str:
    """Where a user lands after logging in when no page was asked for."""
    if getattr(user, "role", None) == Role.EMPLOYER and getattr(user, "employer_id", None):
        return url_for("company_area.dashboard")
    if getattr(user, "is_staff", False):
        return url_for("organizer.dashboard")
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), key_func=email_key, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    """The one log-in page; after it, a redirect only to a path on this site."""
    form = LoginForm()
    if request.method != "POST":
        form.next.data = safe_next_path(request.args.get("next"), "")
    error = None
    if form.validate_on_submit():
        user = authenticate(value_of(form.email), value_of(form.password, strip=False))
        if user is None:
            error = _("E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal.")
        elif needs_verification(user):
            error = _(
                "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Den Link dazu haben wir Ihnen nach der "
                "Registrierung geschickt."
            )
        elif user.is_staff:  # admins and organizers: the second factor comes before the session
            return start_second_factor(user, form.next.data or "")
        else:
            log_in(user)
            return redirect(safe_next_path(form.next.data, home_for(user)), code=303)
    status = 200 if request.method != "POST" or not (error or form.errors) else 422
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
def logout() -> Response:
    """End this browser's session, on the server too: a copy of its cookie opens nothing afterwards."""
    end_session(current_user if current_user.is_authenticated else None)
    logout_user()
    return redirect(url_for("public.home"), code=303)


@bp.post("/logout/everywhere")
def logout_everywhere() -> Response:
    """End every session of the logged-in user, in every browser."""
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        if user is not None:
            end_all_sessions(user)
        session.pop(SESSION_KEY, None)
        logout_user()
        flash(_("Sie sind jetzt überall abgemeldet."), "success")
    return redirect(url_for("public.home"), code=303)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_PASSWORD_RESET"), methods=["POST"], deduct_when=counts_as_attempt)
def forgot_password() -> str | tuple[str, int]:
    """Ask for a reset link; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        beside_response(request_password_reset, form.email.data, str(get_locale()))  # same answer and timing
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password with a reset link; the link works once and for an hour."""
    found = find_token(token, TokenPurpose.RESET_PASSWORD)
    if found is None:
        return render_template("accounts/link_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        set_new_password(found, value_of(form.password, strip=False))
        logout_user()
        return render_template("accounts/reset_done.html")
    return render_template("accounts/reset.html", form=form), 422 if form.errors else 200


@bp.get("/verify/<token>")
def verify_email(token: str) -> str | tuple[str, int]:
    """The page behind a verification link: a button, because a GET never changes anything."""
    found = find_token(token, TokenPurpose.VERIFY_EMAIL)
    if found is None:
        return render_template("accounts/link_invalid.html"), 404
    return render_template("accounts/verify.html", form=ActionForm(), token=token)


@bp.post("/verify/<token>")
def verify_email_submit(token: str) -> str | tuple[str, int]:
    """Confirm the address."""
    found = find_token(token, TokenPurpose.VERIFY_EMAIL)
    form = ActionForm()
    if found is None or not form.validate_on_submit():
        return render_template("accounts/link_invalid.html"), 404
    user = confirm_email(found)
    return render_template("accounts/verified.html", user=user)
