"""Demo data that follows the calendar: the coming Rückkehrertage, later events and one past event.

Every record is found by a natural key before it is created, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from dateutil.easter import easter
from sqlalchemy import select

from .dates import BERLIN, utcnow
from .employers.demo import seed_employers
from .events.models import Event, EventSeries, EventStatus, ProgrammeItem
from .extensions import Model, db
from .matching.demo import seed_matching
from .places.models import Town, Venue
from .registrations.demo import seed_registrations
from .towns.demo import seed_town_pages

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class DemoVenue:
    """A real venue of the region (addresses are for the demo)."""

    key: str
    town: str
    name: str
    street: str
    postal_code: str
    locality: str
    latitude: str
    longitude: str


VENUES = [
    DemoVenue(
        "finsterwalde",
        "finsterwalde",
        "Aula des Sängerstadtgymnasiums Finsterwalde",
        "Schillerstraße 8",
        "03238",
        "Finsterwalde",
        "51.631800",
        "13.709800",
    ),
    DemoVenue(
        "schipkau",
        "schipkau",
        "Bürgerhaus Klettwitz",
        "Schipkauer Straße 12",
        "01998",
        "Schipkau OT Klettwitz",
        "51.537200",
        "13.897500",
    ),
    DemoVenue(
        "senftenberg",
        "senftenberg",
        "Niederlausitzhalle Senftenberg",
        "Ernst-Thälmann-Straße 61",
        "01968",
        "Senftenberg",
        "51.519700",
        "14.002100",
    ),
    DemoVenue(
        "senftenberg-rathaus",
        "senftenberg",
        "Rathaus Senftenberg",
        "Markt 1",
        "01968",
        "Senftenberg",
        "51.525200",
        "14.001800",
    ),
    DemoVenue(
        "grossraeschen",
        "grossraeschen",
        "Kurmärker Großräschen",
        "Seestraße 88",
        "01983",
        "Großräschen",
        "51.587000",
        "14.011000",
    ),
    DemoVenue(
        "schwarzheide",
        "schwarzheide",
        "BASF-Kulturhaus Schwarzheide",
        "Ruhlander Straße 84",
        "01987",
        "Schwarzheide",
        "51.477000",
        "13.872000",
    ),
    DemoVenue(
        "lauchhammer",
        "lauchhammer",
        "Seecampus Niederlausitz",
        "Am Seecampus 1",
        "01979",
        "Lauchhammer",
        "51.485000",
        "13.848000",
    ),
]

# The contact person for returnees of each town (illustrative; organizers keep their own once set).
TOWN_CONTACTS = {
    "finsterwalde": (
        "Katrin Lehmann, Wirtschaftsförderung Finsterwalde",
        "rueckkehr@finsterwalde.example",
        "+4935315001",
    ),
    "grossraeschen": ("Jens Kowalski, Stadtmarketing Großräschen", "rueckkehr@grossraeschen.example", "+4935753211"),
    "lauchhammer": ("Sabine Noack, Wirtschaftsförderung Lauchhammer", "rueckkehr@lauchhammer.example", "+4935747301"),
    "schwarzheide": (
        "Thomas Richter, Wirtschaftsförderung Schwarzheide",
        "rueckkehr@schwarzheide.example",
        "+49357528500",
    ),
    "senftenberg": ("Anja Schulze, Wirtschaftsförderung Senftenberg", "rueckkehr@senftenberg.example", "+4935733010"),
    "schipkau": ("Mario Krüger, Gemeinde Schipkau", "rueckkehr@schipkau.example", "+49357546300"),
}

# (day in December, venue key, title suffix, highlight of the programme)
DECEMBER_DAYS = [
    (27, "finsterwalde", "Finsterwalde", "Präsenzstelle der BTU Cottbus-Senftenberg: Studium und Weiterbildung"),
    (27, "schipkau", "Schipkau", "Rund um den Lausitzring: Arbeiten in Automobil- und Energiewirtschaft"),
    (28, "senftenberg", "Senftenberg", "Ärztinnen und Ärzte gesucht: das Medizinische Zentrum Senftenberg–Großräschen"),
    (28, "grossraeschen", "Großräschen (Rückkehrer-Brunch)", "Rückkehrer-Brunch mit Blick auf den Großräschener See"),
    (29, "schwarzheide", "Schwarzheide", "Chemie, Batterien, Wasserstoff: Ausbildung und Karriere am Standort"),
    (30, "lauchhammer", "Lauchhammer", "Strukturwandel zum Anfassen: Projekte der Wirtschaftsregion Lausitz"),
]

DESCRIPTION = (
    "Zwischen Weihnachten und Neujahr sind viele, die hier aufgewachsen sind, zu Besuch in der Heimat. "
    "Beim Rückkehrertag in {town} treffen Sie Arbeitgeber der Region, erfahren, welche Stellen offen sind, "
    "und bekommen Antworten zu Wohnen und Bauland, Kita und Schule – und zu einem Job für Ihre Partnerin "
    "oder Ihren Partner."
)


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall-clock time as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


def returnee_days_year(now: datetime) -> int:
    """The year of the coming Rückkehrertage: this year until its last day has ended, then the next."""
    local = now.astimezone(BERLIN)
    last_end = datetime(local.year, 12, 30, 15, 0, tzinfo=BERLIN)
    return local.year if local < last_end else local.year + 1


def next_yearly_date(today: date, date_in_year: Callable[[int], date]) -> date:
    """The next date after today that ``date_in_year`` gives for this year or the next."""
    this_year = date_in_year(today.year)
    return this_year if this_year > today else date_in_year(today.year + 1)


def second_thursday_of_march(year: int) -> date:
    """The second Thursday of March: the job-dating evening."""
    first = date(year, 3, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


def _upsert(model: type[M], key: dict[str, Any], values: dict[str, Any], created: dict[str, int]) -> M:
    """Find a row by its natural key; create it or bring it up to date. Unchanged rows are not touched."""
    row = db.session.scalars(select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        created[model.__tablename__] = created.get(model.__tablename__, 0) + 1
        return row
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    return row


def _programme(day: date, highlight: str, town: str) -> list[tuple[datetime, datetime | None, str]]:
    """The usual programme of a Rückkehrertag, 10 to 15 Uhr."""
    return [
        (
            berlin(day, 10),
            berlin(day, 10, 30),
            f"Begrüßung durch die Bürgermeisterin oder den Bürgermeister von {town}",
        ),
        (berlin(day, 10, 30), berlin(day, 15), "Arbeitgebermesse: Unternehmen der Region stellen sich vor"),
        (berlin(day, 11, 30), berlin(day, 12, 15), highlight),
        (berlin(day, 12, 30), berlin(day, 13, 15), "Wohnen, Bauland, Kita und Schule: Beratung der Stadtverwaltung"),
        (berlin(day, 13, 30), berlin(day, 14, 15), "Job für die Partnerin oder den Partner: Dual-Career-Beratung"),
        (berlin(day, 14, 30), None, "Ausklang bei Kaffee und Stollen"),
    ]


def _event(
    created: dict[str, int],
    *,
    venue: Venue,
    series: EventSeries | None,
    title: str,
    summary: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    opens_at: datetime,
    programme: list[tuple[datetime, datetime | None, str]],
) -> Event:
    """Create or update one event and its programme."""
    event = _upsert(
        Event,
        {"venue_id": venue.id, "starts_at": starts_at},
        {
            "series_id": series.id if series else None,
            "title": title,
            "summary": summary,
            "description": description,
            "ends_at": ends_at,
            "capacity": capacity,
            "registration_opens_at": opens_at,
            "registration_closes_at": starts_at - timedelta(hours=24),
            "status": EventStatus.PUBLISHED,
        },
        created,
    )
    for item_start, item_end, item_title in programme:
        _upsert(
            ProgrammeItem,
            {"event_id": event.id, "starts_at": item_start, "title": item_title},
            {"ends_at": item_end},
            created,
        )
    return event


def seed_demo(now: datetime | None = None) -> dict[str, int]:
    """Load or refresh the demo data for the calendar around ``now``; return how many rows were created."""
    now = now or utcnow()
    created: dict[str, int] = {}
    towns = {town.slug: town for town in db.session.scalars(select(Town))}
    for slug, (name, email, phone) in TOWN_CONTACTS.items():
        if slug in towns and not towns[slug].contact_email:
            towns[slug].contact_name, towns[slug].contact_email, towns[slug].contact_phone = name, email, phone
    venues = {
        spec.key: _upsert(
            Venue,
            {"town_id": towns[spec.town].id, "name": spec.name},
            {
                "street": spec.street,
                "postal_code": spec.postal_code,
                "locality": spec.locality,
                "latitude": Decimal(spec.latitude),
                "longitude": Decimal(spec.longitude),
            },
            created,
        )
        for spec in VENUES
    }
    year = returnee_days_year(now)
    series = _upsert(
        EventSeries,
        {"title": f"Rückkehrertage {year}"},
        {"description": "Die Rückkehrertage des RWK Westlausitz zwischen Weihnachten und Neujahr."},
        created,
    )
    for day_of_month, venue_key, suffix, highlight in DECEMBER_DAYS:
        day = date(year, 12, day_of_month)
        venue = venues[venue_key]
        _event(
            created,
            venue=venue,
            series=series,
            title=f"Rückkehrertag {suffix}",
            summary=highlight,
            description=DESCRIPTION.format(town=venue.town.name),
            starts_at=berlin(day, 10),
            ends_at=berlin(day, 15),
            capacity=120 if venue_key == "grossraeschen" else 300,
            opens_at=berlin(date(year, 10, 1), 0),
            programme=_programme(day, highlight, venue.town.name),
        )

    today = now.astimezone(BERLIN).date()
    easter_saturday = next_yearly_date(today, lambda y: easter(y) - timedelta(days=1))
    _event(
        created,
        venue=venues["senftenberg-rathaus"],
        series=None,
        title="Oster-Rückkehrertag Senftenberg",
        summary="Zu Ostern zu Hause: Beratung zu Arbeit, Wohnen und Familie im Rathaus",
        description=DESCRIPTION.format(town="Senftenberg"),
        starts_at=berlin(easter_saturday, 10),
        ends_at=berlin(easter_saturday, 14),
        capacity=80,
        opens_at=berlin(easter_saturday - timedelta(weeks=10), 0),
        programme=[
            (berlin(easter_saturday, 10), berlin(easter_saturday, 10, 30), "Begrüßung im Ratssaal"),
            (berlin(easter_saturday, 10, 30), berlin(easter_saturday, 14), "Beratung an Thementischen"),
        ],
    )
    job_dating_day = next_yearly_date(today, second_thursday_of_march)
    _event(
        created,
        venue=venues["schwarzheide"],
        series=None,
        title="Job-Dating am Abend",
        summary="Zehn Minuten, ein Gespräch: Unternehmen der Region treffen Fachkräfte",
        description="Kurze Gespräche mit Personalverantwortlichen aus Industrie, Pflege und Handwerk.",
        starts_at=berlin(job_dating_day, 17),
        ends_at=berlin(job_dating_day, 20),
        capacity=60,
        opens_at=berlin(job_dating_day - timedelta(weeks=12), 0),
        programme=[
            (berlin(job_dating_day, 17), berlin(job_dating_day, 19, 30), "Job-Dating in Runden zu zehn Minuten"),
            (berlin(job_dating_day, 19, 30), None, "Offener Austausch"),
        ],
    )

    previous = year - 1
    past_series = _upsert(
        EventSeries,
        {"title": f"Rückkehrertage {previous}"},
        {"description": "Die Rückkehrertage des RWK Westlausitz zwischen Weihnachten und Neujahr."},
        created,
    )
    past_day = date(previous, 12, 28)
    _event(
        created,
        venue=venues["senftenberg"],
        series=past_series,
        title="Rückkehrertag Senftenberg",
        summary="Rückblick: über 500 Besucherinnen und Besucher an den Rückkehrertagen",
        description=DESCRIPTION.format(town="Senftenberg"),
        starts_at=berlin(past_day, 10),
        ends_at=berlin(past_day, 15),
        capacity=300,
        opens_at=berlin(date(previous, 10, 1), 0),
        programme=_programme(past_day, "Ärztinnen und Ärzte gesucht", "Senftenberg"),
    )
    seed_employers(now, created)
    seed_matching(now, created)
    seed_town_pages()
    db.session.flush()
    seed_registrations(now, created)
    db.session.flush()
    return created
