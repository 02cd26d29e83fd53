"""Reading pages as a visitor does: the visible text of a response."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit


def visible_text(response: object) -> str:
    """The page's text without tags, with whitespace collapsed."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def without_form_tokens(html: str) -> str:
    """A page with the values of its CSRF tokens blanked: a token carries the second it was signed, so the same page
    asked for twice differs in it when a second turns between the two."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)


def form_value(response: object, name: str) -> str:
    """The value the page's form holds for the field ``name`` ("" when the page has no such field)."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return unescape(found.group(1)) if found else ""


def table_column(html: str, column: int) -> list[str]:
    """The visible text of one column of a page's table, a row each (rows without that cell left out): what a
    reader finds under a heading, not anywhere on the page (a filter's options list every name too)."""
    found = []
    for row in re.findall(r'<tr class="kern-table__row">(.*?)</tr>', html, re.S):
        values = re.findall(r'<td class="kern-table__cell">(.*?)</td>', row, re.S)
        if len(values) > column:
            found.append(" ".join(unescape(re.sub(r"<[^>]+>", " ", values[column])).split()))
    return found


class _GetForms(HTMLParser):
    """The GET forms of a page (a form without ``method`` is one) and the fields each sends unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = [] if found.get("method", "get").lower() == "get" else None
            if self._fields is not None:
                self.forms.append((found.get("action", ""), self._fields))
        elif self._fields is None or "disabled" in found:
            return
        elif tag == "input" and found.get("name"):
            kind = found.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self._fields.append((found["name"], found.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and found.get("name"):
            self._select = (found["name"], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append((found.get("value", ""), "selected" in found))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select is not None and self._fields is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected][-1:] or [value for value, _ in options[:1]]
            self._fields.extend((name, value) for value in chosen)
            self._select = None


def get_form(response: object, action: str) -> list[tuple[str, str]]:
    """The fields a browser sends with the page's GET form whose action is the path ``action``, nothing changed.

    A browser sends them as the whole query of the action's path: whatever query the action had is dropped.
    """
    parser = _GetForms()
    parser.feed(response.get_data(as_text=True))  # type: ignore[attr-defined]
    paths = [urlsplit(target).path for target, _ in parser.forms]
    assert action in paths, f"no GET form sends to {action}: {paths}"
    return parser.forms[paths.index(action)][1]
