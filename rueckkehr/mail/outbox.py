"""Compose mails from templates in the recipient's language and queue them in the outbox.

Queuing adds a row to the current transaction: the mail exists exactly when the change that caused it was
committed. Delivery happens after the commit (``dispatch.hand_over``, then ``delivery``).
"""

from __future__ import annotations

import email.policy
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import formatdate, make_msgid
from typing import cast

from flask import current_app, render_template
from flask_babel import force_locale

from ..addresses import clean_address
from ..extensions import db
from ..transactions import after_commit
from ..urls import site_host
from .dispatch import hand_over
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


def render_block(template_name: str, block: str, context: dict[str, object]) -> str:
    """Render one block of a template, with whitespace collapsed (for subjects)."""
    template = current_app.jinja_env.get_template(template_name)
    rendered = "".join(template.blocks[block](template.new_context(context)))
    return " ".join(html.unescape(rendered).split())


def compose(
    *,
    recipient: str,
    recipient_name: str | None,
    template: str,
    language: str,
    context: dict[str, object],
    attachments: Sequence[Attachment] = (),
    alternatives: Sequence[AlternativePart] = (),
) -> tuple[EmailMessage, str]:
    """Render ``templates/email/<template>.txt`` and ``.html`` in ``language`` into a MIME message.

    The subject is the ``subject`` block of the HTML template (its ``<title>``), rendered in the same language.
    """
    with force_locale(language):
        context = {**context, "language": language, "config": current_app.config}
        text_body = render_template(f"email/{template}.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
        subject = render_block(f"email/{template}.html", "subject", context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    bare = clean_address(recipient)
    username, domain = bare.rsplit("@", 1)
    message["To"] = Address(display_name=recipient_name or "", username=username, domain=domain)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=site_host())
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = language
    message.set_content(text_body)
    message.add_alternative(html_body, subtype="html")
    for part in alternatives:
        message.attach(cast(EmailMessage, alternative_part(part)))  # the stubs want a whole message; a part is right
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=attachment.params,
        )
    return message, subject


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
) -> OutboxMessage:
    """Render a mail and add it to the outbox in the current transaction; it goes out after the commit."""
    message, subject = compose(
        recipient=recipient,
        recipient_name=recipient_name,
        template=template,
        language=language,
        context=context,
        attachments=attachments,
        alternatives=alternatives,
    )
    row = OutboxMessage(
        kind=kind,
        recipient=clean_address(recipient),
        subject=subject[:300],
        message_id=message["Message-ID"],
        raw=message.as_bytes(),
        profile_id=profile_id,
    )
    db.session.add(row)
    db.session.flush()
    after_commit(hand_over, row.id)
    return row
