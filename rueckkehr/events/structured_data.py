"""schema.org Event data for event pages, so search engines read dates, place and exhibitors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..dates import BERLIN
from ..urls import external_url
from .models import Event


def event_json_ld(event: Event, sponsors: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """schema.org Event for an event page; ``sponsors`` are the exhibitors as schema.org Organizations."""
    venue = event.venue
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary or event.description,
        "startDate": event.starts_at.astimezone(BERLIN).isoformat(),
        "endDate": event.ends_at.astimezone(BERLIN).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "location": {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.street,
                "postalCode": venue.postal_code,
                "addressLocality": venue.locality,
                "addressRegion": "Brandenburg",
                "addressCountry": "DE",
            },
        },
        "organizer": {"@type": "Organization", "name": "Regionaler Wachstumskern Westlausitz"},
        "url": external_url("events.detail", event_id=event.id),
    }
    if sponsors:
        data["sponsor"] = list(sponsors)
    return data
