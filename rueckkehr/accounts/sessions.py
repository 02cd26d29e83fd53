"""Log-in sessions kept on the server: a cookie copied before logout opens nothing afterwards.

The session cookie holds a random key whose hash is a row here; logging out deletes that row, "log out
everywhere" (and a password reset) deletes every row of the user and raises their session version. A row lives at
most ``LOGIN_SESSION_DAYS``; a daily job removes older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast

from flask import current_app, g, session
from flask_login import login_user
from sqlalchemy import ForeignKey, String, bindparam, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .. import actors
from ..actors import acting_as
from ..audit.operations import record
from ..database import UTCDateTime, rows_changed
from ..dates import utcnow
from ..extensions import Model, db
from .models import User, organizer_towns

SESSION_KEY = "login_key"


class LoginSession(Model):
    """One logged-in browser of a user."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User) -> None:
    """Remember a new log-in of ``user`` on the server and put its key into this browser's session cookie."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    session[SESSION_KEY] = key
    with acting_as(actors.user(user.id, user.role.value)):  # the password (and code) just proved who it is
        record("user.logged_in", user, changes={"role": user.role.value})


def log_in(user: User) -> None:
    """Log ``user`` in on this browser: a server-side session and Flask-Login's cookie."""
    start_session(user)
    login_user(user)


def end_session(user: User | None) -> None:
    """Forget this browser's log-in on the server (the cookie's key no longer opens anything)."""
    key = session.pop(SESSION_KEY, None)
    if key is not None and user is not None:
        rows_changed(delete(LoginSession).where(LoginSession.key_hash == _hash(str(key))))
        record("user.logged_out", user)


def end_all_sessions(user: User) -> int:
    """Log ``user`` out in every browser; return how many sessions there were."""
    ended = rows_changed(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.session_version += 1
    record("user.logged_out_everywhere", user, changes={"sessions": ended})
    return ended


# The towns an organizer works for, as "3,5": read with the log-in check, since every workspace page of an
# organizer asks for them (``access.visible_town_ids``), which cost a round trip of its own.
_TOWN_IDS = (
    select(func.aggregate_strings(organizer_towns.c.town_id.cast(String), ","))
    .where(organizer_towns.c.user_id == User.id)
    .scalar_subquery()
)
# Built once: every request of a logged-in person runs it, and building the statement cost a third of running it.
_LIVE_USER = (
    select(User, _TOWN_IDS)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.session_version == bindparam("version"),
        LoginSession.key_hash == bindparam("key_hash"),
        LoginSession.created_at > bindparam("oldest", type_=UTCDateTime),
    )
)
TOWNS_OF_USER = "rueckkehr_towns_of_user"  # flask.g: (user id, town ids) of the user ``load_user`` loaded


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the user of the cookie, if its session version and its server-side session are live
    (one statement: every request of a logged-in person runs it), with the ids of their towns (``flask.g``)."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > 2**31 - 1:
        return None
    key = session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    oldest = utcnow() - timedelta(days=current_app.config["LOGIN_SESSION_DAYS"])
    parameters = {"user_id": int(user_id), "version": int(version), "key_hash": _hash(key), "oldest": oldest}
    row = db.session.execute(_LIVE_USER, parameters).first()
    if row is None:
        return None
    user, town_ids = row
    towns = frozenset(int(town_id) for town_id in town_ids.split(",")) if town_ids else frozenset()
    setattr(g, TOWNS_OF_USER, (user.id, towns))
    return cast(User, user)


def purge_old_sessions(now: datetime | None = None) -> int:
    """Delete sessions older than ``LOGIN_SESSION_DAYS``; the daily job. Returns how many."""
    oldest = (now or utcnow()) - timedelta(days=current_app.config["LOGIN_SESSION_DAYS"])
    return rows_changed(delete(LoginSession).where(LoginSession.created_at <= oldest))
