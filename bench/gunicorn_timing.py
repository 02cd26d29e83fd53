"""gunicorn's configuration (``gunicorn.conf.py``) plus timing of what a worker does while it holds an event's lock.

Used by ``bench/burst.py --timing``: each worker notes, for every unit of work that took an event's row lock
(``SELECT … FROM events … FOR NO KEY UPDATE``), how long the lock was held (from the lock's statement until the commit
returned), how much of that the database statements took (and which ones), and how long the commit took, and writes
one JSON line per unit to ``$BURST_TIMING_DIR/<pid>.jsonl``. Nothing of the app changes: the listeners sit on
SQLAlchemy's Engine and Session classes.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

_LOCK = re.compile(r"FOR (NO KEY )?UPDATE")
_CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
exec(compile(_CONFIG.read_text(), str(_CONFIG), "exec"))  # noqa: S102 (the project's own configuration file)


def post_fork(server: Any, worker: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    out = Path(os.environ["BURST_TIMING_DIR"]) / f"{os.getpid()}.jsonl"
    state: dict[str, Any] = {}

    def shape(statement: str) -> str:
        words = re.sub(r"\s+", " ", statement).strip()
        table = re.search(r"(?:FROM|INTO|UPDATE) (\w+)", words)
        return f"{words.split(' ', 1)[0]} {table.group(1) if table else ''}".strip()

    @event.listens_for(Engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        state["statement_started"] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        now = time.perf_counter()
        if _LOCK.search(statement) and "FROM events" in statement and "locked_at" not in state:
            state.update(locked_at=now, waited=now - state["statement_started"], sql=0.0, statements={})
            return
        state["last_end"] = now
        if "locked_at" in state:
            took = now - state["statement_started"]
            state["sql"] += took
            key = shape(statement)
            state["statements"][key] = state["statements"].get(key, 0.0) + took

    @event.listens_for(Session, "after_commit")
    def committed(session: Any) -> None:
        if "locked_at" not in state:
            return
        now = time.perf_counter()
        line = {
            "held": now - state["locked_at"],
            "waited": state["waited"],
            "sql": state["sql"],
            "commit": now - state.get("last_end", now),  # the commit, and what the request did before it
            "statements": state["statements"],
        }
        with out.open("a") as file:
            file.write(json.dumps(line) + "\n")
        state.clear()

    @event.listens_for(Session, "after_rollback")
    def rolled_back(session: Any) -> None:
        state.clear()
