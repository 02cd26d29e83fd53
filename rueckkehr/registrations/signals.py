"""What registrations tells the packages above it (matching), through signals; it never imports them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

registration_confirmed = _signals.signal(
    "registration-confirmed",
    doc="""A returnee confirmed a registration by the link in their mail (double opt-in), inside the confirmation's
    transaction, after its consents were stored. Sender: the registration (confirmed, or confirmed on the waiting
    list). Receivers may queue mails (matching: the vacancies that fit, those of the event's exhibitors first).""",
)
