"""Reading pages as a visitor does: the visible text of a response."""

from __future__ import annotations

import re
from html import unescape


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
