"""Job alerts for everyone: the subscription on /jobs with its double opt-in, a subscriber's preferences, and the
one-click unsubscribe of every alert (RFC 8058: its POST needs no CSRF token and acts at once; a GET only shows a
page with a button)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..accounts.forms import ActionForm
from ..accounts.models import User
from ..addresses import normalise_email
from ..employers.search import synonym_group
from ..extensions import csrf, db, limiter
from ..forms import value_of
from ..mail.dispatch import beside_response
from ..places.models import Town
from ..ratelimits import configured, counts_as_attempt, email_key
from ..returnees.links import InvalidLinkError
from ..returnees.models import ReturneeProfile
from .forms import SubscribeForm
from .links import recipient_from_unsubscribe_token, subscription_from_token
from .models import AlertSubscription, Frequency
from .operations import confirm_subscription, end_subscription, subscribe, unsubscribe, update_subscription

bp = Blueprint("alerts", __name__)


def _towns() -> list[tuple[str, str]]:
    return [(town.slug, town.name) for town in db.session.scalars(select(Town).order_by(Town.sort_order))]


def _group_choices(form: SubscribeForm) -> list[tuple[str, str]]:
    return [(str(choice[0]), str(choice[1])) for choice in form.occupation_group.choices or []]


def _level(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None


def _subscribe_in_background(
    email: str, language: str, group: str, level: int | None, towns: list[str], frequency: str
) -> None:
    subscribe(email, language, group, level, towns, Frequency(frequency))


@bp.route("/jobs/alert", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_ALERT_SUBSCRIBE"), methods=["POST"], deduct_when=counts_as_attempt)
@limiter.limit(
    configured("RATELIMIT_ALERT_SUBSCRIBE"), key_func=email_key, methods=["POST"], deduct_when=counts_as_attempt
)
def subscribe_form() -> str | tuple[str, int]:
    """Order a job alert; the answer is the same for every address (the mail with the link goes out beside it)."""
    form = SubscribeForm(towns=_towns())
    if request.method != "POST":
        field = request.args.get("field", "") or synonym_group(request.args.get("q", "")) or ""
        form.occupation_group.data = field if field in {code for code, _label in _group_choices(form)} else ""
        level = request.args.get("level", "")
        form.skill_level.data = level if level in ("1", "2", "3", "4") else ""
        towns = {slug for slug, _name in _towns()}
        form.towns.data = [slug for slug in request.args.getlist("town") if slug in towns]
        form.language.data = str(get_locale())
    if form.validate_on_submit():
        email = normalise_email(value_of(form.email))
        beside_response(
            _subscribe_in_background,
            email,
            form.language.data,
            form.occupation_group.data,
            _level(form.skill_level.data),
            list(form.towns.data or []),
            form.frequency.data,
        )
        return render_template("matching/alert_sent.html", email=email)
    return render_template("matching/alert_subscribe.html", form=form), 422 if form.errors else 200


@bp.route("/jobs/alert/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> str | Response | tuple[str, int]:
    """The link of the double opt-in: a page with a button; the POST confirms."""
    try:
        subscription = subscription_from_token(token)
    except InvalidLinkError:
        return render_template("matching/alert_invalid.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        confirm_subscription(subscription)
        flash(_("Ihr Job-Alarm ist bestätigt. Neue passende Stellen kommen per E-Mail."), "success")
        return redirect(url_for(".preferences", token=token), code=303)
    return render_template("matching/alert_confirm.html", form=form, subscription=subscription)


@bp.route("/jobs/alert/<token>", methods=["GET", "POST"])
def preferences(token: str) -> str | Response | tuple[str, int]:
    """A subscriber's own page: what the alert looks for, how often, and the way out."""
    try:
        subscription = subscription_from_token(token)
    except InvalidLinkError:
        return render_template("matching/alert_invalid.html"), 404
    if subscription.confirmed_at is None:
        return redirect(url_for(".confirm", token=token), code=303)
    form = SubscribeForm(towns=_towns())
    del form.email, form.consent  # the address was confirmed; the consent was given
    if request.method != "POST":
        form.occupation_group.data = subscription.occupation_group_code
        form.skill_level.data = str(subscription.skill_level or "")
        form.towns.data = [town.slug for town in subscription.towns]
        form.frequency.data = subscription.frequency.value
        form.language.data = subscription.language
    if request.form.get("end") and ActionForm().validate_on_submit():
        end_subscription(subscription)
        return render_template("matching/unsubscribed.html", kind="subscription")
    if form.validate_on_submit():
        update_subscription(
            subscription,
            form.occupation_group.data,
            _level(form.skill_level.data),
            list(form.towns.data or []),
            Frequency(form.frequency.data),
            form.language.data,
        )
        flash(_("Ihr Job-Alarm ist gespeichert."), "success")
        return redirect(url_for(".preferences", token=token), code=303)
    return render_template(
        "matching/alert_preferences.html", form=form, subscription=subscription, action_form=ActionForm()
    ), 422 if form.errors else 200


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
@csrf.exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without any token of ours
def unsubscribe_view(token: str) -> str | tuple[str, int]:
    """One-click unsubscribe from an alert: the POST ends it at once (no login, no CSRF token); a GET only shows a
    page with a button."""
    try:
        recipient = recipient_from_unsubscribe_token(token)
    except InvalidLinkError:
        return render_template("matching/alert_invalid.html"), 404
    kind = (
        "returnee"
        if isinstance(recipient, ReturneeProfile)
        else ("subscription" if isinstance(recipient, AlertSubscription) else "employer")
    )
    if request.method == "POST":
        unsubscribe(recipient)
        return render_template("matching/unsubscribed.html", kind=kind)
    if isinstance(recipient, User) and recipient.employer_id is None:
        abort(404)
    return render_template("matching/unsubscribe.html", kind=kind)
