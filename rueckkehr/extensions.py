"""Unbound Flask extensions, bound to the app in create_app, the base class of every model, and the session."""

from typing import TYPE_CHECKING, Any

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model, with the naming convention of constraints."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# session.info keys: this unit of work may write (``transactions.begin_writing``), and whether the transaction
# that is open reads without one (set by ``transactions`` when it takes its connection)
WRITING = "rueckkehr_writing"
READING = "rueckkehr_reading"


class Session(FlaskSession):
    """``db.session``: on PostgreSQL, a request that may not change anything reads without a transaction.

    GET, HEAD and OPTIONS never change state, and at PostgreSQL's READ COMMITTED every statement reads a snapshot of
    its own whether a transaction is open or not; so such a request's connection runs in autocommit and saves the
    two round trips of ``BEGIN`` and ``ROLLBACK`` (a fifth of the database's part of a page like the workspace's
    registration list). Such a request that tries to write is refused (``transactions``), so nothing is committed
    by accident; work that writes on purpose says so first (``transactions.begin_writing``). SQLite keeps its
    transactions, which cost no round trip. A transaction keeps the connection it began with; a statement that
    streams its rows through a server-side cursor (an export, the figures) needs a transaction, and reads on a
    transactional connection (a second one when the request has read already), which the request's end rolls back.
    """

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: Engine | Connection | None = None,
        **kwargs: Any,
    ) -> Engine | Connection:
        """The engine of the bind key; a GET's reads on PostgreSQL get it in autocommit."""
        chosen = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if bind is not None or not isinstance(chosen, Engine) or chosen.dialect.name != "postgresql":
            return chosen
        if _streams(clause):  # a server-side cursor lives in a transaction: a connection of its own if need be
            return chosen
        reading = self.info.get(READING)
        if reading is None:  # no connection taken yet: a request that may not write reads without a transaction
            reading = has_request_context() and request.method in SAFE_METHODS and not self.info.get(WRITING)
        return _autocommit(chosen) if reading else chosen


def _streams(clause: Any) -> bool:
    """Whether the statement reads its rows through a server-side cursor (``yield_per``, ``stream_results``)."""
    options = clause.get_execution_options() if hasattr(clause, "get_execution_options") else {}
    return bool(options.get("yield_per") or options.get("stream_results"))


def _autocommit(engine: Engine) -> Engine:
    """``engine`` with its connections in autocommit (the same pool; the isolation level is put back on return),
    made once per engine."""
    autocommit: Engine | None = engine.__dict__.get("rueckkehr_autocommit")
    if autocommit is None:
        autocommit = engine.__dict__["rueckkehr_autocommit"] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return autocommit


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})

# Models subclass ``Model``: at run time Flask-SQLAlchemy's ``db.Model`` (a copy of ``Base`` with its extras), for
# the type checker ``Base`` itself, since an attribute of an instance cannot name a base class.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
