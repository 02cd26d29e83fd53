"""The public town pages: /towns and /towns/<slug>."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..employers.board_queries import BoardFilter, search_board
from ..employers.rendering import render_markdown
from ..events.queries import EventFilter, all_towns, list_events, town_by_slug

bp = Blueprint("towns", __name__, url_prefix="/towns")

SECTIONS = ("page_work", "page_housing", "page_childcare", "page_leisure")


@bp.get("")
def index() -> str:
    """The six towns."""
    return render_template("towns/index.html", towns=all_towns())


@bp.get("/<slug>")
def detail(slug: str) -> str:
    """Living and working in one town; its contact person; its coming events and vacancies."""
    town = town_by_slug(slug) or abort(404)
    return render_template(
        "towns/detail.html",
        town=town,
        intro=render_markdown(town.page_intro),
        sections={name: render_markdown(getattr(town, name)) for name in SECTIONS if getattr(town, name).strip()},
        events=list_events(EventFilter(town=town)),
        board=search_board(BoardFilter(town=town)),
    )
