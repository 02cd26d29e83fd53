"""Demo registrations at the coming Rückkehrertag in Senftenberg and Finsterwalde, so organizers can try the lists,
filters, the waiting list and the advice worklist. Found by e-mail address, so a second run changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..events.models import Event
from ..extensions import db
from ..places.models import Town, Venue
from ..returnees.models import ReturneeProfile
from ..returnees.operations import record_confirmed_consents
from .models import Registration, RegistrationStatus

# first name, last name, lives in (PLZ, town, country), hometown slug, KldB group, level, interests
PEOPLE = [
    ("Jana", "Müller", ("0150", "Oslo", "NO"), "senftenberg", "81", 2, ["housing", "advice"]),
    ("Tobias", "Schulz", ("10115", "Berlin", "DE"), "senftenberg", "43", 3, ["childcare"]),
    ("Anke", "Hoffmann", ("01067", "Dresden", "DE"), "grossraeschen", "73", 2, ["advice"]),
    ("Marco", "Richter", ("1010", "Wien", "AT"), "finsterwalde", "25", 2, ["partner_job"]),
    ("Sophie", "Krause", ("3011", "Utrecht", "NL"), None, "84", 4, ["housing", "childcare", "advice"]),
    ("Felix", "Neumann", ("80331", "München", "DE"), "lauchhammer", "26", 3, []),
    ("Laura", "Schwarz", ("8001", "Zürich", "CH"), "schwarzheide", "41", 4, ["business"]),
    ("Paul", "Wolf", ("04109", "Leipzig", "DE"), "senftenberg", "52", 1, ["housing"]),
]


def seed_registrations(now: datetime, created: dict[str, int]) -> None:
    """Registrations of the demo people at the coming days in Senftenberg (the last two wait) and Finsterwalde."""
    towns = {town.slug: town for town in db.session.scalars(select(Town))}
    days = {}
    for slug in ("senftenberg", "finsterwalde"):
        days[slug] = db.session.scalar(
            select(Event)
            .join(Event.venue)
            .where(Event.title.like("Rückkehrertag %"), Venue.town_id == towns[slug].id, Event.starts_at > now)
            .order_by(Event.starts_at)
        )
    for number, (first, last, (plz, city, country), hometown, group, level, interests) in enumerate(PEOPLE):
        email = f"{first}.{last}@demo.example".lower().replace("ü", "ue")
        profile = db.session.scalar(select(ReturneeProfile).where(ReturneeProfile.email == email))
        if profile is not None:
            continue
        profile = ReturneeProfile(
            email=email,
            first_name=first,
            last_name=last,
            postal_code=plz,
            city=city,
            country=country,
            hometown=towns.get(hometown or ""),
            hometown_other=None if hometown else "Cottbus",
            occupation_group_code=group,
            skill_level=level,
            interests=interests,
            confirmed_at=now,
        )
        db.session.add(profile)
        event = days["finsterwalde" if number % 4 == 3 else "senftenberg"]
        if event is None:
            continue
        waiting = number >= len(PEOPLE) - 2
        registration = Registration(
            profile=profile,
            event=event,
            status=RegistrationStatus.WAITING if waiting else RegistrationStatus.CONFIRMED,
            waitlist_position=number if waiting else None,
            companions=number % 2,
            confirm_nonce="",
            created_at=now - timedelta(days=20 - number),
            confirmed_at=now - timedelta(days=20 - number),
        )
        db.session.add(registration)
        db.session.flush()
        given = registration.created_at  # confirmed as every online registration is: taking part, consented
        record_confirmed_consents(profile, registration_id=registration.id, optional=[], given_at=given, now=given)
        created["registrations"] = created.get("registrations", 0) + 1
