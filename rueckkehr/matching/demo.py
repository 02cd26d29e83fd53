"""Demo returnees for matching: eight who share an anonymous profile and get job alerts, so the pool, the alerts and
the fair plan have something to show. Found by their (example.org) address, so a second run changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..occupations.working_times import in_order
from ..places.models import Town
from ..returnees.consents import CONSENT_VERSION
from ..returnees.models import Consent, ConsentPurpose, ReturneeProfile
from .pool_operations import sync_pool_cards

# first name, last name, where they live, country, hometown, wished towns, KldB group, level, return
RETURNEES = [
    ("Anne", "Demo-Lehmann", "Oslo", "NO", "senftenberg", ["senftenberg"], "81", 2, "flexible"),
    ("Tom", "Demo-Krüger", "Utrecht", "NL", "lauchhammer", ["lauchhammer", "schwarzheide"], "26", 2, "flexible"),
    ("Mia", "Demo-Schulze", "Wien", "AT", "senftenberg", ["senftenberg", "grossraeschen"], "81", 4, "flexible"),
    ("Paul", "Demo-Richter", "Zürich", "CH", "schwarzheide", ["schwarzheide"], "41", 2, "flexible"),
    ("Lena", "Demo-Noack", "München", "DE", "finsterwalde", ["finsterwalde", "senftenberg"], "81", 2, "flexible"),
    ("Jan", "Demo-Wagner", "Hamburg", "DE", "senftenberg", ["senftenberg"], "43", 3, "flexible"),
    ("Sara", "Demo-Hoffmann", "Berlin", "DE", "grossraeschen", ["grossraeschen", "senftenberg"], "73", 3, "flexible"),
    ("Ole", "Demo-Fischer", "Bergen", "NO", "schipkau", ["schipkau", "senftenberg"], "52", 2, "flexible"),
]


def seed_matching(now: datetime, created: dict[str, int]) -> None:
    """Create the demo returnees with their consents to alerts and the pool, and their pool cards."""
    towns = {town.slug: town for town in db.session.scalars(select(Town))}
    for first, last, city, country, hometown, wished, group, level, back in RETURNEES:
        email = f"{first.lower()}.{last.lower()}@example.org".replace("ü", "ue")
        if db.session.scalar(select(ReturneeProfile.id).where(ReturneeProfile.email == email)) is not None:
            continue
        profile = ReturneeProfile(
            email=email, first_name=first, last_name=last, postal_code="00000", city=city, country=country,
            hometown=towns[hometown], wished_towns=[towns[slug] for slug in wished], occupation_group_code=group,
            skill_level=level, earliest_return=back, confirmed_at=now, working_times=in_order(["full_time"]),
        )  # fmt: skip
        profile.consents = [
            Consent(purpose=purpose, text_version=CONSENT_VERSION, given_at=now, confirmed_at=now)
            for purpose in (ConsentPurpose.JOB_ALERTS, ConsentPurpose.EMPLOYER_POOL)
        ]
        db.session.add(profile)
        created["returnee_profiles"] = created.get("returnee_profiles", 0) + 1
    db.session.flush()
    sync_pool_cards(now)
