"""The second factor's pages: the code after the password, the first enrolment, and one's own security page.

After the password the session holds only who is on the way (``accounts.access.PENDING_KEY``), for ten minutes;
nobody is logged in until a code from the app or an unused recovery code is given. Both steps are rate-limited per
person and per client address.
"""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts import second_factor
from ..accounts.access import PENDING_KEY, log_in_staff, staff_required
from ..accounts.forms import ActionForm
from ..accounts.models import User
from ..extensions import db, limiter
from ..forms import value_of
from ..ratelimits import configured
from .forms import CodeForm, EnrolForm

bp = Blueprint("organizer_security", __name__)

PENDING_SECONDS = 600
ENROL_SECRET_KEY = "rk_enrol_secret"  # noqa: S105 (a session key, not a secret)


def pending_user() -> User | None:
    """The admin or organizer who gave their password in this session in the last ten minutes, if any."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user_id, _sep, version = str(pending.get("user", "")).partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdecimal() and len(user_id) < 10 else None
    if user is None or not user.active or not user.is_staff or str(user.session_version) != version:
        return None
    return user


def pending_key() -> str:
    """Rate-limit key: the person on the way, whichever host they try from."""
    pending = session.get(PENDING_KEY)
    return "second-factor:" + (str(pending.get("user")) if isinstance(pending, dict) else "none")


def _finish(user: User, remember: bool) -> Response:
    """Log in, forget the pending step, and remember this device for 30 days if asked."""
    target = str(session.get(PENDING_KEY, {}).get("next") or url_for("organizer.dashboard"))
    log_in_staff(user)
    response = redirect(target, code=303)
    if remember:
        response.set_cookie(
            second_factor.REMEMBER_COOKIE,
            second_factor.remember_token(user),
            max_age=second_factor.REMEMBER_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def _expired() -> Response:
    flash(_("Bitte melden Sie sich noch einmal an."), "info")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_SECOND_FACTOR"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_SECOND_FACTOR"), key_func=pending_key, methods=["POST"])
def challenge() -> str | Response | tuple[str, int]:
    """The code from the app (or a recovery code), after the password."""
    user = pending_user()
    if user is None:
        return _expired()
    if user.totp_secret is None:
        return redirect(url_for(".enrol"), code=303)
    form = CodeForm()
    if form.validate_on_submit():
        code = value_of(form.code)
        if second_factor.verify(user, code) or second_factor.use_recovery_code(user, code):
            return _finish(user, bool(form.remember.data))
        form.code.errors = [_("Dieser Code stimmt nicht oder wurde schon benutzt. Bitte versuchen Sie es noch einmal.")]
    return render_template("organizer/challenge.html", form=form), 422 if form.errors else 200


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_SECOND_FACTOR"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_SECOND_FACTOR"), key_func=pending_key, methods=["POST"])
def enrol() -> str | Response | tuple[str, int]:
    """The first log-in of an admin or organizer: scan the QR code (or type the secret), confirm with a code."""
    user = pending_user()
    if user is None:
        return _expired()
    if user.totp_secret is not None:
        return redirect(url_for(".challenge"), code=303)
    secret = session.get(ENROL_SECRET_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = second_factor.new_secret()
        session[ENROL_SECRET_KEY] = secret  # only in the signed session until the first code proves it
    form = EnrolForm()
    if form.validate_on_submit():
        codes = second_factor.enable(user, secret, value_of(form.code))
        if codes is not None:
            session.pop(ENROL_SECRET_KEY, None)
            response = _finish(user, remember=False)
            return render_template("organizer/recovery_codes.html", codes=codes, first=True, next_url=response.location)
        form.code.errors = [
            _("Dieser Code stimmt nicht. Prüfen Sie die Uhrzeit Ihres Telefons und versuchen Sie es noch einmal.")
        ]
    uri = second_factor.provisioning_uri(user, secret)
    return render_template(
        "organizer/enrol.html",
        form=form,
        qr=second_factor.qr_svg(uri),
        secret=second_factor.grouped(secret),
        email=user.email,
    ), 422 if form.errors else 200


@bp.route("/organizer/security", methods=["GET", "POST"])
@staff_required
def security() -> str | Response:
    """One's own second factor: recovery codes left, ten new ones, forget this device."""
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        user = db.session.get(User, current_user.id) or abort(404)
        action = request.form.get("action")
        if action == "forget":
            response = make_response(redirect(url_for(".security"), code=303))
            response.delete_cookie(second_factor.REMEMBER_COOKIE)
            flash(_("Dieses Gerät fragt beim nächsten Anmelden wieder nach dem Code."), "success")
            return response
        if action != "renew":  # only the button's own word renews; anything else changes nothing
            abort(400)
        codes = second_factor.renew_recovery_codes(user)
        return render_template("organizer/recovery_codes.html", codes=codes, first=False, next_url=url_for(".security"))
    return render_template(
        "organizer/security.html",
        left=second_factor.recovery_codes_left(current_user),
        remembered=second_factor.is_remembered(current_user, request.cookies.get(second_factor.REMEMBER_COOKIE)),
        form=form,
    )
