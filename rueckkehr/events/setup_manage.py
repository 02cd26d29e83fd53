"""The organizers' screens for what events are made of: series (shared by the towns) and venues (per town).

Every organizer sees every series, with its events in their towns. A series' title and description show on the pages
of every town it holds events in, so only an admin, or an organizer who works for each of those towns, changes it;
for anyone else its editor is a 404, as another town's object is.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..accounts.access import found, found_in_town, in_visible_towns, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..extensions import db
from ..forms import value_of
from ..places.models import Town, Venue
from . import editing
from .forms import SeriesForm, VenueForm
from .manage import all_series, visible_series_events, visible_venues
from .models import EventSeries, EventStatus

bp = Blueprint("event_setup", __name__, url_prefix="/organizer")


def _series_title_taken(form: SeriesForm, series: EventSeries | None) -> bool:
    other = db.session.scalar(select(EventSeries).where(EventSeries.title == value_of(form.title)))
    if other is not None and other is not series:
        form.title.errors = [_("Eine Reihe mit diesem Namen gibt es schon.")]
        return True
    return False


@bp.route("/series", methods=["GET", "POST"])
@staff_required
def series_index() -> str | Response | tuple[str, int]:
    """Every series, and a new one."""
    form = SeriesForm()
    if form.validate_on_submit() and not _series_title_taken(form, None):
        series = editing.save_series(None, value_of(form.title), value_of(form.description))
        flash(_("Die Reihe ist angelegt."), "success")
        return redirect(url_for(".series_detail", series_id=series.id), code=303)
    return render_template(
        "events/manage/series_index.html", series=all_series(), form=form
    ), 422 if form.errors else 200


def may_change_series(series: EventSeries) -> bool:
    """Whether the logged-in user may change a series: an admin, or an organizer of every town it holds events in
    (drafts, past and cancelled days too: each shows its title). A series without events shows on no town's pages."""
    towns = visible_town_ids()
    return towns is None or set(editing.towns_of_series(series)) <= towns


@bp.get("/series/<int:series_id>")
@staff_required
def series_detail(series_id: int) -> str:
    """A series: its events in the organizer's towns, publishing their drafts at once, and the way to its editor."""
    series = found(EventSeries, series_id)  # every organizer sees every series; its events are their towns'
    return render_template(
        "events/manage/series_detail.html",
        series=series,
        events=visible_series_events(series),
        may_change=may_change_series(series),
        action_form=ActionForm(),
    )


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@staff_required
def series_edit(series_id: int) -> str | Response | tuple[str, int]:
    """Rename and describe a series (a 404 for an organizer who does not work for every town it is held in)."""
    series = found(EventSeries, series_id)
    if not may_change_series(series):
        abort(404)
    initial = {"title": series.title, "description": series.description}
    form = SeriesForm(data=None if request.method == "POST" else initial)
    if form.validate_on_submit() and not _series_title_taken(form, series):
        editing.save_series(series, value_of(form.title), value_of(form.description))
        flash(_("Die Reihe ist gespeichert."), "success")
        return redirect(url_for(".series_detail", series_id=series.id), code=303)
    return render_template("events/manage/series_form.html", series=series, form=form), 422 if form.errors else 200


@bp.post("/series/<int:series_id>/publish")
@staff_required
def series_publish(series_id: int) -> Response:
    """Publish every draft of the series in the organizer's towns; news subscribers get one invitation for all."""
    series = found(EventSeries, series_id)
    if ActionForm().validate_on_submit():
        drafts = [event.id for event in visible_series_events(series) if event.status == EventStatus.DRAFT]
        published = editing.publish_events(drafts)
        flash(_("%(count)d Veranstaltungen sind veröffentlicht.", count=len(published)), "success")
    return redirect(url_for(".series_detail", series_id=series.id), code=303)


def _venue_form() -> VenueForm:
    form = VenueForm()
    towns = db.session.scalars(select(Town).where(in_visible_towns(Town.id)).order_by(Town.sort_order))
    form.town.choices = [(str(town.id), town.name) for town in towns]
    return form


@bp.get("/venues")
@staff_required
def venues() -> str:
    """The venues of the organizer's towns."""
    return render_template("events/manage/venues.html", venues=visible_venues())


@bp.route("/venues/new", methods=["GET", "POST"])
@staff_required
def new_venue() -> str | Response | tuple[str, int]:
    """A new venue in one of the organizer's towns."""
    form = _venue_form()
    if form.validate_on_submit():
        data = form.venue_data()
        found_in_town(Town, data.town_id, lambda town: town.id)
        venue = editing.save_venue(None, data)
        flash(_("Der Ort ist angelegt."), "success")
        return redirect(url_for(".edit_venue", venue_id=venue.id), code=303)
    return render_template("events/manage/venue_form.html", form=form, venue=None), 422 if form.errors else 200


@bp.route("/venues/<int:venue_id>", methods=["GET", "POST"])
@staff_required
def edit_venue(venue_id: int) -> str | Response | tuple[str, int]:
    """Correct a venue's name or address; calendars that show it follow."""
    venue = found_in_town(Venue, venue_id, lambda venue: venue.town_id)
    form = _venue_form()
    if request.method != "POST":
        form.process(obj=venue)
        form.town.data = str(venue.town_id)
        form.latitude.data = str(venue.latitude or "")
        form.longitude.data = str(venue.longitude or "")
    if form.validate_on_submit():
        data = form.venue_data()
        found_in_town(Town, data.town_id, lambda town: town.id)
        editing.save_venue(venue, data)
        flash(_("Der Ort ist gespeichert."), "success")
        return redirect(url_for(".edit_venue", venue_id=venue.id), code=303)
    return render_template("events/manage/venue_form.html", form=form, venue=venue), 422 if form.errors else 200
