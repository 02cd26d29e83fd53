"""The figures pages of the workspace: per event and per series, each figure as a chart, a table and in a CSV.

Organizers see the events of their towns; a series' figures sum its events in their towns. A page runs the same
few queries however many registrations there are.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.access import found, in_visible_towns, staff_required
from ..dates import utcnow
from ..events.manage import visible_event
from ..events.models import Event, EventSeries
from ..extensions import db
from ..places.models import Venue
from .charts import chart_svg
from .counting import BY_KEY, figures_of
from .tables import Table, csv_of, tables_of

bp = Blueprint("figures", __name__, url_prefix="/organizer/figures")


def _visible_events(series_id: int | None = None) -> list[Event]:
    query = (
        select(Event)
        .join(Event.venue)
        .where(in_visible_towns(Venue.town_id))
        .options(joinedload(Event.venue).joinedload(Venue.town), joinedload(Event.series))
        .order_by(Event.starts_at.desc())
    )
    if series_id is not None:
        query = query.where(Event.series_id == series_id)
    return list(db.session.scalars(query))


def _scope(kind: str, subject_id: int) -> tuple[object, list[Event]]:
    if kind == "events":
        event = visible_event(subject_id)
        return event, [event]
    if kind == "series":
        series = found(EventSeries, subject_id)
        events = _visible_events(series.id)
        if not events:
            abort(404)
        return series, events
    abort(404)


@bp.get("")
@staff_required
def index() -> str:
    """The series and events whose figures the organizer may read."""
    events = _visible_events()
    series: dict[int, EventSeries] = {event.series.id: event.series for event in events if event.series}
    return render_template(
        "figures/index.html", events=events, series=sorted(series.values(), key=lambda s: s.title), now=utcnow()
    )


@bp.get("/events/<int:event_id>", defaults={"kind": "events"})
@bp.get("/series/<int:series_id>", defaults={"kind": "series"})
@staff_required
def figures(kind: str, event_id: int = 0, series_id: int = 0) -> str:
    """Every figure of an event or a series: a chart, its table and the CSV link."""
    subject, events = _scope(kind, event_id or series_id)
    tables = tables_of(figures_of(event.id for event in events))
    return render_template(
        "figures/figures.html",
        kind=kind,
        subject=subject,
        events=events,
        tables=tables,
        scope_args={"kind": kind, "event_id": event_id} if kind == "events" else {"kind": kind, "series_id": series_id},
    )


@bp.get("/events/<int:event_id>/figures.csv", defaults={"kind": "events"})
@bp.get("/series/<int:series_id>/figures.csv", defaults={"kind": "series"})
@staff_required
def figures_csv(kind: str, event_id: int = 0, series_id: int = 0) -> Response:
    """Every figure as CSV for German Excel, small counts suppressed as on the page."""
    _subject, events = _scope(kind, event_id or series_id)
    tables = tables_of(figures_of(event.id for event in events))
    response = Response(csv_of(tables), content_type="text/csv; charset=utf-8")
    name = f"kennzahlen-{kind}-{event_id or series_id}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/events/<int:event_id>/<dimension>.svg", defaults={"kind": "events"})
@bp.get("/series/<int:series_id>/<dimension>.svg", defaults={"kind": "series"})
@staff_required
def chart(kind: str, dimension: str, event_id: int = 0, series_id: int = 0) -> Response:
    """One figure as an SVG chart."""
    if dimension not in BY_KEY:
        abort(404)
    _subject, events = _scope(kind, event_id or series_id)
    table: Table = next(t for t in tables_of(figures_of(event.id for event in events)) if t.key == dimension)
    response = Response(chart_svg(table), content_type="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
