"""The organizers' event screens under /organizer/events: list, create, edit, publish, move, cancel, copy, programme.

Moving an event in time or place, or calling it off, first shows how many people will be told; only the second
POST (``confirmed=1``) calls ``operations.change_event`` or ``cancel_event``. Organizers see their towns' events.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from ..accounts.access import found_in_town, in_visible_towns, staff_required
from ..accounts.forms import ActionForm
from ..dates import BERLIN, utcnow
from ..extensions import db
from ..forms import value_of
from ..i18n import format_long_date
from ..places.models import Venue
from . import editing
from .forms import DetailsForm, EventForm, MoveForm
from .models import Event, EventSeries, EventStatus, ProgrammeItem
from .operations import EventChangeError, cancel_event, change_event, delete_draft, lock_event
from .programme_forms import ProgrammeItemForm
from .signals import event_manage
from .views import contributions

bp = Blueprint("events_manage", __name__, url_prefix="/organizer/events")

WITH_PLACE = joinedload(Event.venue).joinedload(Venue.town)
WITH_VENUE = joinedload(Event.venue)


def town_of(event: Event) -> int:
    """The town an event belongs to: its venue's."""
    return event.venue.town_id


def visible_event(event_id: int) -> Event:
    """An event of the organizer's towns, or a 404 (read with its venue, which names the town, in one statement)."""
    return found_in_town(Event, event_id, town_of, (WITH_VENUE,))


def all_series() -> list[EventSeries]:
    """Every series, newest title first (series are shared by the towns)."""
    return list(db.session.scalars(select(EventSeries).order_by(EventSeries.title.desc())))


def visible_series_events(series: EventSeries) -> list[Event]:
    """The series' events in the organizer's towns, first day first (a series is shared, its events are not)."""
    return list(
        db.session.scalars(
            select(Event)
            .join(Event.venue)
            .where(Event.series_id == series.id, in_visible_towns(Venue.town_id))
            .order_by(Event.starts_at, Event.id)
        )
    )


def visible_venues() -> list[Venue]:
    """The venues of the organizer's towns."""
    return list(
        db.session.scalars(
            select(Venue)
            .where(in_visible_towns(Venue.town_id))
            .options(joinedload(Venue.town))
            .order_by(Venue.town_id, Venue.name)
        )
    )


def visible_events(series_id: int | None = None, past: bool = False) -> list[Event]:
    """The events of the organizer's towns: coming ones soonest first, or past ones latest first."""
    query = (
        select(Event)
        .join(Event.venue)
        .where(in_visible_towns(Venue.town_id))
        .options(WITH_PLACE, joinedload(Event.series))
    )
    now = utcnow()
    query = (
        query.where(Event.ends_at < now).order_by(Event.starts_at.desc())
        if past
        else query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    )
    if series_id is not None:
        query = query.where(Event.series_id == series_id)
    return list(db.session.scalars(query))


def seat_counts(events: list[Event]) -> dict[int, Any]:
    """What registrations knows of each event (seats held, confirmed, unconfirmed, waiting), in one query."""
    counts: dict[int, Any] = contributions(event_manage, events).get("counts", {})
    return counts


def _action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.get("")
@staff_required
def index() -> str:
    """The events of the organizer's towns, filtered by series; past ones with ``?past=1``."""
    series = all_series()
    chosen = request.args.get("series", "")
    series_id = next((item.id for item in series if str(item.id) == chosen), None)
    if chosen and series_id is None:
        abort(404)
    events = visible_events(series_id, past=request.args.get("past") == "1")
    return render_template(
        "events/manage/index.html", events=events, counts=seat_counts(events), series=series, series_id=series_id
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new() -> str | Response | tuple[str, int]:
    """A new draft event."""
    form = EventForm(series=all_series())
    form.set_venues(visible_venues())
    if request.method != "POST":
        form.capacity.data = 100
        form.starts.data, form.ends.data = "10:00", "15:00"
    if form.validate_on_submit():
        venue_id, starts_at, ends_at = form.moment()
        venue = found_in_town(Venue, venue_id, lambda venue: venue.town_id)
        event = editing.create_event(form.details(), venue=venue, starts_at=starts_at, ends_at=ends_at)
        flash(_("Die Veranstaltung ist als Entwurf gespeichert."), "success")
        return redirect(url_for(".detail", event_id=event.id), code=303)
    return render_template("events/manage/form.html", form=form, event=None), 422 if form.errors else 200


@bp.get("/<int:event_id>")
@staff_required
def detail(event_id: int) -> str:
    """One event: its state, seats, programme and what can be done next."""
    event = visible_event(event_id)
    return render_template(
        "events/manage/detail.html",
        event=event,
        counts=seat_counts([event]).get(event.id),
        item_form=ProgrammeItemForm(),
        action_form=ActionForm(),
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int) -> str | Response | tuple[str, int]:
    """Texts, series, capacity and registration window; a lower capacity keeps every held seat and says so."""
    event = visible_event(event_id)
    if request.method == "POST":  # read again under the lock the save takes: the form checks the window against
        lock_event(event.id)  # the start and state it is saved with, whoever moves or cancels the event meanwhile
    if event.is_cancelled:
        return _unchangeable(event)
    form = DetailsForm(series=all_series())
    form.event_starts_at = event.starts_at
    if request.method != "POST":
        form.fill_details(event)
        form.show_window_faults()  # a window saved before the form checked it
    if form.validate_on_submit():
        changed = editing.update_details(event.id, form.details())
        if changed:
            flash(_("Die Änderungen sind gespeichert."), "success")
        counts = seat_counts([event]).get(event.id)
        if counts is not None and counts.seats_held > event.capacity:
            flash(
                _(
                    "%(held)d Plätze sind vergeben, mehr als die neue Zahl von %(capacity)d: Alle bleiben bestehen. "
                    "Neue Anmeldungen kommen auf die Warteliste, bis wieder Plätze frei sind.",
                    held=counts.seats_held,
                    capacity=event.capacity,
                ),
                "warning",
            )
        return redirect(url_for(".detail", event_id=event.id), code=303)
    return render_template("events/manage/form.html", form=form, event=event), 422 if form.is_submitted() else 200


@bp.route("/<int:event_id>/move", methods=["GET", "POST"])
@staff_required
def move(event_id: int) -> str | Response | tuple[str, int]:
    """Another day, time or venue: first the number of people who will be told, then the change."""
    event = visible_event(event_id)
    if request.method == "POST":  # as in ``edit``: the window the form checks is the one the move is made with
        lock_event(event.id)
    if event.is_cancelled:
        abort(404)
    form = MoveForm()
    form.current_day = event.starts_at.astimezone(BERLIN).date()
    form.current_window = (event.registration_opens_at, event.registration_closes_at)
    form.current_hours, form.current_programme = (event.starts_at, event.ends_at), tuple(event.programme)
    form.set_venues(visible_venues())
    if request.method != "POST":
        form.fill_time_place(event)
    if form.validate_on_submit():
        venue_id, starts_at, ends_at = form.moment()
        venue = found_in_town(Venue, venue_id, lambda venue: venue.town_id)
        told, untold = reach(event, confirmed_only=True)
        if request.form.get("confirmed") != "1":
            return render_template(
                "events/manage/move_confirm.html",
                event=event,
                form=form,
                told=told,
                untold=untold,
                new=(venue, starts_at, ends_at),
            )
        try:
            change_event(event.id, starts_at=starts_at, ends_at=ends_at, venue_id=venue_id)
        except EventChangeError:
            abort(404)
        moved = ngettext(
            "Die Veranstaltung ist verlegt; %(num)d Person erhält eine aktualisierte Einladung.",
            "Die Veranstaltung ist verlegt; %(num)d Personen erhalten eine aktualisierte Einladung.",
            told,
        )
        flash(_join(moved, untold), "success")
        return redirect(url_for(".detail", event_id=event.id), code=303)
    return render_template("events/manage/move.html", form=form, event=event), 422 if form.errors else 200


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel(event_id: int) -> str | Response:
    """Call an event off: a page that says how many people will be told, then the POST."""
    event = visible_event(event_id)
    if request.method == "POST" and event.status == EventStatus.DRAFT:
        _action_form()
        flash(_("Ein Entwurf ist nicht öffentlich: Es gibt nichts abzusagen."), "info")
        return redirect(url_for(".cancel", event_id=event.id), code=303)
    if request.method == "POST" and not event.is_cancelled:
        _action_form()
        lock_event(event.id)  # the count is of those the call-off tells: under its lock
        told, untold = reach(event, confirmed_only=False)
        cancel_event(event.id)
        called_off = ngettext(
            "Die Veranstaltung ist abgesagt; %(num)d Person wird benachrichtigt.",
            "Die Veranstaltung ist abgesagt; %(num)d Personen werden benachrichtigt.",
            told,
        )
        flash(_join(called_off, untold), "success")
        return redirect(url_for(".detail", event_id=event.id), code=303)
    told, untold = reach(event, confirmed_only=False)
    return render_template("events/manage/cancel.html", event=event, told=told, untold=untold, action_form=ActionForm())


def reach(event: Event, *, confirmed_only: bool) -> tuple[int, int]:
    """Whom a change of a published event tells (the confirmed, or every active registration when it is called off),
    as (reached by mail, without an address: walk-ins who gave none hear nothing)."""
    counts = seat_counts([event]).get(event.id)
    if counts is None or event.status != EventStatus.PUBLISHED:
        return 0, 0
    if confirmed_only:
        return counts.confirmed_reachable, counts.confirmed_without_address
    return counts.active_reachable, counts.active_without_address


def _join(done: str, untold: int) -> str:
    """What was done, and how many registrants no mail reaches for want of an address."""
    if not untold:
        return done
    without_address = ngettext(
        "%(num)d angemeldete Person hat keine E-Mail-Adresse und erfährt es nicht.",
        "%(num)d Angemeldete haben keine E-Mail-Adresse und erfahren es nicht.",
        untold,
    )
    return f"{done} {without_address}"


@bp.post("/<int:event_id>/delete")
@staff_required
def delete(event_id: int) -> Response:
    """Delete a draft (asked first on the cancel page); any other event is called off, never deleted."""
    event = visible_event(event_id)
    _action_form()
    if event.status != EventStatus.DRAFT:
        abort(404)
    title = event.title
    try:
        delete_draft(event.id)
    except EventChangeError:  # published meanwhile, or it holds registrations: it stays, and the page says so
        flash(_("Dieser Entwurf lässt sich nicht löschen: Er ist inzwischen veröffentlicht oder hat Anmeldungen."),
              "warning")  # fmt: skip
        return redirect(url_for(".detail", event_id=event.id), code=303)
    flash(_("Der Entwurf „%(title)s“ ist gelöscht.", title=title), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/<int:event_id>/publish")
@staff_required
def publish(event_id: int) -> Response:
    """Put a draft on the site; everyone who asked for news of future days is invited."""
    event = visible_event(event_id)
    _action_form()
    if editing.publish_events([event.id]):
        flash(_("Die Veranstaltung ist veröffentlicht."), "success")
    return redirect(url_for(".detail", event_id=event.id), code=303)


@bp.post("/<int:event_id>/duplicate")
@staff_required
def duplicate(event_id: int) -> Response:
    """Copy the event to the same day of the coming year, as a draft to check and publish."""
    event = visible_event(event_id)
    _action_form()
    try:
        copy = editing.duplicate_for_next_year(event.id)
    except editing.CopyExistsError as exists:
        day = format_long_date(exists.event.starts_at)
        flash(_("Am %(day)s gibt es an diesem Ort schon eine Veranstaltung: diese hier.", day=day), "info")
        return redirect(url_for(".detail", event_id=exists.event.id), code=303)
    flash(_("Die Kopie für %(year)d ist als Entwurf angelegt.", year=copy.starts_at.astimezone(BERLIN).year), "success")
    return redirect(url_for(".detail", event_id=copy.id), code=303)


@bp.post("/<int:event_id>/programme")
@staff_required
def add_item(event_id: int) -> str | Response | tuple[str, int]:
    """A new programme item on the event's day."""
    event = visible_event(event_id)
    lock_event(event.id)  # as in ``edit``: the hours the form checks are the ones the item is saved with
    if event.is_cancelled:
        return _unchangeable(event)
    form = ProgrammeItemForm()
    form.event_hours = (event.starts_at, event.ends_at)
    if form.validate_on_submit():
        starts_at, ends_at = form.item_hours()
        editing.add_programme_item(event.id, starts_at, ends_at, value_of(form.title))
        flash(_("Der Programmpunkt ist hinzugefügt."), "success")
        return redirect(url_for(".detail", event_id=event.id), code=303)
    return render_template(
        "events/manage/detail.html",
        event=event,
        counts=seat_counts([event]).get(event.id),
        item_form=form,
        action_form=ActionForm(),
    ), 422


@bp.post("/<int:event_id>/programme/<int:item_id>/delete")
@staff_required
def remove_item(event_id: int, item_id: int) -> Response:
    """Take an item off the programme."""
    event = visible_event(event_id)
    item = found_in_town(ProgrammeItem, item_id, lambda item: item.event.venue.town_id)
    if item.event_id != event.id:
        abort(404)
    _action_form()
    lock_event(event.id)  # as in ``add_item``: a cancel meanwhile comes first, and the item stays
    if event.is_cancelled:
        return _unchangeable(event)
    editing.remove_programme_item(item)
    flash(_("Der Programmpunkt ist entfernt."), "success")
    return redirect(url_for(".detail", event_id=event.id), code=303)


def _unchangeable(event: Event) -> Response:
    """Back to a called-off event's page, which says why nothing changed: it stays as its attendees were told."""
    flash(_("Eine abgesagte Veranstaltung kann nicht mehr geändert werden."), "warning")
    return redirect(url_for(".detail", event_id=event.id), code=303)
