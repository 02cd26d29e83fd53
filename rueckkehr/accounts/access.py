"""Who may see what in the organizer workspace: admins every town, organizers their towns; both after the second factor.

Every organizer view of every feature uses these checks (``staff_required``, ``admin_required``, ``require_town``,
``in_visible_towns``), so an organizer of Senftenberg meets a 404 at every object of Finsterwalde.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import safe_next_path
from . import second_factor
from .models import Role, User
from .sessions import TOWNS_OF_USER, log_in

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M")
SECOND_FACTOR_KEY = "rk_second_factor"
PENDING_KEY = "rk_pending_login"


def log_in_staff(user: User) -> None:
    """Log an admin or organizer in after their second factor; the session remembers that it was passed."""
    log_in(user)
    session[SECOND_FACTOR_KEY] = user.get_id()
    session.pop(PENDING_KEY, None)


def start_second_factor(user: User, next_path: str) -> Response:
    """After the password of an admin or organizer: straight in on a remembered device, else to the code (or to
    the enrolment, the first time). Until then nobody is logged in; the session holds only who is on the way."""
    target = safe_next_path(next_path, url_for("organizer.dashboard"))
    if second_factor.is_remembered(user, request.cookies.get(second_factor.REMEMBER_COOKIE)):
        log_in_staff(user)
        return redirect(target, code=303)
    session[PENDING_KEY] = {"user": user.get_id(), "next": target, "at": time.time()}
    step = "organizer_security.challenge" if user.totp_secret else "organizer_security.enrol"
    return redirect(url_for(step), code=303)


def passed_second_factor() -> bool:
    """Whether the logged-in user passed the second factor in this session (for this session version)."""
    return bool(current_user.is_authenticated and session.get(SECOND_FACTOR_KEY) == current_user.get_id())


def staff_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Only admins and organizers who passed the second factor; visitors are sent to log in, others see a 404."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        if not current_user.is_staff or not passed_second_factor():
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Only admins (after the second factor)."""

    @wraps(view)
    @staff_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if current_user.role != Role.ADMIN:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def is_admin() -> bool:
    """Whether the logged-in user is an admin."""
    return bool(current_user.is_authenticated and current_user.role == Role.ADMIN)


def visible_town_ids() -> set[int] | None:
    """The towns the logged-in user works for: None means every town (an admin)."""
    if is_admin():
        return None
    if not current_user.is_authenticated or current_user.role != Role.ORGANIZER:
        return set()
    loaded: tuple[int, frozenset[int]] | None = g.get(TOWNS_OF_USER)  # read with the log-in check
    if loaded is not None and loaded[0] == current_user.id:
        return set(loaded[1])
    return {town.id for town in current_user.towns}  # logged in by this very request


def can_see_town(town_id: int | None) -> bool:
    """Whether the logged-in user may see objects of this town (objects of no town: admins only)."""
    towns = visible_town_ids()
    return towns is None or (town_id is not None and town_id in towns)


def require_town(town_id: int | None) -> None:
    """A 404 unless the logged-in user may see objects of this town."""
    if not can_see_town(town_id):
        abort(404)


def in_visible_towns(column: Any) -> ColumnElement[bool]:
    """A condition on a town id column: true for admins, the user's towns for organizers."""
    towns = visible_town_ids()
    if towns is None:
        return true()
    if not towns:
        return false()
    condition: ColumnElement[bool] = column.in_(sorted(towns))
    return condition


MAX_ID = 2**31 - 1  # larger ids name nothing (and PostgreSQL refuses them in an integer comparison)


def found(model: type[M], object_id: int, options: Sequence[ORMOption] = ()) -> M:
    """The object with this id, or a 404 (``options``: loader options, e.g. what to read in the same statement)."""
    obj = db.session.get(model, object_id, options=options) if 0 < object_id <= MAX_ID else None
    if obj is None:
        abort(404)
    return obj


def found_in_town(
    model: type[M], object_id: int, town_of: Callable[[M], int | None], options: Sequence[ORMOption] = ()
) -> M:
    """The object with this id if it belongs to a visible town, else a 404 (the same answer for both)."""
    obj = found(model, object_id, options)
    if not can_see_town(town_of(obj)):
        abort(404)
    return obj
