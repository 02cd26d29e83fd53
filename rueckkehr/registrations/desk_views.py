"""The desk's screens of an event: add someone at the door, move someone up from the waiting list.

Thin views over ``desk``; the routes belong to the event's registration blueprint (``manage.bp``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import staff_required
from ..events.manage import visible_event
from ..events.models import EventStatus
from .desk import (
    AlreadyRegisteredError,
    EventOverError,
    NoSeatsError,
    NotOpenForWalkInsError,
    NotWaitingError,
    add_walk_in,
    is_over,
    move_up,
)
from .list_html import status_labels
from .manage import acted_on, bp
from .manage_forms import WalkInForm
from .models import Registration, RegistrationStatus


@bp.route("/registrations/walk-in", methods=["GET", "POST"])
@staff_required
def walk_in(event_id: int) -> str | Response | tuple[str, int]:
    """Add someone at the door; an address is optional, how they consented is not. Once the event is over, the page
    says so (a form sent then keeps what was typed) and nobody is added."""
    event = visible_event(event_id)
    if event.status != EventStatus.PUBLISHED:
        return _closed_to_walk_ins(event.id)
    form = WalkInForm()
    over = is_over(event.ends_at)
    if not over and form.validate_on_submit():
        try:
            seated = add_walk_in(event.id, form.walk_in())
        except EventOverError:  # ended while the form was filled in
            over = True
        except NotOpenForWalkInsError:  # called off meanwhile
            return _closed_to_walk_ins(event.id)
        except AlreadyRegisteredError:
            form.email.errors = [_("Für diese Adresse gibt es schon eine Anmeldung zu dieser Veranstaltung.")]
        else:
            name = seated.registration.profile.full_name
            if not seated.known:
                flash(_("%(name)s ist eingetragen.", name=name), "success")
                return redirect(url_for(".index", event_id=event.id), code=303)
            # The person's own details stay; staff see them on the person's page, and what was not taken over.
            flash(_("Diese E-Mail-Adresse war schon bei uns registriert: Die Anmeldung ist bei %(name)s eingetragen. "
                    "Die gespeicherten Angaben der Person bleiben, wie sie sind; Name, Postleitzahl, Wohnort und Land "
                    "aus dem Formular wurden nicht übernommen.", name=name), "warning")  # fmt: skip
            return redirect(url_for(".person", event_id=event.id, registration_id=seated.registration.id), code=303)
    refused = form.errors or (over and form.is_submitted())
    page = render_template("registrations/manage/walk_in.html", event=event, form=form, over=over)
    return page, 422 if refused else 200


@bp.post("/registrations/<int:registration_id>/move-up")
@staff_required
def promote(event_id: int, registration_id: int) -> Response:
    """Move a confirmed waiting party up, if the free seats fit it; one no longer waiting is told apart."""
    event, registration = acted_on(event_id, registration_id)
    try:
        move_up(registration.id)
    except NotWaitingError as error:  # a page from before: moved up by itself meanwhile, or cancelled
        flash(_not_waiting(error.registration), "info")
    except NoSeatsError:
        flash(
            _(
                "Dafür sind nicht genug Plätze frei (oder die Adresse ist noch nicht bestätigt). "
                "Erhöhen Sie zuerst die Zahl der Plätze."
            ),
            "warning",
        )
    else:
        flash(_("Die Person hat einen Platz und ist benachrichtigt."), "success")
    return redirect(url_for(".person", event_id=event.id, registration_id=registration.id), code=303)


def _not_waiting(registration: Registration) -> str:
    """Why moving up changed nothing: the registration has a seat already, or is not on the waiting list at all."""
    name = registration.profile.full_name
    if registration.status == RegistrationStatus.CONFIRMED:
        return str(_("%(name)s steht nicht mehr auf der Warteliste: Die Anmeldung hat schon einen Platz, etwa weil die "
                     "Person von selbst nachgerückt ist. Es wurde nichts geändert.", name=name))  # fmt: skip
    status = status_labels()[registration.status.value]
    return str(_("%(name)s steht nicht auf der Warteliste (Stand der Anmeldung: %(status)s). Es wurde nichts "
                 "geändert.", name=name, status=status))  # fmt: skip


def _closed_to_walk_ins(event_id: int) -> Response:
    flash(
        _("Nur zu einer veröffentlichten Veranstaltung, die nicht abgesagt ist, kommen Gäste ohne Anmeldung."),
        "warning",
    )
    return redirect(url_for("events_manage.detail", event_id=event_id), code=303)
