"""Home page, legal pages, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_babel import get_locale
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ..events.queries import all_towns, next_returnee_days
from ..events.signals import event_list
from ..events.views import contributions
from ..extensions import db
from ..i18n import safe_next_path, without_language

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    """The next Rückkehrertage, the towns, why come back, and the way to register."""
    events = next_returnee_days()
    return render_template("public/home.html", **contributions(event_list, events), events=events, towns=all_towns())


def render_legal(name: str) -> str:
    """Render a legal text in the visitor's language; the operator edits them under templates/legal/."""
    return render_template([f"legal/{get_locale()}/{name}.html", f"legal/de/{name}.html"])


@bp.get("/impressum")
def imprint() -> str:
    """Impressum according to § 5 DDG."""
    return render_legal("impressum")


@bp.get("/datenschutz")
def privacy() -> str:
    """Datenschutzerklärung."""
    return render_legal("datenschutz")


@bp.get("/barrierefreiheit")
def accessibility() -> str:
    """Erklärung zur Barrierefreiheit after the EU model statement."""
    return render_legal("barrierefreiheit")


@bp.post("/sprache")
def set_language() -> Response:
    """Remember the chosen language and return to the page the visitor came from (without a ``lang`` parameter
    it may carry, which would overrule the choice)."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    return redirect(without_language(safe_next_path(request.form.get("next"))), code=303)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok"), 200
