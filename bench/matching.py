"""Benchmark: the best matches of 50,000 opted-in returnees among 5,000 published vacancies, against the naive loop
over all pairs with the same scorer on the same data, in one run.

Run: ``.venv/bin/python -m bench.matching`` (a temporary SQLite database) or with ``DATABASE_URL=postgresql://…``
pointing at an empty scratch database. Prints the run's time, its peak memory (the process's peak RSS, and how
much the matching run raised it) and the speed-up. The naive loop scores every pair of a random sample of returnees
(all 5,000 vacancies each) and is scaled to all returnees: its cost is linear in their number by construction.
The matching run streams the returnees as narrow rows (``candidates.stream_seekers``) and keeps of each result only
the vacancy ids, as a round that mails and forgets would.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade
from sqlalchemy import select, text

from rueckkehr import create_app
from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import Employer, EmployerStatus, SizeBand, Vacancy
from rueckkehr.employers.queries import on_board
from rueckkehr.extensions import db
from rueckkehr.matching.candidates import OFFER_COLUMNS, best_for_each, offers_from, stream_seekers, today
from rueckkehr.matching.scoring import Seeker, score
from rueckkehr.occupations.models import OccupationGroup
from rueckkehr.occupations.working_times import WorkingTime
from rueckkehr.places.models import Town
from rueckkehr.returnees.models import Consent, ConsentPurpose, ReturneeProfile, profile_wished_towns

RETURNEES = int(os.environ.get("BENCH_RETURNEES", 50_000))
VACANCIES = int(os.environ.get("BENCH_VACANCIES", 5_000))
NAIVE_SAMPLE = 500
CHUNK = 5_000
LIMIT = 10
TIMES = list(WorkingTime)


def fill() -> None:
    """Employers, published vacancies and opted-in returnees in bulk, spread over the civil groups and levels."""
    rng = random.Random(11)
    towns = list(db.session.scalars(select(Town)))
    groups = [code for code in db.session.scalars(select(OccupationGroup.code)) if code != "01"]
    employers = [
        Employer(name=f"Betrieb {n}", town_id=towns[n % 6].id, street="Markt 1", postal_code="01968",
                 locality="Senftenberg", sector_code="2", size_band=SizeBand.SMALL, status=EmployerStatus.APPROVED)
        for n in range(500)
    ]  # fmt: skip
    db.session.add_all(employers)
    db.session.flush()
    now, valid = datetime.now(UTC), berlin_today() + timedelta(weeks=8)
    vacancies = [
        {"employer_id": employers[n % 500].id, "title": f"Stelle {n}", "occupation_group_code": rng.choice(groups),
         "skill_level": rng.randint(1, 4), "town_id": rng.choice(towns).id if rng.random() > 0.1 else None,
         "place_name": "Cottbus", "place_postal_code": "03046", "working_times": rng.sample(TIMES, rng.randint(1, 3)),
         "contract": "permanent", "description": "Text", "apply_url": "", "apply_email": "a@b.example",
         "valid_until": valid, "status": "published", "published_at": now - timedelta(minutes=n),
         "starts_on": None if rng.random() < 0.5 else berlin_today() + timedelta(days=rng.randint(0, 400)),
         "created_at": now, "updated_at": now}
        for n in range(VACANCIES)
    ]  # fmt: skip
    db.session.execute(Vacancy.__table__.insert(), vacancies)
    profiles = [
        {"id": n, "email": f"r{n}@example.org", "language": "de", "first_name": "R", "last_name": str(n),
         "postal_code": "0150", "city": "Oslo", "country": "NO", "hometown_id": rng.choice(towns).id,
         "occupation_group_code": rng.choice(groups), "skill_level": rng.randint(1, 4),
         "working_times": rng.sample(TIMES, rng.randint(1, 2)), "interests": [], "link_key": f"k{n}",
         "link_generation": 0, "earliest_return": rng.choice(["flexible", "2027-06", "2028-01"]),
         "created_at": now, "updated_at": now, "confirmed_at": now}
        for n in range(1, RETURNEES + 1)
    ]  # fmt: skip
    for first in range(0, RETURNEES, CHUNK):  # in chunks, so that filling does not set the process's peak memory
        db.session.execute(ReturneeProfile.__table__.insert(), profiles[first : first + CHUNK])
    del profiles
    for first in range(1, RETURNEES + 1, CHUNK):
        numbers = range(first, min(first + CHUNK, RETURNEES + 1))
        db.session.execute(
            profile_wished_towns.insert(), [{"profile_id": n, "town_id": rng.choice(towns).id} for n in numbers]
        )
        db.session.execute(
            Consent.__table__.insert(),
            [{"profile_id": n, "purpose": ConsentPurpose.JOB_ALERTS.value, "text_version": "v", "given_at": now,
              "confirmed_at": now} for n in numbers],
        )  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _kept(
    seekers: Iterator[tuple[int, Seeker]], sample_ids: set[int], sampled: dict[int, tuple[Seeker, list[int]]]
) -> Iterator[tuple[int, Seeker]]:
    """Pass the seekers on, keeping the sampled ones for the naive loop."""
    for profile_id, seeker in seekers:
        if profile_id in sample_ids:
            sampled[profile_id] = (seeker, [])
        yield profile_id, seeker


def main() -> None:
    """Build the data, run both and print the figures."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://bench.test"})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        fill()
        print(f"filled {RETURNEES} returnees and {VACANCIES} vacancies in {time.perf_counter() - started:.1f} s "
              f"on {db.engine.dialect.name}")  # fmt: skip
        db.session.expunge_all()
        sample_ids = set(random.Random(3).sample(range(1, RETURNEES + 1), min(NAIVE_SAMPLE, RETURNEES)))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        sampled: dict[int, tuple[Seeker, list[int]]] = {}
        count = matched = 0
        for profile_id, found in best_for_each(_kept(stream_seekers(today()), sample_ids, sampled), LIMIT):
            count += 1
            matched += bool(found)
            if profile_id in sample_ids:
                sampled[profile_id] = (sampled[profile_id][0], [match.offer.id for match in found])
        fast = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"indexed candidates: {fast:.1f} s for {count} returnees ({matched} with matches); process peak "
              f"RSS {rss_after / 1024:.0f} MiB (the matching run raised it by {(rss_after - rss_before) / 1024:.0f} "
              "MiB over the loaded app and data)")  # fmt: skip
        offers = offers_from(select(*OFFER_COLUMNS).join(Employer, Employer.id == Vacancy.employer_id)
                             .where(*on_board()))  # fmt: skip
        started = time.perf_counter()
        for seeker, best_ids in sampled.values():
            found = [match for offer in offers if (match := score(seeker, offer)) is not None]
            found.sort(key=lambda match: match.sort_key)
            assert [m.offer.id for m in found[:LIMIT]] == best_ids  # the same answer
        naive = (time.perf_counter() - started) / len(sampled) * count
        print(f"naive loop over all pairs: {naive:.1f} s for {count} returnees (measured on {len(sampled)}, "
              f"scaled; the same top {LIMIT} for every sampled returnee)")  # fmt: skip
        print(f"speed-up: {naive / fast:.1f}x")


if __name__ == "__main__":
    main()
