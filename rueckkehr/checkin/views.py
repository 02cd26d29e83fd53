"""The door of an event in the organizer workspace: the phone page, the list it keeps for offline, the scan upload.

Only staff of the event's town (and admins) reach it; any other event is a 404. The page is static HTML that the
script fills from ``list.json``; scans go to ``scans`` as JSON with the page's CSRF token in a header.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import staff_required
from ..dates import BERLIN, berlin_today, utcnow
from ..events.manage import visible_event
from ..security import CONTENT_SECURITY_POLICY
from .models import ScanAction
from .operations import MAX_BATCH, Counts, DoorEntry, Scan, apply_scans, counts, door_list

bp = Blueprint("checkin_manage", __name__, url_prefix="/organizer/events/<int:event_id>/check-in")

NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# The camera is allowed on this page only; the scanner decodes in a worker it starts from a blob.
PAGE_POLICY = CONTENT_SECURITY_POLICY + "; worker-src 'self' blob:"


def _texts() -> dict[str, str]:
    """What the script says, in the page's language."""
    return {
        "online": _("Online – Scans werden sofort übertragen."),
        "offline": _(
            "Offline – die Liste auf diesem Gerät arbeitet weiter; Scans werden übertragen, sobald das Netz zurück ist."
        ),
        "logged_out": _(
            "Sie sind nicht mehr angemeldet. Die Scans bleiben auf diesem Gerät; melden Sie sich in einem neuen Tab "
            "wieder an, dann werden sie übertragen."
        ),
        "pending_one": _("1 Scan wartet auf die Übertragung."),
        "pending_many": _("{n} Scans warten auf die Übertragung."),
        "checked_in": _("Eingecheckt: {name}"),
        "companions_one": _("mit 1 Begleitperson"),
        "companions_many": _("mit {n} Begleitpersonen"),
        "already": _("{name}: schon eingecheckt um {time}"),
        "undone": _("Rückgängig gemacht: {name}"),
        "unknown": _("Dieser Code gehört zu keiner bestätigten Anmeldung dieser Veranstaltung."),
        "not_seated": _("{name}: keine bestätigte Anmeldung (storniert, unbestätigt oder Warteliste)."),
        "ambiguous": _(
            "Dieser Code passt zu mehreren Anmeldungen. Bitte scannen Sie den QR-Code oder suchen Sie nach dem Namen."
        ),
        "check_in": _("Einchecken"),
        "undo": _("Rückgängig"),
        "in_since": _("da seit {time}"),
        "walk_in": _("am Einlass"),
        "no_match": _("Niemand gefunden."),
        "more": _("Weitere Treffer: Bitte genauer suchen."),
        "camera_start": _("Kamera starten"),
        "camera_stop": _("Kamera anhalten"),
        "camera_failed": _(
            "Die Kamera lässt sich nicht starten. Tippen Sie den Code ein oder suchen Sie nach dem Namen."
        ),
        "cleared": _("Die Liste ist von diesem Gerät gelöscht."),
        "not_loaded": _("Die Liste ist noch nicht geladen. Bitte einmal mit Netz öffnen."),
    }


@bp.get("")
@staff_required
def door(event_id: int) -> Response:
    """The phone page of the door: counts, the scanner, the short code, the search by name."""
    event = visible_event(event_id)
    response = make_response(
        render_template(
            "checkin/door.html",
            event=event,
            counts=counts(event.id),
            texts=_texts(),
            list_url=url_for(".door_list_json", event_id=event.id),
            scans_url=url_for(".upload", event_id=event.id),
        )
    )
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), interest-cohort=()"
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response


def _counts_json(figures: Counts) -> dict[str, int]:
    return {"present": figures.present, "expected": figures.expected, "walk_ins": figures.walk_ins}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _entry_json(entry: DoorEntry) -> dict[str, Any]:
    return {
        "s": entry.secret,
        "c": entry.code,
        "n": entry.name,
        "p": entry.party_size,
        "t": _iso(entry.checked_in_at),
        "w": entry.walk_in,
    }


def end_of_day(now: datetime) -> datetime:
    """Midnight after ``now`` in Berlin: when the phone forgets the list."""
    return datetime.combine(berlin_today(now) + timedelta(days=1), time(0), tzinfo=BERLIN)


@bp.get("/list.json")
@staff_required
def door_list_json(event_id: int) -> Response:
    """Every confirmed party with its ticket, for the phone to work offline until the end of the day."""
    event = visible_event(event_id)
    now = utcnow()
    response = jsonify(
        event=event.id,
        expires=int(end_of_day(now).timestamp() * 1000),
        entries=[_entry_json(entry) for entry in door_list(event.id)],
        counts=_counts_json(counts(event.id)),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _scans_from(payload: Any) -> list[Scan]:
    """The scans of an upload, or a 400 for anything malformed."""
    items = payload.get("scans") if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > MAX_BATCH:
        abort(400)
    scans = []
    for item in items:
        if not isinstance(item, dict):
            abort(400)
        nonce, ticket, action, at = item.get("nonce"), item.get("ticket"), item.get("action"), item.get("at")
        if not isinstance(nonce, str) or not NONCE.fullmatch(nonce):
            abort(400)
        if not isinstance(ticket, str) or len(ticket) > 64 or action not in ("in", "undo"):
            abort(400)
        scans.append(Scan(nonce=nonce, ticket=ticket, action=ScanAction(action), scanned_at=_moment(at)))
    return scans


def _moment(value: Any) -> datetime | None:
    """An ISO time with its offset as the phone sent it; None when missing or unreadable."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@bp.post("/scans")
@staff_required
def upload(event_id: int) -> Response:
    """Apply a phone's queued scans; each answers with its outcome, and the fresh counts come along."""
    event = visible_event(event_id)
    scans = _scans_from(request.get_json(silent=True))
    results = apply_scans(event.id, scans)
    return jsonify(
        results=[
            {
                "nonce": result.nonce,
                "outcome": result.outcome.value,
                "checked_in_at": _iso(result.checked_in_at),
                "repeated": result.repeated,
            }
            for result in results
        ],
        counts=_counts_json(counts(event.id)),
    )
