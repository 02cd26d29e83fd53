"""Benchmark: /jobs?q=…&town=… over 20,000 vacancies against a bare route in the same app, as a ratio.

Run: ``.venv/bin/python -m bench.jobs`` (a temporary SQLite database) or with ``DATABASE_URL=postgresql://…`` pointing
at an empty scratch database. Prints the timings, the ratio, and the database's plan for the search query.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade
from sqlalchemy import select, text

from rueckkehr import create_app
from rueckkehr.dates import berlin_today
from rueckkehr.employers.models import Employer, EmployerStatus, SizeBand, Vacancy, VacancyTerm
from rueckkehr.employers.queries import BoardFilter, _filtered
from rueckkehr.employers.search import query_tokens, weighted_terms
from rueckkehr.extensions import db
from rueckkehr.occupations.working_times import WorkingTime
from rueckkehr.places.models import Town

VACANCIES = 20_000
REQUESTS = 200
TITLES = [
    "Elektriker/in Gebäudetechnik",
    "Pflegefachkraft ambulant",
    "Ärztin / Arzt Innere Medizin",
    "Chemikant/in",
    "Berufskraftfahrer/in",
    "Fachkraft für Lagerlogistik",
    "Softwareentwickler/in",
    "Sachbearbeiter/in Bauamt",
    "Mechatroniker/in",
    "Erzieher/in Kita",
    "Verkäufer/in",
    "Koch / Köchin",
    "Tischler/in",
    "Industriemechaniker/in",
]
WORDS = [
    "Region",
    "Team",
    "Schicht",
    "Ausbildung",
    "Zukunft",
    "Lausitz",
    "Energie",
    "Wasserstoff",
    "Batterie",
    "Familie",
    "Kita",
    "Wohnung",
]


def fill(count: int) -> None:
    """Insert employers, vacancies and their search terms in bulk."""
    towns = list(db.session.scalars(select(Town)))
    employers = [
        Employer(
            name=f"Betrieb {n}",
            town_id=towns[n % len(towns)].id,
            street="Markt 1",
            postal_code="01968",
            locality="Senftenberg",
            sector_code="2",
            size_band=SizeBand.SMALL,
            status=EmployerStatus.APPROVED,
        )
        for n in range(200)
    ]
    db.session.add_all(employers)
    db.session.flush()
    rng = random.Random(7)
    now = datetime.now(UTC)
    valid = berlin_today() + timedelta(weeks=8)
    rows, terms = [], []
    for n in range(1, count + 1):
        title = rng.choice(TITLES)
        description = " ".join(rng.choice(WORDS) for _ in range(40))
        rows.append(
            {
                "id": n,
                "employer_id": employers[n % 200].id,
                "title": title,
                "occupation_group_code": "26",
                "skill_level": 2,
                "town_id": towns[n % len(towns)].id,
                "place_name": "",
                "place_postal_code": "",
                "working_times": [WorkingTime.FULL_TIME],
                "contract": "permanent",
                "description": description,
                "apply_url": "",
                "apply_email": "a@b.example",
                "valid_until": valid,
                "status": "published",
                "published_at": now - timedelta(minutes=n),
                "created_at": now,
                "updated_at": now,
            }
        )
        terms.extend({"token": t, "vacancy_id": n, "weight": w} for t, w in weighted_terms(title, description).items())
    db.session.execute(Vacancy.__table__.insert(), rows)
    db.session.execute(VacancyTerm.__table__.insert(), terms)
    db.session.commit()


def timed(client: object, path: str) -> float:
    """Median seconds of REQUESTS requests."""
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return sorted(samples)[len(samples) // 2]


def plan(town: Town) -> list[str]:
    """The database's plan for the board query with search and town filter."""
    from rueckkehr.employers import queries

    filters = BoardFilter(query="Elektriker", town=town)
    tokens = query_tokens(filters.query)
    statement = _filtered(filters, None)
    matches = (
        select(VacancyTerm.vacancy_id).where(VacancyTerm.token.in_(tokens)).group_by(VacancyTerm.vacancy_id).subquery()
    )
    statement = statement.join(matches, matches.c.vacancy_id == Vacancy.id).order_by(Vacancy.published_at.desc())
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    del queries
    return [" | ".join(str(c) for c in row) for row in db.session.execute(text(prefix + str(compiled)))]


def main() -> None:
    """Build the data, time both routes, print the ratio and the plan."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "http://bench.test"})
    app.add_url_rule("/bare", "bare", lambda: "ok")
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        fill(VACANCIES)
        print(f"filled {VACANCIES} vacancies in {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}")
        town = db.session.scalar(select(Town).where(Town.slug == "senftenberg"))
        client = app.test_client()
        page = client.get("/jobs?q=Elektriker&town=senftenberg").get_data(as_text=True)
        print("result:", page.split('role="status">')[1].split("<")[0])
        bare = timed(client, "/bare")
        jobs = timed(client, "/jobs?q=Elektriker&town=senftenberg")
        print(f"bare route: {bare * 1000:.2f} ms; /jobs?q=Elektriker&town=senftenberg: {jobs * 1000:.2f} ms")
        print(f"ratio: {jobs / bare:.1f}")
        print("plan:")
        for line in plan(town):
            print("  " + line)


if __name__ == "__main__":
    main()
