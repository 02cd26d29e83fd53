"""Finding German on an English page or in an English mail, from the outside: any German message id of the
catalogue (whose English differs) that shows up in what a reader sees is a failure.

A page is read as a reader meets it: its text nodes and the attributes that are read out or shown (labels of
option groups, aria-label, title, placeholder, alt, the meta description), without scripts, styles and whatever
is marked as another language (the language switch's "Deutsch" is German on purpose). A one-word message id must
stand alone in a text node ("Vorname", "(Pflichtfeld)"); a longer one may stand anywhere, its placeholders
matching any text ("Guten Tag %(name)s," matches "Guten Tag Jana Müller,").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parents[2] / "rueckkehr" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "label"}
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PUNCTUATION = " \t\n:()·–,.;!?*„“\"'"


class _Reader(HTMLParser):
    """Collects what a reader sees and hears of a page."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.texts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from this language's reader)

    @property
    def skipping(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other_language = bool(values.get("lang")) and values.get("lang") != self.language and tag != "html"
        hidden = tag in SKIPPED_ELEMENTS or other_language
        if not (self.skipping or hidden):
            self.texts.extend(str(values[name]) for name in READ_ATTRIBUTES if values.get(name))
            if tag == "meta" and values.get("name") == "description" and values.get("content"):
                self.texts.append(str(values["content"]))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def _forms(value: object) -> tuple[str, ...]:
    """The singular and plural forms of a message id or string."""
    return tuple(value) if isinstance(value, (tuple, list)) else (str(value),)


def readable_texts(html: str, language: str = "en") -> list[str]:
    """The texts of an HTML document that a reader of ``language`` meets."""
    reader = _Reader(language)
    reader.feed(html)
    reader.close()
    return reader.texts


@dataclass
class GermanMessages:
    """The catalogue's German message ids that an English reader must never meet."""

    words: set[str] = field(default_factory=set)
    phrases: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    @classmethod
    def from_catalog(cls, path: Path = CATALOG) -> GermanMessages:
        """Every message id whose English is something else (proper names and numbers stay as they are), unless it
        is also the English of another message ("Start" is German for "Home" and English for "Beginn")."""
        with path.open("rb") as handle:
            catalog = [message for message in read_po(handle, locale="en") if message.id]
        english = {string for message in catalog for string in _forms(message.string)}
        found = cls()
        for message in catalog:
            for german in _forms(message.id):
                if german in english or not re.search(r"[A-Za-zÄÖÜäöüß]{3}", PLACEHOLDER.sub("", german)):
                    continue
                found.add(german)
        return found

    def add(self, german: str) -> None:
        """Watch for one message id."""
        if PLACEHOLDER.search(german) is None and " " not in german.strip():
            self.words.add(german.strip(PUNCTUATION))
            return
        literal_parts = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(german)]
        body = r".{1,300}?".join(part for part in literal_parts)
        pattern = re.compile(r"(?<![\w])" + body.strip() + (r"(?![\w])" if german.rstrip()[-1:].isalnum() else ""))
        self.phrases.append((german, pattern))

    def in_texts(self, texts: list[str]) -> list[str]:
        """The German message ids found in these texts (each text a node or an attribute, in order)."""
        found = [text.strip(PUNCTUATION) for text in texts if text.strip(PUNCTUATION) in self.words]
        joined = " ".join(texts)
        found.extend(german for german, pattern in self.phrases if pattern.search(joined))
        return sorted(set(found))

    def in_html(self, html: str) -> list[str]:
        """The German message ids an English reader meets in an HTML page or mail part."""
        return self.in_texts(readable_texts(html))

    def in_text(self, text: str) -> list[str]:
        """The German message ids in a plain text (a mail's text part or subject), line by line for the words."""
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        return self.in_texts(lines)
