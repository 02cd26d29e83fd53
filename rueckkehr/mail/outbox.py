"""Compose mails from templates in the recipient's language and queue them in the outbox.

Queuing adds a row to the current transaction: the mail exists exactly when the change that caused it was
committed. Delivery happens after the commit (``dispatch.hand_over_committed`` hands the new rows to
``background``, then ``delivery``).
"""

from __future__ import annotations

import base64
import email.policy
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import MIMEPart
from email.utils import format_datetime, make_msgid
from functools import lru_cache

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect, select

from ..addresses import clean_address
from ..extensions import db
from ..places.models import Town
from ..transactions import after_commit
from ..urls import site_host
from .dispatch import hand_over_committed
from .frames import Frames, Varying, plain, render_bodies
from .headers import MAX_NAME_LENGTH, encoded_address, encoded_text, header_block, header_text
from .models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    """A file attached to a mail; ``params`` go into its Content-Type (e.g. ``charset``)."""

    filename: str
    content_type: str
    data: bytes
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AlternativePart:
    """An extra part of the multipart/alternative body, e.g. an iTIP ``text/calendar; method=REQUEST``."""

    content_type: str
    data: str
    params: dict[str, str] = field(default_factory=dict)


# Written as sent (CRLF); lines up to RFC 5322's limit, so a long unsubscribe address is never refolded (the app's
# own encoded words keep every other line short).
MAX_LINE_LENGTH = 998
POLICY = email.policy.SMTP.clone(max_line_length=MAX_LINE_LENGTH)


class MailWithoutWayOut(ValueError):
    """A mail the recipient did not ask for by an action of their own, without a self-service or unsubscribe link."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"mail {kind!r} is not an answer and carries no self-service, account or unsubscribe link")


@dataclass(frozen=True)
class Recipient:
    """Who a mail goes to (or whom replies go to): a bare address and, if known, a display name."""

    email: str
    name: str | None = None

    def header(self) -> str:
        """The header value: the address checked, the name made safe and encoded by the app."""
        return encoded_address(clean_address(self.email), header_text(self.name, MAX_NAME_LENGTH))


@dataclass(frozen=True)
class ComposedMail:
    """A mail as it will be sent: its subject (as text), its Message-ID and its bytes (CRLF line ends)."""

    subject: str
    message_id: str
    raw: bytes


def compose_mail(
    *,
    recipient: Recipient,
    template: str,
    language: str,
    context: dict[str, object],
    attachments: Sequence[Attachment] = (),
    alternatives: Sequence[AlternativePart] = (),
    reply_to: Recipient | None = None,
    list_unsubscribe: str | None = None,
    frames: Frames | None = None,
) -> ComposedMail:
    """Render ``templates/email/<template>.txt`` and ``.html`` in ``language`` into a MIME message.

    The subject is the ``subject`` block of the HTML template (its ``<title>``), rendered in the same language.
    Whatever a user typed reaches a header only as text (``headers.header_text``), and every header line is checked
    before it is written (``headers.header_block``), so the message holds exactly the headers set here.

    :param reply_to: where replies go (the organizing town's contact for returnees), instead of the sender.
    :param list_unsubscribe: an HTTPS address whose POST unsubscribes at once (RFC 8058); for mails the recipient
        did not ask for by an action of their own, such as alerts.
    :param frames: the frames of a round of mails like this one, whose contexts mark the values that differ from
        mail to mail as ``Varying`` (see ``frames``); without, the templates are rendered for this mail alone.
    """
    if frames is not None:
        bodies = frames.bodies(template, context, language, current_app.config)
    else:
        with force_locale(language):
            bodies = render_bodies(template, {**plain(context), "language": language, "config": current_app.config})
    subject, text_body, html_body = bodies.subject, bodies.text, bodies.html
    message_id = make_msgid(domain=site_host())
    headers = [
        ("Subject", encoded_text(subject)),
        ("From", _sender(current_app.config["MAIL_DEFAULT_SENDER"])),
        ("To", recipient.header()),
    ]
    if reply_to is not None:
        headers.append(("Reply-To", reply_to.header()))
    headers += [
        ("Date", format_datetime(datetime.now(UTC))),
        ("Message-ID", message_id),
        ("Auto-Submitted", "auto-generated"),
    ]
    if list_unsubscribe is not None:  # on BASE_URL, which production requires to be https
        headers.append(("List-Unsubscribe", f"<{header_text(list_unsubscribe, 900)}>"))
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    content_type, body = _body(text_body, html_body, alternatives, attachments)
    headers += [("MIME-Version", "1.0"), ("Content-Type", content_type), ("Content-Language", language)]
    return ComposedMail(subject=subject, message_id=message_id, raw=header_block(headers) + body)


@lru_cache(maxsize=8)
def _sender(sender: str) -> str:
    """The From header's value for the configured sender, folded as the email package writes it (once)."""
    folded = str(POLICY.header_factory("From", sender).fold(policy=POLICY))
    return folded.removeprefix("From: ").removesuffix("\r\n")


def _text_part(subtype: str, text: str) -> bytes:
    """A text part in UTF-8 with CRLF line ends: as it is where every line fits (RFC 5322's 998 bytes), else in
    base64, as the email package chooses."""
    data = text.encode("utf-8")
    lines = data.splitlines()
    if max(map(len, lines), default=0) <= MAX_LINE_LENGTH:
        encoding, payload = ("7bit" if data.isascii() else "8bit"), b"\r\n".join([*lines, b""])
    else:
        encoding, payload = "base64", base64.encodebytes(data).replace(b"\n", b"\r\n")
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n'
    return head.encode("ascii") + payload


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    """The Content-Type and the body of a multipart of these parts, with a boundary that none of them holds."""
    boundary = f"=_{secrets.token_hex(16)}"
    while any(boundary.encode("ascii") in part for part in parts):  # pragma: no cover - 128 random bits
        boundary = f"=_{secrets.token_hex(16)}"
    delimiter = b"--" + boundary.encode("ascii")
    body = b"".join(delimiter + b"\r\n" + part + b"\r\n" for part in parts) + delimiter + b"--\r\n"
    return f'multipart/{subtype}; boundary="{boundary}"', body


def _body(
    text_body: str, html_body: str, alternatives: Sequence[AlternativePart], attachments: Sequence[Attachment]
) -> tuple[str, bytes]:
    """The Content-Type and body of a mail: text and HTML as alternatives (with any further alternative, such as an
    iTIP invitation), inside a multipart/mixed with the attachments when there are any."""
    parts = [_text_part("plain", text_body), _text_part("html", html_body)]
    parts += [alternative_part(part).as_bytes(policy=POLICY) for part in alternatives]
    content_type, body = _multipart("alternative", parts)
    if not attachments:
        return content_type, body
    files = []
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        mime = MIMEPart(policy=POLICY)
        mime.set_content(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename, params=attachment.params
        )
        files.append(mime.as_bytes(policy=POLICY))
    alternative = f"Content-Type: {content_type}\r\n\r\n".encode("ascii") + body
    return _multipart("mixed", [alternative, *files])


def alternative_part(part: AlternativePart) -> MIMEPart:
    """A body alternative as UTF-8 in base64, its bytes (CRLF line ends included) kept exactly.

    The Content-Type is written exactly as the iTIP examples of RFC 6047 show it (``text/calendar;
    method=REQUEST; charset=UTF-8``) instead of the email package's quoted ``method="REQUEST"``.
    """
    mime = MIMEPart(policy=email.policy.default)
    maintype, subtype = part.content_type.split("/", 1)
    mime.set_content(part.data.encode("utf-8"), maintype=maintype, subtype=subtype, cte="base64")
    params = "".join(f"; {name}={value}" for name, value in part.params.items())
    del mime["Content-Type"]
    mime.set_raw("Content-Type", f"{part.content_type}{params}; charset=UTF-8")
    return mime


_OFFICE_TOWN = "rueckkehr_office_town"


def contact_town(town: Town | None) -> Town | None:
    """The town whose contact person signs and answers a mail: ``town``'s own, or for a mail of no town the RWK
    office's town; None when that town named none. A town's mail is never signed or answered by another town's
    contact (replies meant for Senftenberg would go to Finsterwalde): without its own, nobody is named."""
    if town is not None:
        return town if town.has_contact else None
    office = _office_town()
    return office if office is not None and office.has_contact else None


def _office_town() -> Town | None:
    """The town that runs the RWK's office: looked up by its slug once per session, then taken from the session's
    identity map (a round of thousands of mails asks for it with each)."""
    slug = current_app.config["RWK_OFFICE_TOWN"]
    known = db.session.info.get(_OFFICE_TOWN)
    if known is not None and known[0] == slug:
        office = db.session.get(Town, known[1])
        if office is not None and office.slug == slug:
            return office
    office = db.session.scalar(select(Town).where(Town.slug == slug))
    if office is not None:
        db.session.info[_OFFICE_TOWN] = (slug, office.id)
    return office


def queue_mail(
    *,
    kind: str,
    recipient: str,
    template: str,
    language: str,
    context: dict[str, object],
    recipient_name: str | None = None,
    profile_id: int | None = None,
    attachments: Sequence[Attachment] = (),
    alternatives: Sequence[AlternativePart] = (),
    town: Town | None = None,
    list_unsubscribe: str | None = None,
    forget_when_sent: bool = False,
    answer: bool = False,
    invitation: bool = False,
) -> OutboxMessage:
    """Render a mail and add it to the outbox in the current transaction; it goes out after the commit.

    Every mail has the one layout of ``templates/email/_layout.html|txt``: the town's name above, the greeting by
    ``recipient_name``, the contact person below (and the self-service link when the context has ``manage_url``).

    :param profile_id: the returnee the mail concerns, so that erasing them deletes it.
    :param town: the town the mail is about (the event's, the company's); its contact person for returnees signs
        the mail and receives the replies (none if it named none). Without a town, the RWK office's town does.
    :param forget_when_sent: delete the row once the mail went out (or failed for good): for a mail that must
        outlive the erasure of its recipient's data, and so is queued without ``profile_id``.
    :param answer: the mail answers the recipient's own action just now (a confirmation link, a code, a reset).
    :param invitation: the mail invites someone who has no account yet; its link is the only thing to act on.
        Every other mail must carry a way to manage or stop what the recipient gets: ``manage_url`` (a returnee's
        self-service page) or ``account_url`` (an employer's or organizer's account) in the context, or
        ``list_unsubscribe``; otherwise it is refused, as the privacy notice promises.
    """
    row = OutboxMessage(
        **outbox_values(
            kind=kind,
            recipient=recipient,
            template=template,
            language=language,
            context=context,
            recipient_name=recipient_name,
            profile_id=profile_id,
            attachments=attachments,
            alternatives=alternatives,
            town=town,
            list_unsubscribe=list_unsubscribe,
            forget_when_sent=forget_when_sent,
            answer=answer,
            invitation=invitation,
        )
    )
    db.session.add(row)
    after_commit(_hand_over_rows, row)  # flushed with the rest of the unit of work, not one by one
    return row


def outbox_values(
    *,
    kind: str,
    recipient: str,
    template: str,
    language: str,
    context: dict[str, object],
    recipient_name: str | None = None,
    profile_id: int | None = None,
    attachments: Sequence[Attachment] = (),
    alternatives: Sequence[AlternativePart] = (),
    town: Town | None = None,
    list_unsubscribe: str | None = None,
    forget_when_sent: bool = False,
    answer: bool = False,
    invitation: bool = False,
    frames: Frames | None = None,
    contacts: dict[int | None, Town | None] | None = None,
) -> dict[str, object]:
    """The values of the outbox row of a mail (``queue_mail``, ``round.MailRound``); with ``frames``, its recipient's
    name is Varying.
    ``contacts``: the ``contact_town`` of each town by its id, as far as a round looked them up."""
    way_out = _given(context, "manage_url") or _given(context, "account_url")
    if not (answer or invitation or list_unsubscribe or way_out):
        raise MailWithoutWayOut(kind)
    town_id = town.id if town is not None else None
    if contacts is None:
        contact = contact_town(town)
    elif town_id in contacts:
        contact = contacts[town_id]
    else:
        contact = contacts[town_id] = contact_town(town)
    mail = compose_mail(
        recipient=Recipient(recipient, recipient_name),
        template=template,
        language=language,
        context={
            **context,
            "contact": contact,
            "mail_town": town or contact,
            "recipient_name": recipient_name if frames is None else Varying(recipient_name),
        },
        attachments=attachments,
        alternatives=alternatives,
        reply_to=Recipient(contact.contact_email, contact.contact_name) if contact is not None else None,
        list_unsubscribe=list_unsubscribe,
        frames=frames,
    )
    return {
        "kind": kind,
        "recipient": clean_address(recipient),
        "subject": mail.subject[:300],
        "message_id": mail.message_id,
        "raw": mail.raw,
        "profile_id": profile_id,
        "town_id": town_id,
        "forget_when_sent": forget_when_sent,
    }


def _given(context: dict[str, object], name: str) -> bool:
    value = context.get(name)
    return bool(value.value if isinstance(value, Varying) else value)


def _hand_over_rows(rows: list[OutboxMessage]) -> None:
    """After the commit: hand the committed rows to delivery by their ids (known without reloading the rows; a row
    deleted again in the same unit of work was never stored and has none)."""
    identities = [inspect(row).identity for row in rows]
    hand_over_committed([identity[0] for identity in identities if identity is not None])
