"""Reading pages as a visitor does: the visible text of a response."""

from __future__ import annotations

import re
from html import unescape


def visible_text(response: object) -> str:
    """The page's text without tags, with whitespace collapsed."""
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
