"""The self-service pages behind the personal link: no password, no account."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..database import utcnow
from ..extensions import limiter
from ..i18n import format_phone
from ..mail.dispatch import in_background
from ..ratelimits import email_key
from .forms import CodeForm, ConsentsForm, ProfileForm, ResendLinkForm
from .links import (
    InvalidLinkError,
    consent_from_unsubscribe_token,
    profile_from_manage_token,
    registration_from_token,
)
from .models import OPTIONAL_PURPOSES, ConsentPurpose, RegistrationStatus, ReturneeProfile
from .operations import cancel, waiting_rank
from .retention import pending_reconfirmation
from .retention import reconfirm as reconfirm_consents
from .selfservice import (
    InvalidCodeError,
    erase_profile,
    export_profile,
    give_consent,
    registrations_of,
    request_action_code,
    resend_link,
    revoke_links,
    update_profile,
    use_action_code,
    withdraw_consent,
)

bp = Blueprint("selfservice", __name__)


def invalid_link() -> tuple[str, int]:
    """The page for a changed, stale or revoked link: it offers a new one."""
    return render_template("selfservice/link_invalid.html", form=ResendLinkForm()), 410


def with_profile(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the self-service token to its profile, or answer with the invalid-link page."""

    @wraps(view)
    def wrapper(token: str, **kwargs: Any) -> Any:
        try:
            profile = profile_from_manage_token(token)
        except InvalidLinkError:
            return invalid_link()
        return view(profile=profile, token=token, **kwargs)

    return wrapper


def _profile_form_data(profile: ReturneeProfile) -> dict[str, Any]:
    return {
        "salutation": profile.salutation or "",
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "phone": format_phone(profile.phone),
        "postal_code": profile.postal_code,
        "city": profile.city,
        "country": profile.country,
        "hometown": profile.hometown.slug if profile.hometown else ("other" if profile.hometown_other else ""),
        "hometown_other": profile.hometown_other or "",
        "wished_towns": [town.slug for town in profile.wished_towns],
        "occupation_group": profile.occupation_group_code or "",
        "skill_level": str(profile.skill_level or ""),
        "working_times": profile.working_times,
        "earliest_return": profile.earliest_return or "",
        "interests": profile.interests,
        "partner_occupation_group": profile.partner_occupation_group_code or "",
        "partner_skill_level": str(profile.partner_skill_level or ""),
        "reason": profile.reason or "",
    }


@bp.get("/me/<token>")
@with_profile
def overview(profile: ReturneeProfile, token: str) -> str:
    """The returnee's registrations, consents and data."""
    registrations = registrations_of(profile)
    ranks = {r.id: waiting_rank(r) for r in registrations if r.status == RegistrationStatus.WAITING}
    consents = {purpose: profile.active_consent(purpose) for purpose in OPTIONAL_PURPOSES}
    return render_template(
        "selfservice/overview.html",
        profile=profile,
        token=token,
        registrations=registrations,
        ranks=ranks,
        reconfirmation_pending=pending_reconfirmation(profile),
        consents=consents,
        consents_form=ConsentsForm(
            data={f"consent_{purpose.value}": consent is not None for purpose, consent in consents.items()}
        ),
    )


@bp.post("/me/<token>/registrations/<int:registration_id>/cancel")
@with_profile
def cancel_registration(profile: ReturneeProfile, token: str, registration_id: int) -> Response:
    """Cancel a registration or leave the waiting list."""
    if registration_id not in {r.id for r in profile.registrations}:
        abort(404)
    registration = cancel(registration_id)
    flash(_("Ihre Anmeldung für „%(title)s“ ist storniert.", title=registration.event.title), "success")
    return redirect(url_for(".overview", token=token), code=303)


@bp.route("/me/<token>/profile", methods=["GET", "POST"])
@with_profile
def edit_profile(profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Change the profile."""
    form = ProfileForm(data=None if request.method == "POST" else _profile_form_data(profile), today=utcnow().date())
    if form.validate_on_submit():
        update_profile(profile, form.profile_data(), str(get_locale()))
        flash(_("Ihre Angaben sind gespeichert."), "success")
        return redirect(url_for(".overview", token=token), code=303)
    status = 422 if form.errors else 200
    return render_template("selfservice/profile.html", profile=profile, token=token, form=form), status


@bp.post("/me/<token>/consents")
@with_profile
def consents(profile: ReturneeProfile, token: str) -> Response:
    """Give or withdraw the optional consents."""
    form = ConsentsForm()
    if form.validate_on_submit():
        for purpose in OPTIONAL_PURPOSES:
            if getattr(form, f"consent_{purpose.value}").data:
                give_consent(profile, purpose)
            else:
                withdraw_consent(profile, purpose)
        flash(_("Ihre Einwilligungen sind gespeichert."), "success")
    return redirect(url_for(".overview", token=token), code=303)


@bp.route("/me/<token>/reconfirm", methods=["GET", "POST"])
@with_profile
def reconfirm(profile: ReturneeProfile, token: str) -> str | Response:
    """The yearly question: do the running consents go on? A page with a button; the POST confirms."""
    if request.method == "POST":
        reconfirm_consents(profile)
        flash(_("Danke! Ihre Einwilligungen gelten weiter."), "success")
        return redirect(url_for(".overview", token=token), code=303)
    consents = [purpose for purpose in OPTIONAL_PURPOSES if profile.active_consent(purpose) is not None]
    return render_template("selfservice/reconfirm.html", profile=profile, token=token, consents=consents)


@bp.post("/me/<token>/revoke")
@with_profile
def revoke(profile: ReturneeProfile, token: str) -> str:
    """Make every link sent so far invalid; a fresh one goes out by mail."""
    revoke_links(profile)
    return render_template("selfservice/revoked.html", email=profile.email)


def _code_action(action: str, profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Shared flow of export and erasure: request a code, then enter it."""
    form = CodeForm()
    if request.method == "POST" and request.form.get("step") == "request":
        request_action_code(profile, action)
        minutes = current_app.config["ACTION_CODE_MINUTES"]
        flash(
            _(
                "Wir haben Ihnen einen Code an %(email)s geschickt. Er gilt %(minutes)d Minuten.",
                email=profile.email,
                minutes=minutes,
            ),
            "info",
        )
        return redirect(url_for(f".{action}", token=token), code=303)
    if request.method == "POST" and form.validate_on_submit():
        try:
            use_action_code(profile, action, form.code.data)
        except InvalidCodeError:
            form.code.errors = [_("Der Code ist falsch oder abgelaufen. Fordern Sie bitte einen neuen an.")]
        else:
            if action == "export":
                body = json.dumps(export_profile(profile), ensure_ascii=False, indent=2)
                return Response(
                    body,
                    mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="rueckkehr-meine-daten.json"'},
                )
            erase_profile(profile.id)
            return render_template("selfservice/erased.html")
    status = 422 if form.errors else 200
    return render_template(f"selfservice/{action}.html", profile=profile, token=token, form=form), status


def code_limit() -> str:
    """How often codes may be tried (and requested) per link: six digits must not be guessable."""
    return current_app.config["RATELIMIT_ACTION_CODE"]


def token_key() -> str:
    """Rate-limit key: the self-service link, whichever host uses it."""
    return "token:" + (request.view_args or {}).get("token", "")


@bp.route("/me/<token>/export", methods=["GET", "POST"])
@limiter.limit(code_limit, key_func=token_key, methods=["POST"])
@with_profile
def export(profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Download all data as JSON, after a fresh code."""
    return _code_action("export", profile, token)


@bp.route("/me/<token>/erase", methods=["GET", "POST"])
@limiter.limit(code_limit, key_func=token_key, methods=["POST"])
@with_profile
def erase(profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Delete all data, after a fresh code."""
    return _code_action("erase", profile, token)


def resend_limit() -> str:
    """The configured limit for "Link erneut zusenden"."""
    return current_app.config["RATELIMIT_RESEND"]


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(resend_limit, methods=["POST"])
@limiter.limit(resend_limit, key_func=email_key, methods=["POST"])
def resend() -> str | tuple[str, int]:
    """ "Link erneut zusenden": the same answer for known and unknown addresses."""
    form = ResendLinkForm()
    if form.validate_on_submit():
        in_background(resend_link, form.email.data.strip().lower())  # the same answer, at once, known or not
        return render_template("selfservice/resent.html", email=form.email.data.strip().lower())
    return render_template("selfservice/resend.html", form=form), 422 if form.errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> str | tuple[str, int]:
    """Withdraw one consent: a page with a button; the POST acts."""
    try:
        profile, purpose = consent_from_unsubscribe_token(token)
    except InvalidLinkError:
        return invalid_link()
    done = request.method == "POST"  # CSRFProtect has checked the token of every POST
    if done:
        withdraw_consent(profile, purpose)
    return render_template("selfservice/unsubscribe.html", purpose=purpose, done=done, purposes=ConsentPurpose)


@bp.route("/registration/<token>", methods=["GET", "POST"])
def registration(token: str) -> str | tuple[str, int]:
    """The calendar's link: shows one registration and can cancel it, nothing else."""
    try:
        found = registration_from_token(token)
    except InvalidLinkError:
        return invalid_link()
    if request.method == "POST" and found.is_active:
        found = cancel(found.id)
    return render_template("selfservice/registration.html", registration=found, event=found.event)
