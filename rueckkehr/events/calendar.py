"""iCalendar for events: invitations (REQUEST, CANCEL) for one attendee, single files and subscribable feeds.

Escaping, folding at 75 octets and CRLF line ends are left to ``icalendar``; this module decides what goes in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration, vRecur
from icalendar import Event as VEvent

from ..dates import BERLIN, utcnow
from ..i18n import format_clock, format_event_time
from ..urls import mail_url, site_host
from .models import Event

TZID = "Europe/Berlin"
PRODID = "-//RWK Westlausitz//Rueckkehr//DE"


def berlin_timezone() -> Timezone:
    """A VTIMEZONE for Europe/Berlin with yearly STANDARD and DAYLIGHT rules.

    Written with RRULEs (the EU rule since 1996) rather than a list of RDATEs, because Outlook ignores RDATEs in a
    VTIMEZONE and then shows summer times an hour off; a test checks the rules against zoneinfo year by year.
    """
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def event_uid(event: Event) -> str:
    """The UID of an event in files and feeds, on the site's host."""
    return f"event-{event.id}@{site_host()}"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def location_text(event: Event) -> str:
    """Venue and address on one line."""
    return f"{event.venue.name}, {event.venue.address}"


def programme_text(event: Event) -> str:
    """The programme as short lines, e.g. "10:00–11:00 Begrüßung" (in the current language)."""
    lines = []
    for item in event.programme:
        start = format_clock(item.starts_at.astimezone(BERLIN))
        span = f"{start}–{format_clock(item.ends_at.astimezone(BERLIN))}" if item.ends_at else start
        lines.append(f"{span} {item.title}")
    return "\n".join(lines)


def _description(event: Event, *, note: str | None, link_label: str, link: str) -> str:
    parts = []
    if note:
        parts.append(note)
    if event.is_cancelled:
        parts.append(_("Diese Veranstaltung wurde abgesagt."))
    if event.summary:
        parts.append(event.summary)
    if programme := programme_text(event):
        parts.append(_("Programm:") + "\n" + programme)
    parts.append(f"{link_label}\n{link}")
    return "\n\n".join(parts)


def _organizer() -> vCalAddress:
    _name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = current_app.config["SITE_NAME"]
    return organizer


def _vevent(event: Event, *, uid: str, sequence: int, stamp: datetime, cancelled: bool, language: str) -> VEvent:
    """The parts of a VEVENT that every calendar of an event shares; its URL opens the page in ``language``."""
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(BERLIN))
    vevent.add("dtend", event.ends_at.astimezone(BERLIN))
    title = event.title
    if cancelled:
        title = _("Abgesagt: %(title)s", title=event.title)
    vevent.add("summary", title)
    vevent.add("location", location_text(event))
    if event.venue.latitude is not None and event.venue.longitude is not None:
        vevent.add("geo", (float(event.venue.latitude), float(event.venue.longitude)))
    vevent.add("url", mail_url("events.detail", language, event_id=event.id))
    vevent.add("organizer", _organizer())
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


class InviteMethod(enum.StrEnum):
    """What an invitation does: REQUEST adds or updates the entry, CANCEL removes it."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Attendee:
    """The person an invitation is for."""

    email: str
    name: str


def invitation(
    event: Event,
    attendee: Attendee,
    *,
    uid: str,
    sequence: int,
    language: str,
    link_label: str,
    link: str,
    method: str = InviteMethod.REQUEST,
    note: str | None = None,
) -> bytes:
    """An iTIP invitation (RFC 5546) to an event for one attendee, in their language.

    :param uid: stable for what the attendee holds (their registration), so updates and a CANCEL replace the entry.
    :param link_label: a (lazily translated) label put before ``link`` in the description.
    :param note: a short text put first in the description, e.g. what an update changed.
    """
    cancelled = method == InviteMethod.CANCEL
    with force_locale(language):
        calendar = _calendar(method)
        calendar.add_component(berlin_timezone())
        vevent = _vevent(event, uid=uid, sequence=sequence, stamp=utcnow(), cancelled=cancelled, language=language)
        vevent.add("description", _description(event, note=note, link_label=str(link_label), link=link))
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = attendee.name
        address.params["role"] = "REQ-PARTICIPANT"
        address.params["partstat"] = "DECLINED" if cancelled else "ACCEPTED"
        address.params["rsvp"] = "FALSE"
        vevent.add("attendee", address)
        if not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-1))
            alarm.add("description", _("Morgen: %(title)s", title=event.title))
            vevent.add_component(alarm)
        calendar.add_component(vevent)
        return bytes(calendar.to_ical())


def _published_vevent(event: Event, language: str) -> VEvent:
    """One event as files and feeds show it, linking its page in ``language``; DTSTAMP is the last change of what it
    shows (the event, its venue, its programme), so the bytes only change with the content."""
    changed_at = event.content_changed_at
    vevent = _vevent(
        event,
        uid=event_uid(event),
        sequence=event.sequence,
        stamp=changed_at,
        cancelled=event.is_cancelled,
        language=language,
    )
    vevent.add("created", event.created_at)
    vevent.add("last-modified", changed_at)
    vevent.add(
        "description",
        _description(
            event,
            note=None,
            link_label=_("Alle Angaben und Anmeldung:"),
            link=mail_url("events.detail", language, event_id=event.id),
        ),
    )
    return vevent


def event_file(event: Event, language: str) -> bytes:
    """One event as a METHOD:PUBLISH file to import."""
    with force_locale(language):
        calendar = _calendar("PUBLISH")
        calendar.add_component(berlin_timezone())
        calendar.add_component(_published_vevent(event, language))
        return bytes(calendar.to_ical())


_VEVENT_CACHE: dict[tuple[object, ...], bytes] = {}
VEVENT_CACHE_SIZE = 20_000


def _published_vevent_bytes(event: Event, language: str) -> bytes:
    """One event's serialised VEVENT, kept per process until what it shows changes (``Event.content_version``).

    Serialising is most of a feed's cost (icalendar folds every line), and subscribed calendars ask often.
    """
    key = (*event.content_version, language, current_app.config["BASE_URL"])
    cached = _VEVENT_CACHE.get(key)
    if cached is None:
        if len(_VEVENT_CACHE) >= VEVENT_CACHE_SIZE:
            _VEVENT_CACHE.clear()
        cached = _VEVENT_CACHE[key] = bytes(_published_vevent(event, language).to_ical())
    return cached


def feed(events: Iterable[Event], *, name: str, language: str) -> bytes:
    """A subscribable METHOD:PUBLISH calendar of events, with its name and how often to refresh it."""
    refresh = timedelta(hours=current_app.config["CALENDAR_REFRESH_HOURS"])
    with force_locale(language):
        calendar = _calendar("PUBLISH")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
        # RFC 7986 requires VALUE=DURATION; X-PUBLISHED-TTL is the same for Outlook.
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
        calendar.add_component(berlin_timezone())
        shell = bytes(calendar.to_ical())
        end = b"END:VCALENDAR\r\n"
        body = b"".join(_published_vevent_bytes(event, language) for event in events)
        return shell.removesuffix(end) + body + end


def change_note(
    event: Event, *, old_starts_at: datetime | None, old_ends_at: datetime | None, old_location: str | None
) -> str:
    """A short note of what changed, in the current language: the new time and place and what they were."""
    lines = []
    if old_starts_at is not None and old_ends_at is not None:
        lines.append(
            _(
                "Neue Zeit: %(new)s (bisher: %(old)s)",
                new=format_event_time(event.starts_at, event.ends_at),
                old=format_event_time(old_starts_at, old_ends_at),
            )
        )
    if old_location is not None:
        lines.append(_("Neuer Ort: %(new)s (bisher: %(old)s)", new=location_text(event), old=old_location))
    return "\n".join(lines)
