"""E-mail addresses: the one form in which they are stored and compared, and the bare form a header may carry."""

from __future__ import annotations

from contextlib import suppress
from email.utils import parseaddr

import idna


class InvalidAddressError(ValueError):
    """An address that cannot be put into a mail header safely."""


def normalise_email(email: str | None) -> str:
    """The form in which addresses are stored and compared: trimmed, lower case, and a domain with umlauts in the
    ASCII form mail servers read (IDNA, as browsers send it from an e-mail field): ``jana@müller.de`` and
    ``jana@xn--mller-kva.de`` are one address."""
    return with_ascii_domain((email or "").strip().lower())


def with_ascii_domain(address: str) -> str:
    """The address with a domain in Unicode written in IDNA (``jana@müller.de`` → ``jana@xn--mller-kva.de``);
    as it was when its domain is ASCII already, or is no domain at all (the address checks refuse that)."""
    local, at, domain = address.rpartition("@")
    if at and not domain.isascii():
        with suppress(idna.IDNAError):
            return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    return address


def clean_address(address: str) -> str:
    """A bare e-mail address, refusing line breaks, display names and anything else that could inject headers."""
    if any(char in address for char in '\r\n\t<>,;"') or any(ord(char) < 32 or ord(char) == 127 for char in address):
        raise InvalidAddressError(address)
    name, bare = parseaddr(address)
    if name or not bare or bare != address.strip() or bare.count("@") != 1:
        raise InvalidAddressError(address)
    return bare
