"""The ticket of a registration: a random check-in secret, shown as a QR code, with its short code printed below.

The secret names nothing about the person; it is 32 characters of Crockford's base32 (160 bits), so it cannot be
guessed, and a QR code of it stays small (alphanumeric mode). Its first eight characters are the short code that is
typed at the door when the QR code will not scan. Cancelling gives the registration a new secret, so an old mail's
ticket no longer lets anyone in.
"""

from __future__ import annotations

import io
import re
import secrets

import segno
from markupsafe import Markup

from ..mail.outbox import Attachment

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
SECRET_LENGTH = 32
CODE_LENGTH = 8
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people read wrongly off a printout
_VALID = re.compile(f"[{ALPHABET}]+")


def new_ticket_secret() -> str:
    """A fresh, unguessable check-in secret."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def short_code(secret: str) -> str:
    """The code printed under the QR code, in two groups of four (``7K3M-Q9TX``)."""
    code = secret[:CODE_LENGTH]
    return f"{code[:4]}-{code[4:]}"


def normalized_ticket(typed: str) -> str | None:
    """What was scanned or typed, as a secret or a short code without its hyphen; None if it can be neither."""
    cleaned = re.sub(r"[\s\-]", "", typed.upper()).translate(_TYPED)
    if len(cleaned) not in (CODE_LENGTH, SECRET_LENGTH) or not _VALID.fullmatch(cleaned):
        return None
    return cleaned


def ticket_svg(secret: str) -> Markup:
    """The QR code of a secret as inline SVG (no inline style, no request)."""
    svg = segno.make(secret, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)  # noqa: S704 (segno writes the SVG; the secret is base32 only)


def ticket_png(secret: str) -> bytes:
    """The QR code of a secret as a PNG, large enough to scan off a phone's screen."""
    buffer = io.BytesIO()
    segno.make(secret, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def ticket_attachment(secret: str) -> Attachment:
    """The QR code as the mail's ``ticket.png``."""
    return Attachment(filename="ticket.png", content_type="image/png", data=ticket_png(secret))
