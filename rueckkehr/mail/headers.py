"""Mail headers that hold only what the app put there: text from users is made safe before it reaches one, and every
header line is checked before the message is written.

Some Python versions decode an RFC 2047 encoded word (``=?utf-8?q?=0D=0A…?=``) in a header value into a real line
break when they write the header, so a first name could add a ``Reply-To`` or end the headers early. So the app
never lets the email package parse and refold such text: names and subjects lose control and line-separator
characters, the ``=?`` that opens an encoded word is broken up, and the app encodes them itself as UTF-8 encoded
words on short lines (``encoded_text``, ``encoded_address``). The app then writes the header block itself
(``header_block``): only allowed names, each once, each value printable ASCII whose only line breaks are the folds
the encoder made (a line break followed by a space), so the bytes hold exactly the headers that were set and a mail
client reads exactly those.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from email.charset import Charset
from email.header import Header
from functools import lru_cache

MAX_NAME_LENGTH = 120
MAX_SUBJECT_LENGTH = 250
_ENCODED_WORD_START = re.compile(r"=\s*\?")
_LINE_BREAKS = {"\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


class UnsafeMailError(RuntimeError):
    """A composed mail whose headers are not exactly the ones the app set (never sent, never queued)."""


def header_text(value: str | None, max_length: int = MAX_SUBJECT_LENGTH) -> str:
    """Text that may stand in a header: no control or line-separator characters, no encoded-word opener, one line,
    at most ``max_length`` characters."""
    text = value or ""
    if not (text.isascii() and text.isprintable()):  # printable ASCII has none of them and is NFC already
        text = "".join(
            " " if char in _LINE_BREAKS or unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
            for char in unicodedata.normalize("NFC", text)
        )
    text = _ENCODED_WORD_START.sub("= ?", text)
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


_UTF8 = Charset("utf-8")
_ONE_WORD = 72  # an encoded word this short is what Header writes on one line of 76 (longer ones it may split)


@lru_cache(maxsize=1024)
def encoded_text(text: str) -> str:
    """Header text as UTF-8 encoded words on lines short enough that no writer refolds them (a subject that every
    mail of a round shares is encoded once; a short name is one encoded word, written without Header's folding)."""
    word = _UTF8.header_encode(text)
    if len(word) <= _ONE_WORD:
        return word
    return Header(text, "utf-8", maxlinelen=76).encode(linesep="\r\n")


def encoded_address(email: str, name: str | None) -> str:
    """An address header value: the display name as encoded words, then the (checked) bare address."""
    return f"{encoded_text(name)} <{email}>" if name else email


# Every header a mail of the app may carry at its top level.
ALLOWED_HEADERS = frozenset(
    name.lower()
    for name in (
        "Subject",
        "From",
        "To",
        "Reply-To",
        "Date",
        "Message-ID",
        "Auto-Submitted",
        "Content-Language",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
    )
)


_FOLD = "\r\n"


def checked_header(name: str, value: str) -> str:
    """One header line as it will be written (``Name: value`` with CRLF), or UnsafeMailError: the name must be
    allowed, and the value printable ASCII on lines that each continue the header (a fold begins with a space), so
    the line can only ever be read as this one header with this value."""
    if name.lower() not in ALLOWED_HEADERS or not name.isascii() or not name.replace("-", "").isalpha():
        raise UnsafeMailError(f"a header that was not meant: {name!r}")
    for number, line in enumerate(value.split(_FOLD)):
        if not line.isascii() or not line.isprintable():  # no CR, LF, NUL, other controls or non-ASCII text
            raise UnsafeMailError(f"{name} holds a character no header may hold: {value!r}")
        if number and (not line.startswith(" ") or not line.strip()):
            raise UnsafeMailError(f"{name} would be read as more than one header: {value!r}")
    return f"{name}: {value}{_FOLD}"


def header_block(headers: Iterable[tuple[str, str]]) -> bytes:
    """The header block of a message, ending in the empty line: every header checked (``checked_header``), none
    twice."""
    lines, seen = [], set()
    for name, value in headers:
        if name.lower() in seen:
            raise UnsafeMailError(f"{name} twice")
        seen.add(name.lower())
        lines.append(checked_header(name, value))
    return ("".join(lines) + _FOLD).encode("ascii")
