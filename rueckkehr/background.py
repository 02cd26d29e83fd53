"""Work that runs after the commit and outside the answer: a Celery worker with a broker, else a thread, or at once.

A feature registers a function under a name (``@task("mail.deliver")``) and calls ``submit(name, *args)`` inside
its unit of work. Nothing happens unless that unit commits; then the work is handed on:

- ``CELERY_BROKER_URL`` set: as the Celery task ``rueckkehr.background.run`` with ``(name, *args)``; a worker
  (``celery -A rueckkehr.celery_worker worker``) runs it.
- else ``BACKGROUND_EAGER`` true (the test configuration): synchronously, right after the commit.
- else (the embedded default): in a request, in one daemon thread with its own application context, so the
  answer does not wait; outside a request (a command, a job, another task), at once, so a command has done its
  work before it returns.

Work that does "whatever is due" (mail delivery with a broker) is handed on with ``hand_on_once(name)``: while a
run of it is queued and has not started, handing it on again queues nothing more (a flag in Redis per task and
queue, set with the run queued and cleared as the run starts, so a run sees all that was committed before it
started). A burst of registrations then costs the worker a few runs that each deliver many mails over one
connection, not a run, a connection and two commits per mail.

The work was committed before it is handed on, and handing it on never undoes or breaks that: a broker that cannot
be reached or a task that fails is logged, and whatever the task should have done stays to be done (a mail stays
queued in the outbox for ``flask jobs run``). Each task opens its own unit of work and runs in the system's name.
Arguments are plain ints and strings, so they cross the broker as they are.
"""

from __future__ import annotations

import atexit
import contextvars
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from celery import shared_task
from flask import Flask, current_app, has_request_context

from .actors import acting_as, system
from .extensions import db
from .transactions import after_commit, has_uncommitted_writes

F = TypeVar("F", bound=Callable[..., Any])
Arg = int | str
CELERY_TASK = "rueckkehr.background.run"
CELERY_ONCE_TASK = "rueckkehr.background.run_once"
PENDING_SECONDS = 300  # a flag whose run never started (a lost message, no worker) stops holding runs back then
_TASKS: dict[str, Callable[..., Any]] = {}
_THREADS = "rueckkehr.background_threads"


def task(name: str) -> Callable[[F], F]:
    """Register a function (plain args: int/str) as a background task under ``name``."""

    def register(function: F) -> F:
        if _TASKS.get(name, function) is not function:
            raise ValueError(f"the background task {name!r} is registered twice")
        _TASKS[name] = function
        return function

    return register


def submit(name: str, *args: Arg) -> None:
    """Run the task soon, after the current transaction commits (see the module's description for how)."""
    if name not in _TASKS:
        raise KeyError(f"no background task is registered as {name!r}")
    after_commit(hand_on, (name, args))


def run(name: str, *args: Arg) -> Any:
    """Run one registered task in the system's name (in the worker, the thread or after the commit).

    The task opens its own unit of work (``transactions.unit_of_work``) and commits once; it is not wrapped in one
    here, so a task that only reads, or one made of several short units as mail delivery is, takes SQLite's write
    lock only when it writes. Changes a task leaves uncommitted are rolled back and reported, never committed.
    """
    with acting_as(system(f"task {name}")):
        try:
            result = _TASKS[name](*args)
        except BaseException:
            db.session.rollback()
            raise
    left_over = has_uncommitted_writes()
    db.session.rollback()  # ends the task's last read snapshot
    if left_over:
        raise RuntimeError(f"the background task {name!r} left changes uncommitted; it must commit its own work")
    return result


@shared_task(name=CELERY_TASK)
def run_in_worker(name: str, *args: Arg) -> Any:
    """The Celery task: run a registered background task inside the worker's application context."""
    return run(name, *args)


@shared_task(name=CELERY_ONCE_TASK)
def run_once_in_worker(name: str) -> Any:
    """The Celery task of ``hand_on_once``: clear the task's flag, then run it (so what is committed from now on is
    either seen by this run or hands on a new one)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    _pending_flags(app).delete(_flag(app, name))
    return run(name)


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def can_hand_on_once() -> bool:
    """Whether ``hand_on_once`` works here: a Celery broker on Redis, which keeps the flags of queued runs."""
    return str(current_app.config.get("CELERY_BROKER_URL") or "").startswith(REDIS_SCHEMES)


def hand_on_once(name: str, gather: float = 0.0) -> None:
    """After the commit: run the task ``name`` (which takes no arguments and does whatever is due) soon, in the
    Celery worker; queue no second run while one is queued and has not started. Needs a broker on Redis
    (``can_hand_on_once``); if the run cannot be queued, the flag goes again, so the next commit tries anew.

    :param gather: seconds the run waits before it starts, so that what commits meanwhile goes with it (a worker
        that keeps up would otherwise start a run for every unit).
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    flagged = False
    try:
        flagged = bool(_pending_flags(app).set(_flag(app, name), "1", nx=True, ex=PENDING_SECONDS))
        if flagged:
            app.extensions["celery"].send_task(CELERY_ONCE_TASK, args=(name,), countdown=gather or None)
    except Exception:  # the broker is down: what was committed stays committed, and `flask jobs run` does it
        app.logger.exception("Could not hand the background task %s to Celery", name)
        if flagged:  # no run is queued after all: the flag must not hold the next commit's back
            try:
                _pending_flags(app).delete(_flag(app, name))
            except Exception:  # Redis itself is gone; the flag runs out after PENDING_SECONDS
                app.logger.exception("Could not clear the flag of the background task %s", name)


def _flag(app: Flask, name: str) -> str:
    return f"rueckkehr:pending:{app.config.get('CELERY_QUEUE', 'rueckkehr')}:{name}"


def _pending_flags(app: Flask) -> redis.Redis:
    """The broker's Redis, for the flags of queued runs (one client per app and process)."""
    client = app.extensions.get("rueckkehr.pending_flags")
    if client is None:
        client = redis.Redis.from_url(app.config["CELERY_BROKER_URL"], socket_timeout=2, socket_connect_timeout=2)
        app.extensions["rueckkehr.pending_flags"] = client
    return client


def hand_on(submitted: list[tuple[str, tuple[Arg, ...]]]) -> None:
    """After the commit: send every task the transaction submitted to Celery, or run them here.

    Called by ``submit``'s commit; call it directly only for work whose rows were committed already (the outbox
    learns its rows' ids only from the commit that stores them all at once).
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("CELERY_BROKER_URL"):
        _send_to_celery(app, submitted)
    elif has_request_context() and not app.config.get("BACKGROUND_EAGER"):
        in_thread(_run_all, submitted)
    elif has_request_context():  # eager in a request: as the thread would run it, outside the request
        contextvars.Context().run(_in_app_context, app, submitted)
    else:
        _run_all(submitted)


def _in_app_context(app: Flask, submitted: list[tuple[str, tuple[Arg, ...]]]) -> None:
    with app.app_context():
        _run_all(submitted)


def _send_to_celery(app: Flask, submitted: list[tuple[str, tuple[Arg, ...]]]) -> None:
    celery = app.extensions["celery"]
    for name, args in submitted:
        try:
            celery.send_task(CELERY_TASK, args=(name, *args))
        except Exception:  # the broker is down: what was committed stays committed
            app.logger.exception("Could not hand the background task %s%r to Celery", name, args)


def _run_all(submitted: list[tuple[str, tuple[Arg, ...]]]) -> None:
    for name, args in submitted:
        try:
            run(name, *args)
        except Exception:
            current_app.logger.exception("The background task %s%r failed", name, args)


def in_thread(function: Callable[..., Any], *args: Any) -> None:
    """Run ``function`` in a daemon thread with its own application context; log what goes wrong."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def work() -> None:
        with app.app_context():
            try:
                function(*args)
            except Exception:
                app.logger.exception("Background work (%s) failed", getattr(function, "__name__", function))

    thread = threading.Thread(target=work, name="background", daemon=True)
    threads: list[threading.Thread] = app.extensions.setdefault(_THREADS, [])
    threads[:] = [running for running in threads if running.is_alive()]
    threads.append(thread)
    thread.start()


def wait_for_background_threads(app: Flask, timeout: float = 30.0) -> None:
    """Wait until the threads this app started for background work have finished."""
    for thread in list(app.extensions.get(_THREADS, [])):
        thread.join(timeout)


def finish_background_threads_at_exit(app: Flask, timeout: float = 10.0) -> None:
    """When the process stops (a worker restarting), let background threads (a mail being delivered) finish first.

    Daemon threads are stopped only after the exit handlers ran. Without this, a mail cut off mid-delivery stays
    claimed until its lease runs out and is sent a few minutes late.
    """
    reference = weakref.ref(app)

    def finish() -> None:
        if (alive := reference()) is not None:
            wait_for_background_threads(alive, timeout)

    atexit.register(finish)


def init_app(app: Flask) -> None:
    """Let background threads finish when the process stops."""
    app.config.setdefault("BACKGROUND_EAGER", False)
    finish_background_threads_at_exit(app)
