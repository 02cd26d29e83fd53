"""Read calendars the way calendar clients do: with icalendar and with vobject, an independent second parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import icalendar
import vobject

TRICKY_TITLE = 'Rückkehrertag; Senftenberg, "Niederlausitzhalle"\nSaal 2'


@dataclass
class ParsedCalendar:
    """One calendar as both parsers read it."""

    raw: bytes
    icalendar: icalendar.Calendar
    vobject: vobject.base.Component

    def events(self) -> list[icalendar.Event]:
        """The VEVENTs as icalendar reads them."""
        return list(self.icalendar.walk("VEVENT"))

    def vevents(self) -> list[vobject.base.Component]:
        """The VEVENTs as vobject reads them."""
        return list(self.vobject.vevent_list) if hasattr(self.vobject, "vevent_list") else []


def assert_wire_format(raw: bytes) -> None:
    """CRLF line ends only; no line over 75 octets; a folded line never splits a UTF-8 character."""
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line on its own is valid UTF-8


def parse(raw: bytes) -> ParsedCalendar:
    """Check the wire format and parse with both parsers."""
    assert_wire_format(raw)
    return ParsedCalendar(raw, icalendar.Calendar.from_ical(raw), vobject.readOne(raw.decode("utf-8")))


def invite_of(mail: Any, method: str) -> ParsedCalendar:
    """The iTIP part of a mail, checked against its ``invite.ics`` attachment, parsed by both parsers."""
    parts = [part for part in mail.message.walk() if part.get_content_type() == "text/calendar"]
    body = [part for part in parts if part.get_content_disposition() is None]
    files = [part for part in parts if part.get_filename() == "invite.ics"]
    assert len(body) == 1 and len(files) == 1, [p["Content-Type"] for p in parts]
    # As it arrived on the wire (the parsed header object would show its parameters re-quoted).
    assert dict(body[0].raw_items())["Content-Type"] == f"text/calendar; method={method}; charset=UTF-8"
    assert body[0].get_param("method") == method
    assert mail.message.get_content_type() == "multipart/mixed"
    raw = body[0].get_payload(decode=True)
    assert raw == files[0].get_payload(decode=True)
    calendar = parse(raw)
    assert calendar.icalendar["METHOD"] == method
    return calendar
