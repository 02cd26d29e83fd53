"""Mail headers that hold only what the app put there: text from users is made safe before it reaches one, and
every composed message is read back and checked before it is queued.

Some Python versions decode an RFC 2047 encoded word (``=?utf-8?q?=0D=0A…?=``) in a header value into a real line
break when they write the header, so a first name could add a ``Reply-To`` or end the headers early. So the app
never lets the email package parse and refold such text: names and subjects lose control and line-separator
characters, the ``=?`` that opens an encoded word is broken up, and the app encodes them itself as UTF-8 encoded
words on short lines (``encoded_text``, ``encoded_address``), which the package writes as they are. The message is
then parsed back as a mail client would, and refused unless it has exactly the headers that were set, each once,
none with a line break.
"""

from __future__ import annotations

import re
import unicodedata
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage

MAX_NAME_LENGTH = 120
MAX_SUBJECT_LENGTH = 250
_ENCODED_WORD_START = re.compile(r"=\s*\?")
_LINE_BREAKS = {"\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


class UnsafeMailError(RuntimeError):
    """A composed mail whose headers are not exactly the ones the app set (never sent, never queued)."""


def header_text(value: str | None, max_length: int = MAX_SUBJECT_LENGTH) -> str:
    """Text that may stand in a header: no control or line-separator characters, no encoded-word opener, one line,
    at most ``max_length`` characters."""
    text = "".join(
        " " if char in _LINE_BREAKS or unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in unicodedata.normalize("NFC", value or "")
    )
    text = _ENCODED_WORD_START.sub("= ?", text)
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def encoded_text(text: str) -> str:
    """Header text as UTF-8 encoded words on lines short enough that no writer refolds them."""
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


def checked_bytes(message: EmailMessage) -> bytes:
    """The message as it will be sent, after reading it back as a receiving client would: UnsafeMailError unless it
    has exactly the headers the app set (each allowed, each once, on one logical line, with the value that was set)
    and its body is still the body."""
    raw = message.as_bytes()  # writing it gives a multipart message its boundary, so it is part of what is compared
    expected = {name.lower(): str(value) for name, value in message.items()}
    if len(expected) != len(message.keys()) or not set(expected) <= ALLOWED_HEADERS:
        raise UnsafeMailError(f"headers that were not meant: {sorted(message.keys())}")
    parsed = message_from_bytes(raw, policy=policy.SMTP)
    names = [name.lower() for name in parsed]
    if sorted(names) != sorted(expected):
        raise UnsafeMailError(f"the mail reads back with headers {sorted(names)}, not {sorted(expected)}")
    for name, value in expected.items():
        found = str(parsed[name])
        if any(char in found for char in _LINE_BREAKS) or found != value:
            raise UnsafeMailError(f"{name} reads back as {found!r}, not {value!r}")
    if parsed.get_content_type() != message.get_content_type() or len(list(parsed.walk())) != len(list(message.walk())):
        raise UnsafeMailError("the body does not read back as the one composed")
    return raw
