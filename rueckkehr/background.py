"""Work that runs beside the request, after its transaction commits: through Celery when a broker is configured,
otherwise in a daemon thread of the app (synchronously with ``BACKGROUND_EAGER``, as the tests run it).

A task gets its own application context and no request, opens its own transactions and commits them itself.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from celery import shared_task
from flask import Flask, current_app

from .transactions import after_commit

F = TypeVar("F", bound=Callable[..., Any])
_TASKS: dict[str, Callable[..., Any]] = {}


def task(name: str) -> Callable[[F], F]:
    """Register a function (plain args: int/str) as a background task under `name`."""

    def register(function: F) -> F:
        _TASKS[name] = function
        return function

    return register


def submit(name: str, *args: int | str) -> None:
    """Run the task soon, after the current transaction commits (forgotten if it rolls back)."""
    if name not in _TASKS:
        raise KeyError(f"no background task named {name!r}")
    after_commit(_start, (name, args))


def _start(items: list[tuple[str, tuple[int | str, ...]]]) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    for name, args in items:
        if app.config.get("CELERY_BROKER_URL"):
            run.delay(name, *args)
        elif app.config.get("BACKGROUND_EAGER"):
            contextvars.Context().run(_in_app, app, name, args)  # as in a thread: no request around it
        else:
            threading.Thread(target=_in_app, args=(app, name, args), daemon=True).start()


def _in_app(app: Flask, name: str, args: tuple[int | str, ...]) -> None:
    with app.app_context():
        _TASKS[name](*args)


@shared_task(name="rueckkehr.background.run")
def run(name: str, *args: int | str) -> None:
    """The Celery task that runs a registered background task."""
    _TASKS[name](*args)
