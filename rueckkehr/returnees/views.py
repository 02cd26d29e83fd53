"""The self-service pages behind the personal link: no password, no account.

Every view behind a link acts in the name of the returnee whose link it is (``actors.returnee``), so the audit trail
says "through their own link". The packages above add their parts to the overview (``signals.selfservice_sections``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..actors import acting_as, returnee
from ..addresses import normalise_email
from ..dates import utcnow
from ..extensions import csrf, limiter
from ..forms import value_of
from ..i18n import format_phone
from ..mail.dispatch import beside_response
from ..ratelimits import configured, counts_as_attempt, email_key
from .consents import CONSENT_TEXTS
from .forms import CodeForm, ConsentsForm, ProfileForm, ResendLinkForm
from .links import InvalidLinkError, consent_from_unsubscribe_token, profile_from_manage_token
from .models import OPTIONAL_PURPOSES, ConsentPurpose, ReturneeProfile
from .operations import (
    InvalidCodeError,
    erase_profile,
    export_profile,
    request_action_code,
    resend_link,
    revoke_links,
    set_optional_consents,
    update_profile,
    use_action_code,
    withdraw_consent,
)
from .readable import readable_export
from .retention import pending_reconfirmation
from .retention import reconfirm as reconfirm_consents
from .signals import Section, selfservice_sections

bp = Blueprint("selfservice", __name__)


@bp.app_context_processor
def consent_context() -> dict[str, object]:
    """The consent texts, for the registration form, the self-service page and the unsubscribe page."""
    return {"consent_texts": {purpose.value: text for purpose, text in CONSENT_TEXTS.items()}}


def invalid_link() -> tuple[str, int]:
    """The page for a changed, stale or revoked link: it offers a new one."""
    return render_template("selfservice/link_invalid.html", form=ResendLinkForm()), 410


def with_profile(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the self-service token to its profile and act in its owner's name, or show the invalid-link page."""

    @wraps(view)
    def wrapper(token: str, **kwargs: Any) -> Any:
        try:
            profile = profile_from_manage_token(token)
        except InvalidLinkError:
            return invalid_link()
        with acting_as(returnee(profile.id)):
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
        "working_times": [time.value for time in profile.working_times],
        "earliest_return": profile.earliest_return or "",
        "interests": profile.interests,
        "partner_occupation_group": profile.partner_occupation_group_code or "",
        "partner_skill_level": str(profile.partner_skill_level or ""),
        "reason": profile.reason or "",
    }


def _sections(profile: ReturneeProfile, token: str) -> list[Markup]:
    """The parts the packages above add to the overview, rendered in their order."""
    sections: list[Section] = []
    for _receiver, answer in selfservice_sections.send(profile, token=token):
        sections.extend(answer if isinstance(answer, list) else [answer] if answer else [])
    sections.sort(key=lambda section: section.order)
    return [
        Markup(render_template(section.template, token=token, profile=profile, **section.context))  # noqa: S704
        for section in sections
    ]


@bp.get("/me/<token>")
@with_profile
def overview(profile: ReturneeProfile, token: str) -> str:
    """The returnee's registrations, consents and data."""
    consents = {purpose: profile.active_consent(purpose) for purpose in OPTIONAL_PURPOSES}
    return render_template(
        "selfservice/overview.html",
        profile=profile,
        token=token,
        sections=_sections(profile, token),
        reconfirmation_pending=pending_reconfirmation(profile),
        consents=consents,
        consents_form=ConsentsForm(
            data={f"consent_{purpose.value}": consent is not None for purpose, consent in consents.items()}
        ),
    )


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
        wanted = {purpose for purpose in OPTIONAL_PURPOSES if getattr(form, f"consent_{purpose.value}").data}
        set_optional_consents(profile, wanted)
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
            use_action_code(profile, action, value_of(form.code))
        except InvalidCodeError as wrong:
            form.code.errors = [
                _("Der Code wurde fünfmal falsch eingegeben und gilt nicht mehr. Fordern Sie bitte einen neuen an.")
                if wrong.dead
                else _("Der Code ist falsch oder abgelaufen. Fordern Sie bitte einen neuen an.")
            ]
        else:
            if action == "export":
                return exported(profile, token)
            erase_profile(profile.id)
            return render_template("selfservice/erased.html")
    status = 422 if form.errors else 200
    return render_template(f"selfservice/{action}.html", profile=profile, token=token, form=form), status


def profile_key() -> str:
    """Rate-limit key: the profile the self-service link names, whichever host uses it and however the link is
    spelt (a signed link decodes alike with characters outside its alphabet inserted)."""
    try:
        return f"profile:{profile_from_manage_token(str((request.view_args or {}).get('token', ''))).id}"
    except InvalidLinkError:
        return "profile:none"


EXPORT_GRANT = "export_grant"
EXPORT_GRANT_MINUTES = 10


def exported(profile: ReturneeProfile, token: str) -> str:
    """After a valid code: the readable export as a page, and for a few minutes the JSON copy as a download."""
    until = utcnow() + timedelta(minutes=EXPORT_GRANT_MINUTES)
    session[EXPORT_GRANT] = {"p": profile.id, "k": profile.link_key, "until": until.timestamp()}
    export_profile(profile)  # the audit entry of showing it
    return render_template(
        "selfservice/exported.html",
        profile=profile,
        token=token,
        sections=readable_export(profile),
        minutes=EXPORT_GRANT_MINUTES,
    )


@bp.post("/me/<token>/export.json")
@with_profile
def export_json(profile: ReturneeProfile, token: str) -> Response:
    """The machine-readable copy (JSON, Art. 20 GDPR), for a few minutes after a valid code (a POST: it is an export,
    written to the audit trail)."""
    grant = session.get(EXPORT_GRANT) or {}
    if grant.get("p") != profile.id or grant.get("k") != profile.link_key or grant.get("until", 0) < time.time():
        flash(_("Bitte fordern Sie für den Download einen neuen Code an."), "info")
        return redirect(url_for(".export", token=token), code=303)
    body = json.dumps(export_profile(profile), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="rueckkehr-meine-daten.json"'},
    )


@bp.route("/me/<token>/export", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_ACTION_CODE"), key_func=profile_key, methods=["POST"])
@with_profile
def export(profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Download all data as JSON, after a fresh code."""
    return _code_action("export", profile, token)


@bp.route("/me/<token>/erase", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_ACTION_CODE"), key_func=profile_key, methods=["POST"])
@with_profile
def erase(profile: ReturneeProfile, token: str) -> str | Response | tuple[str, int]:
    """Delete all data, after a fresh code."""
    return _code_action("erase", profile, token)


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_RESEND"), methods=["POST"], deduct_when=counts_as_attempt)
@limiter.limit(configured("RATELIMIT_RESEND"), key_func=email_key, methods=["POST"], deduct_when=counts_as_attempt)
def resend() -> str | tuple[str, int]:
    """ "Link erneut zusenden": the same answer for known and unknown addresses."""
    form = ResendLinkForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        beside_response(resend_link, email)  # the same answer, at once, known or not
        return render_template("selfservice/resent.html", email=email)
    return render_template("selfservice/resend.html", form=form), 422 if form.errors else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail client's one-click POST carries no form token; the signed link is the proof
def unsubscribe(token: str) -> str | tuple[str, int]:
    """Withdraw one consent: a page with a button; the POST acts (also the mail client's one-click POST)."""
    try:
        profile, purpose = consent_from_unsubscribe_token(token)
    except InvalidLinkError:
        return invalid_link()
    done = request.method == "POST"
    if done:
        with acting_as(returnee(profile.id)):
            withdraw_consent(profile, purpose)
    return render_template("selfservice/unsubscribe.html", purpose=purpose, done=done, purposes=ConsentPurpose)
