"""Registration pages: the form, the "mail sent" page and the confirmation button."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from ..actors import acting_as, returnee
from ..addresses import normalise_email
from ..dates import utcnow
from ..events.models import EventStatus, RegistrationState, registration_state
from ..events.queries import get_public_event
from ..extensions import limiter
from ..ratelimits import configured, counts_as_attempt, email_key
from ..returnees.links import InvalidLinkError, manage_token
from ..returnees.views import invalid_link
from .forms import RegistrationForm
from .links import registration_from_confirm_token
from .models import RegistrationStatus
from .operations import RegistrationClosedError, RegistrationGoneError, register
from .operations import confirm as confirm_registration
from .seats import seats_left, waiting_rank

bp = Blueprint("registrations", __name__)

OUTCOME_KEY = "registration_outcome"
CONFIRMED_KEY = "registration_confirmed"  # the registration just confirmed: its page thanks rather than notes


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTRATION"), methods=["POST"], deduct_when=counts_as_attempt)
@limiter.limit(
    configured("RATELIMIT_REGISTRATION"), key_func=email_key, methods=["POST"], deduct_when=counts_as_attempt
)
def form(event_id: int) -> str | Response | tuple[str, int]:
    """The registration form; a valid submission holds a seat (or a waiting place) and mails a link."""
    event = get_public_event(event_id, programme=False) or abort(404)
    state = registration_state(event, utcnow())
    if state != RegistrationState.OPEN:
        return render_template("registrations/closed.html", event=event, state=state), 200
    registration_form = RegistrationForm(today=utcnow().date())
    if registration_form.validate_on_submit():
        email = normalise_email(registration_form.email.data)
        if registration_form.website.data:  # a bot filled the honeypot: answer as if all went well
            session[OUTCOME_KEY] = {"event": event.id, "email": email, "waiting": False, "position": None}
            return redirect(url_for(".sent", event_id=event.id), code=303)
        try:
            outcome = register(
                event.id,
                email=email,
                language=str(get_locale()),
                profile_data=registration_form.profile_data(),
                companions=int(registration_form.companions.data),
                optional_consents=registration_form.optional_consents(),
            )
        except RegistrationClosedError as closed:
            return render_template("registrations/closed.html", event=event, state=closed.state), 200
        session[OUTCOME_KEY] = {
            "event": event.id,
            "email": outcome.email,
            "waiting": outcome.waiting,
            "position": outcome.position,
        }
        return redirect(url_for(".sent", event_id=event.id), code=303)
    status = 422 if registration_form.errors else 200
    return (
        render_template("registrations/form.html", event=event, form=registration_form, seats_left=seats_left(event)),
        status,
    )


@bp.get("/events/<int:event_id>/register/sent")
def sent(event_id: int) -> str | Response:
    """What happens next: check your mail; the waiting list position when the event is full."""
    event = get_public_event(event_id, programme=False) or abort(404)
    outcome = session.get(OUTCOME_KEY)
    if not outcome or outcome.get("event") != event.id:
        return redirect(url_for(".form", event_id=event.id))
    hours = current_app.config["CONFIRMATION_HOURS"]
    return render_template("registrations/sent.html", event=event, outcome=outcome, hours=hours)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> str | Response | tuple[str, int]:
    """The page behind the mail's link: one button. Opening it changes nothing; pressing it confirms and redirects to
    the link again, which then says the registration is confirmed (and leads to the self-service page)."""
    try:
        link = registration_from_confirm_token(token)
    except InvalidLinkError:
        return invalid_link()
    registration, event = link.registration, link.registration.event
    if event.status != EventStatus.PUBLISHED:
        return render_template("registrations/closed.html", event=event, state=RegistrationState.CANCELLED)
    if registration.confirmed_at is not None:
        if request.method == "POST":  # pressed again, or a reload of the answer: nothing more to do
            return redirect(url_for(".confirm", token=token), code=303)
        rank = waiting_rank(registration) if registration.status == RegistrationStatus.WAITING else None
        return render_template(
            "registrations/confirmed.html",
            registration=registration,
            event=event,
            rank=rank,
            just_now=session.pop(CONFIRMED_KEY, None) == registration.id,
            manage_link=url_for("selfservice.overview", token=manage_token(registration.profile))
            if link.opens_selfservice
            else None,
        )
    if request.method != "POST":
        return render_template("registrations/confirm.html", registration=registration, event=event)
    try:
        with acting_as(returnee(registration.profile_id)):
            registration = confirm_registration(registration.id)
    except RegistrationGoneError:
        return invalid_link()
    session[CONFIRMED_KEY] = registration.id
    return redirect(url_for(".confirm", token=token), code=303)
