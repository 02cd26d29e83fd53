"""What accounts asks the packages above it (employers), through signals; it never imports them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

user_town = _signals.signal(
    "user-town",
    doc="""Which town a user belongs to, for the signature and Reply-To of their account mails. Sender: the user; a
    receiver returns the town or None (employers answers for a company's users: the company's town).""",
)
