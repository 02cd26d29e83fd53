"""What the returnees package tells the packages above it (registrations, and later matching), through signals.

A lower package never imports a higher one; it sends a signal, and whoever keeps data about a profile answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace

_signals = Namespace()

profile_erasure_starting = _signals.signal(
    "profile-erasure-starting",
    doc="""A profile is about to be erased and nothing of it has changed yet. Sender: the profile; keyword ``now``.
    Receivers keep what must outlive the erasure and hold nothing personal (the figures of past events).""",
)
profile_erasing = _signals.signal(
    "profile-erasing",
    doc="""A profile's data is about to be erased, inside the erasure's transaction. Sender: the profile; keyword
    ``now``. Receivers free what the profile holds (seats) and tell whom they must, before the data goes.""",
)
profile_renamed = _signals.signal(
    "profile-renamed",
    doc="""A profile's first or last name changed, inside the change's transaction. Sender: the profile.
    Receivers update what they keep of the name (the registrations' sort names).""",
)
profile_export = _signals.signal(
    "profile-export",
    doc="""A returnee downloads their data. Sender: the profile; a receiver returns a dict of further sections
    (e.g. ``{"registrations": [...]}``) with JSON-ready values.""",
)
readable_export = _signals.signal(
    "readable-export",
    doc="""A returnee reads their data export as a page. Sender: the profile; a receiver returns a
    ``ReadableSection`` (or a list of them) with labels and values in the current language.""",
)
selfservice_sections = _signals.signal(
    "selfservice-sections",
    doc="""The self-service overview is being shown. Sender: the profile; keyword ``token``: its link's token.
    A receiver returns a ``Section`` (or a list of them) to show on the page.""",
)


@dataclass(frozen=True)
class Section:
    """A part of the self-service overview that a package above adds: a template and its values, in an order."""

    order: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadableSection:
    """A part of the readable data export: a heading and its labelled values, in an order."""

    order: int
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
