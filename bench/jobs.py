"""Benchmark: /jobs?q=…&town=… over 20,000 vacancies against a bare route in the same app, as a ratio.

Besides the plain word ("Elektriker") it times words that are found as parts of compounds ("Lager" in
"Lagerlogistik", "Fahrer" in "Berufskraftfahrer"), which the board looks up in ``search_words`` first.

Run: ``.venv/bin/python -m bench.jobs`` (a temporary SQLite database) or with ``DATABASE_URL=postgresql://…`` pointing
at an empty scratch database. Prints the timings and their ratio, as time passed and as CPU time of the requests (on
a shared machine the first grows with the others' work), and the database's plans for the search.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

os.environ.setdefault("APP_ENV", "test")

from flask_migrate import upgrade
from sqlalchemy import select, text

from rueckkehr import create_app
from rueckkehr.dates import berlin_today
from rueckkehr.employers.board_queries import BoardFilter, compound_parts_statement, page_statement
from rueckkehr.employers.models import Employer, EmployerStatus, SearchWord, SizeBand, Vacancy, VacancyTerm
from rueckkehr.employers.search import parse_query, reversed_token, weighted_terms
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
    words = {term["token"] for term in terms}
    db.session.execute(
        SearchWord.__table__.insert(), [{"token": w, "reversed_token": reversed_token(w)} for w in words]
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))  # the statistics both databases keep up to date in production
    db.session.commit()


def timed(client: object, paths: list[str]) -> tuple[list[float], list[float]]:
    """Median seconds of REQUESTS requests to each path, taken in turns, so that whatever else the machine does at
    the time weighs on every path alike: the time that passed, and the CPU time this thread spent (which other
    work on a shared machine changes far less)."""
    walls: list[list[float]] = [[] for _path in paths]
    cpus: list[list[float]] = [[] for _path in paths]
    for _ in range(REQUESTS):
        for path, wall, cpu in zip(paths, walls, cpus, strict=True):
            start, start_cpu = time.perf_counter(), time.thread_time()
            response = client.get(path)  # type: ignore[attr-defined]
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start)
            assert response.status_code == 200
    return [sorted(times)[len(times) // 2] for times in walls], [sorted(times)[len(times) // 2] for times in cpus]


def explained(statement: Any, parameters: dict[str, Any]) -> list[str]:
    """The database's plan for a statement with these values."""
    compiled = statement.params(parameters).compile(
        db.engine, compile_kwargs={"literal_binds": True, "render_postcompile": True}
    )
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return [" | ".join(str(c) for c in row) for row in db.session.execute(text(prefix + str(compiled)))]


def plan(query: str, town: Town) -> list[str]:
    """The database's plans for the board's search with town filter: the compounds of the query's words in
    ``search_words``, then the page's ids and the total."""
    terms, _place = parse_query(query, {})
    statement, parameters = page_statement(BoardFilter(query=query, terms=terms, town=town, sort="relevance"))
    parts, part_parameters = compound_parts_statement(terms)
    return [
        "compound parts:",
        *explained(parts, part_parameters),
        "page of ids with the total:",
        *explained(statement, parameters | {"limit": 20, "offset": 0}),
    ]


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
        for query in ("Elektriker", "Lager", "Fahrer"):
            path = f"/jobs?q={query}&town=senftenberg"
            page = client.get(path).get_data(as_text=True)
            (bare, jobs), (bare_cpu, jobs_cpu) = timed(client, ["/bare", path])
            found = page.split('role="status">')[1].split("<")[0]
            print(f"{path} ({found}): {jobs * 1000:.2f} ms against the bare route's {bare * 1000:.2f} ms, "
                  f"ratio {jobs / bare:.1f}; CPU time {jobs_cpu * 1000:.2f} ms against {bare_cpu * 1000:.2f} ms, "
                  f"ratio {jobs_cpu / bare_cpu:.1f}")  # fmt: skip
        for query in ("Elektriker", "Fahrer"):
            print(f"plan of the search for {query!r} in Senftenberg:")
            for line in plan(query, town):
                print("  " + line)


if __name__ == "__main__":
    main()
