"""Mail bodies rendered once for a round of mails that differ only in a few values, then filled in for each mail.

A round of digests composes thousands of mails from the same two templates (text and HTML) in the same language,
for the same town, with the same footer: they differ in the greeting's name, the signed links and the items they
list (each item rendered once for the round). Rendering both templates for each mail is most of the round's time.

A context may hold ``Varying`` values (at any depth of its dicts and lists). Mails of one template and language whose
contexts are equal but for their Varying values (and for whether each of them is true) share a frame: the templates
rendered once with a marker in place of each Varying value, cut at the markers. A mail of that frame is the frame
with each value put in where its marker stood: as it is in the text part, escaped as Jinja escapes it in the HTML
part (a ``Markup`` value, such as a pre-rendered item, as it is). So a Varying value may only be printed (``{{ value
}}``, or as an argument of a translation) or tested for its truth; never changed by a filter, measured or compared.
The first mail of each frame is rendered in full as well and compared with the frame; a frame that does not give
the very same text is dropped and the mails of its shape are rendered in full (and the template is logged). The
other values of the context are compared by equality (rows, which compare by identity, are the same row of the
session): a value that differs from mail to mail and is not Varying gives each mail a frame of its own.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from .headers import header_text


class Varying:
    """A value of a mail's context that differs from mail to mail of a round (a name, a signed link, an item)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Varying({self.value!r})"


class _Slot:
    """Stands in for a Varying value while a frame is rendered: printed (escaped or not) as its marker, true or false
    as the value it stands for."""

    __slots__ = ("marker", "truth")

    def __init__(self, marker: str, truth: bool) -> None:
        self.marker, self.truth = marker, truth

    def __str__(self) -> str:
        return self.marker

    def __html__(self) -> str:
        return self.marker

    def __bool__(self) -> bool:
        return self.truth


@dataclass(frozen=True)
class _Cut:
    """A rendered text cut at the markers: ``pieces[0]``, the value of ``slots[0]``, ``pieces[1]``, …"""

    pieces: tuple[str, ...]
    slots: tuple[int, ...]

    def fill(self, values: list[str]) -> str:
        parts = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            parts.append(values[slot])
            parts.append(piece)
        return "".join(parts)


@dataclass(frozen=True)
class _Frame:
    subject: str | None  # None: the subject shows a varying value and is rendered with each mail
    text: _Cut
    html: _Cut


@dataclass(frozen=True)
class Bodies:
    """What the templates of a mail gave: its subject (one line of header text), its text and its HTML body."""

    subject: str
    text: str
    html: str


def render_block(template_name: str, block: str, context: dict[str, object]) -> str:
    """Render one block of a template, with whitespace collapsed (for subjects)."""
    template = current_app.jinja_env.get_template(template_name)
    rendered = "".join(template.blocks[block](template.new_context(context)))
    return " ".join(html.unescape(rendered).split())


def render_bodies(template: str, context: dict[str, object]) -> Bodies:
    """Render ``templates/email/<template>.txt`` and ``.html`` (its ``subject`` block the subject) in full."""
    return Bodies(
        subject=header_text(render_block(f"email/{template}.html", "subject", context)),
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


# Only dicts, lists and tuples themselves are walked for Varying values; any other value (a subclass of one too) is
# a value of its own.


def plain(value: Any) -> Any:
    """The context with every Varying value in place of its wrapper (containers without one kept as they are)."""
    kind = type(value)
    if kind is Varying:
        return value.value
    if kind is dict:
        items = {key: plain(item) for key, item in value.items()}
        return value if all(items[key] is item for key, item in value.items()) else items
    if kind is list or kind is tuple:
        values = [plain(item) for item in value]
        if all(new is old for new, old in zip(values, value, strict=True)):
            return value
        return values if kind is list else tuple(values)
    return value


def _shape(value: Any, values: list[Any]) -> Hashable:
    """What a frame is made of: the context's values but for the Varying ones, whose values go to ``values``."""
    kind = type(value)
    if kind is Varying:
        values.append(value.value)
        return (Varying, bool(value.value))
    if kind is dict:
        return (dict, tuple([(key, _shape(item, values)) for key, item in value.items()]))
    if kind is list or kind is tuple:
        return (kind, tuple([_shape(item, values) for item in value]))
    return (kind, value)


def _slotted(value: Any, slots: Iterator[_Slot]) -> Any:
    kind = type(value)
    if kind is Varying:
        return next(slots)
    if kind is dict:
        return {key: _slotted(item, slots) for key, item in value.items()}
    if kind is list or kind is tuple:
        return kind(_slotted(item, slots) for item in value)
    return value


_NONE: Any = object()


class Frames:
    """The frames of one round of mails (see the module's description); keep one for the round, not longer."""

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self._marker = re.compile(f"zqslot([0-9]+)x{self._nonce}qz")
        self._frames: dict[Hashable, _Frame | None] = {}

    def bodies(self, template: str, context: dict[str, object], language: str, config: object) -> Bodies:
        """The mail's subject and bodies in ``language``: from its frame, or rendered in full
        (and a frame made of them). ``config`` is the app's configuration, the same for every mail of the round."""
        values: list[Any] = []
        try:
            key: Hashable = (template, language, _shape(context, values))
            hash(key)
        except TypeError:  # a value that cannot be compared (a set, say): no frame
            with force_locale(language):
                return render_bodies(template, {**plain(context), "language": language, "config": config})
        constants = {"language": language, "config": config}
        frame = self._frames.get(key, _NONE)
        if frame is not _NONE and frame is not None:
            return self._fill(frame, template, language, {**context, **constants}, values)
        with force_locale(language):
            bodies = render_bodies(template, {**plain(context), **constants})
            if frame is None:  # of a shape that cannot be made of frames
                return bodies
            frame = self._frame(template, {**context, **constants}, values)
        if frame is not None and self._fill(frame, template, language, {**context, **constants}, values) != bodies:
            current_app.logger.warning("The mail %s cannot be made of frames: it changes a varying value", template)
            frame = None
        self._frames[key] = frame
        return bodies

    def _frame(self, template: str, context: dict[str, object], values: list[Any]) -> _Frame | None:
        slots = iter(_Slot(f"zqslot{number}x{self._nonce}qz", bool(value)) for number, value in enumerate(values))
        slotted = _slotted(context, slots)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        app.update_template_context(slotted)
        environment = app.jinja_env
        subject = render_block(f"email/{template}.html", "subject", slotted)
        text = environment.get_template(f"email/{template}.txt").render(slotted)  # no signal: this is no mail
        body = environment.get_template(f"email/{template}.html").render(slotted)
        return _Frame(
            subject=None if self._marker.search(subject) else header_text(subject),
            text=self._cut(text),
            html=self._cut(body),
        )

    def _cut(self, rendered: str) -> _Cut:
        parts = self._marker.split(rendered)
        return _Cut(pieces=tuple(parts[0::2]), slots=tuple(int(number) for number in parts[1::2]))

    @staticmethod
    def _fill(frame: _Frame, template: str, language: str, context: dict[str, object], values: list[Any]) -> Bodies:
        subject = frame.subject
        if subject is None:
            with force_locale(language):
                subject = header_text(render_block(f"email/{template}.html", "subject", plain(context)))
        return Bodies(
            subject=subject,
            text=frame.text.fill([str(value) for value in values]),
            html=frame.html.fill([value if isinstance(value, Markup) else str(escape(value)) for value in values]),
        )
