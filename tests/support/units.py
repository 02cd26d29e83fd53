"""Running an operation as its own unit of work, as a request, a CLI command or a job would."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from rueckkehr.transactions import unit_of_work

P = ParamSpec("P")
R = TypeVar("R")


def committed(operation: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``operation`` in one unit of work (committed, its mails handed to delivery) and return its result."""
    with unit_of_work():
        return operation(*args, **kwargs)
