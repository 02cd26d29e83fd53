"""Why a mail failed, in words an organizer can act on: the outbox keeps the error as the mail server or the
network gave it (``OutboxMessage.last_error``, "ConnectionRefusedError: [Errno 111] …"), which the failed-mails page
shows only as the technical detail beneath."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The error classes ``delivery._record_failure`` writes first, by what they mean for the organizer.
_UNREACHABLE = (
    "ConnectionRefusedError",
    "ConnectionResetError",
    "ConnectionAbortedError",
    "TimeoutError",
    "gaierror",
    "OSError",
    "SMTPConnectError",
    "SMTPServerDisconnected",
)
REASONS = {
    "SMTPRecipientsRefused": _l("Der Mailserver hat die Adresse abgelehnt. Bitte prüfen Sie die Adresse."),
    "SMTPSenderRefused": _l("Der Mailserver hat die E-Mail nicht angenommen."),  # the sender, or the mail's size
    "SMTPAuthenticationError": _l("Der Mailserver hat die Anmeldung der Plattform abgelehnt."),
    "SMTPDataError": _l("Der Mailserver hat die E-Mail nicht angenommen."),
    **{name: _l("Der Mailserver war nicht erreichbar.") for name in _UNREACHABLE},
}
OTHER = _l("Die E-Mail konnte nicht zugestellt werden.")


def failure_reason(last_error: str | None) -> str:
    """What went wrong with a mail, in the reader's language."""
    kind = (last_error or "").partition(":")[0].strip()
    return str(REASONS.get(kind, OTHER))
