"""The organizers' export screens: an event's or a series' registrations as CSV, XLSX or a printable door list.

The registration list's filters arrive in the URL and apply to the export. The export itself is a POST (it writes
the audit trail); a large one is made in the background and offered on its own page with a progress bar.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..accounts.access import can_see_town, found, in_visible_towns, is_admin, staff_required, visible_town_ids
from ..accounts.forms import ActionForm
from ..dates import berlin_today
from ..events.manage import visible_event
from ..events.models import Event, EventSeries
from ..extensions import db
from ..places.models import Venue
from ..registrations import list_html, listing
from . import operations, queries
from . import presets as team_presets
from .columns import DEFAULT_COLUMNS, Lookups
from .forms import ExportForm
from .models import ExportJob, ExportPreset, ExportStatus
from .queries import ExportRequest, Format, Purpose

bp = Blueprint("exports", __name__, url_prefix="/organizer")
CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters() -> dict[str, str]:
    """The registration list's filter parameters of this URL (nothing else, and nothing odd)."""
    parsed = listing.parse_filter(request.args, [], list_html.ListTexts.current().known)
    return {key: str(value) for key, value in parsed.args().items() if key != "page"}


def _series_events(series: EventSeries) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .join(Event.venue)
            .where(Event.series_id == series.id, in_visible_towns(Venue.town_id))
            .order_by(Event.starts_at)
        )
    )


def _page(scope: str, subject: Any, events: list[Event], town_id: int | None) -> str | Response | tuple[str, int]:
    """The export form of an event or series, and what its buttons do."""
    preset_towns: list[int | None] = [town_id] if scope == "event" else [*sorted(visible_town_ids() or [])]
    if is_admin():
        preset_towns = [*preset_towns, None] if scope == "event" else [None, *{e.venue.town_id for e in events}]
    presets = team_presets.presets_of(preset_towns)
    form = ExportForm()
    chosen_preset = _chosen_preset(presets)
    if request.method != "POST":
        form.columns.data = chosen_preset.columns if chosen_preset else list(DEFAULT_COLUMNS)
        if chosen_preset:
            form.purpose.data = chosen_preset.purpose
    filters = _filters()
    export = ExportRequest(
        scope=scope,
        scope_id=subject.id,
        event_ids=[event.id for event in events],
        filters=filters,
        columns=list(form.columns.data or []),
        purpose=Purpose(form.purpose.data if form.purpose.data in Purpose._value2member_map_ else "event"),
        file_format=Format(form.file_format.data if form.file_format.data in Format._value2member_map_ else "csv"),
        town_id=town_id,
        title=subject.title,
    )
    if request.method == "POST":
        if request.form.get("action") == "save":
            if form.validate_for_saving():
                save_town = town_id if scope == "event" else next(iter(sorted(visible_town_ids() or [])), None)
                name = (form.preset_name.data or "").strip()
                team_presets.save_preset(save_town, name, export.columns, export.purpose, current_user.id)
                flash(_("Die Vorlage „%(name)s“ ist gespeichert.", name=name), "success")
                return redirect(request.full_path.rstrip("?"), code=303)
        elif form.validate():
            return _export(export, subject)
    totals = queries.totals(export)
    return render_template(
        "exports/page.html",
        scope=scope,
        subject=subject,
        events=events,
        form=form,
        presets=presets,
        preset_links={
            preset.id: url_for(request.endpoint or "", **{**(request.view_args or {}), **filters, "preset": preset.id})
            for preset in presets
        },
        chosen_preset=chosen_preset,
        filters=filters,
        totals=totals,
        background_rows=current_app.config["EXPORT_BACKGROUND_ROWS"],
        action_form=ActionForm(),
    ), 422 if form.errors else 200


def _chosen_preset(presets: list[ExportPreset]) -> ExportPreset | None:
    wanted = request.args.get("preset", "")
    return next((preset for preset in presets if str(preset.id) == wanted), None)


def _export(export: ExportRequest, subject: Any) -> Response:
    """The file, streamed; or, for a large CSV or XLSX, a background job and its page."""
    name = f"anmeldungen-{export.scope}-{subject.id}-{berlin_today():%Y-%m-%d}"  # the organizer's day
    if export.file_format == Format.PRINT:
        return _print_list(export, subject)
    rows = queries.count_rows(export)
    if rows > current_app.config["EXPORT_BACKGROUND_ROWS"]:
        job = operations.start_background_export(export, current_user.id, rows)
        flash(_("Der Export läuft im Hintergrund; Sie bekommen eine E-Mail, wenn er fertig ist."), "info")
        return redirect(url_for(".job", job_id=job.id), code=303)
    if export.file_format == Format.CSV:
        body = stream_with_context(operations.csv_stream(export))
        response = Response(body, content_type=CONTENT_TYPES[Format.CSV])
    else:
        spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
        count = operations.write_file(export, spool)
        operations.audit_export(export, count)
        spool.seek(0)
        response = send_file(spool, mimetype=CONTENT_TYPES[Format.XLSX], download_name=f"{name}.xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{export.file_format.value}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _print_list(export: ExportRequest, subject: Any) -> Response:
    """The door list: HTML with print CSS, sorted by last name, a box to tick per person."""
    names = ["last_name", "first_name"]
    export = replace(export, columns=names + [key for key in export.columns if key not in names])
    columns = operations.columns_of(export)
    operations.audit_export(export, queries.count_rows(export))
    rows = operations.cells(export, columns, Lookups.load())
    response = Response(
        stream_with_context(stream_template("exports/print.html", title=subject.title, columns=columns[2:], rows=rows)),
        mimetype="text/html",  # werkzeug's Response says text/plain, and nosniff lets the browser believe it
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/events/<int:event_id>/export", methods=["GET", "POST"])
@staff_required
def event(event_id: int) -> str | Response | tuple[str, int]:
    """Export an event's registrations, with the filters of its list."""
    subject = visible_event(event_id)
    return _page("event", subject, [subject], subject.venue.town_id)


@bp.route("/series/<int:series_id>/export", methods=["GET", "POST"])
@staff_required
def series(series_id: int) -> str | Response | tuple[str, int]:
    """Export the registrations of every event of a series in the organizer's towns."""
    subject = found(EventSeries, series_id)
    events = _series_events(subject)
    if not events:
        abort(404)
    towns = {event.venue.town_id for event in events}
    return _page("series", subject, events, next(iter(towns)) if len(towns) == 1 else None)


@bp.post("/exports/presets/<int:preset_id>/delete")
@staff_required
def delete_preset(preset_id: int) -> Response:
    """Remove a preset for the whole team."""
    preset = found(ExportPreset, preset_id)
    if not can_see_town(preset.town_id) or not ActionForm().validate_on_submit():
        abort(404)
    team_presets.delete_preset(preset)
    flash(_("Die Vorlage „%(name)s“ ist gelöscht.", name=preset.name), "success")
    back = request.form.get("next", "")
    return redirect(back if back.startswith("/organizer/") else url_for("organizer.dashboard"), code=303)


def _own_job(job_id: int) -> ExportJob:
    job = found(ExportJob, job_id)
    if job.user_id != current_user.id:
        abort(404)
    return job


@bp.get("/exports/<int:job_id>")
@staff_required
def job(job_id: int) -> str:
    """A background export: its progress, then its download link until the link expires."""
    job = _own_job(job_id)
    running = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return render_template("exports/job.html", job=job, running=running, available=operations.file_of(job) is not None)


@bp.get("/exports/<int:job_id>/download")
@staff_required
def download(job_id: int) -> Response | tuple[str, int]:
    """The finished file, while its link works."""
    job = _own_job(job_id)
    path = operations.file_of(job)
    if path is None:
        return render_template("exports/expired.html", job=job), 410
    format_ = Format(job.file_format)
    response = send_file(path, mimetype=CONTENT_TYPES[format_], as_attachment=True, download_name=path.name)
    response.headers["Cache-Control"] = "no-store"
    return response
