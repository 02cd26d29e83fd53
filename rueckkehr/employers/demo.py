"""Demo employers of the region with vacancies across towns and levels, and their stands at the demo events.

Found by natural keys (employer name; employer + vacancy title; employer + event), so a second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..dates import berlin_today
from ..events.models import Event, EventStatus
from ..extensions import db
from ..occupations.working_times import in_order
from ..places.models import Town
from .models import (
    Contract,
    Employer,
    EmployerStatus,
    SalaryPeriod,
    SizeBand,
    StandBooking,
    StandStatus,
    Vacancy,
    VacancyStatus,
)
from .vacancies import index_vacancy

# name, town, street, PLZ, locality, Berufsbereich, size, website, description
EMPLOYERS = [
    (
        "BASF Schwarzheide GmbH",
        "schwarzheide",
        "Schipkauer Straße 1",
        "01987",
        "Schwarzheide",
        "4",
        SizeBand.LARGE,
        "https://www.basf.com/schwarzheide",
        "Chemiestandort mit Batteriematerialien, Pflanzenschutz und Kunststoffen.",
    ),
    (
        "Medizinische Einrichtungsgesellschaft Senftenberg–Großräschen",
        "senftenberg",
        "Krankenhausstraße 10",
        "01968",
        "Senftenberg",
        "8",
        SizeBand.LARGE,
        "",
        "Das gemeinsame Medizinische Zentrum von Senftenberg und Großräschen.",
    ),
    (
        "Pflegedienst Sängerstadt",
        "finsterwalde",
        "Langer Damm 4",
        "03238",
        "Finsterwalde",
        "8",
        SizeBand.SMALL,
        "",
        "Ambulante Pflege in Finsterwalde und den Dörfern ringsum.",
    ),
    (
        "Elektro Lausitz Meisterbetrieb",
        "lauchhammer",
        "Bockwitzer Straße 22",
        "01979",
        "Lauchhammer",
        "2",
        SizeBand.SMALL,
        "",
        "Elektroinstallation, Photovoltaik und Gebäudetechnik seit 1991.",
    ),
    (
        "Lausitzring Logistik GmbH",
        "schipkau",
        "Lausitzallee 1",
        "01998",
        "Schipkau OT Klettwitz",
        "5",
        SizeBand.MEDIUM,
        "",
        "Lager und Transport am Lausitzring, direkt an der A13.",
    ),
    (
        "Stadtverwaltung Großräschen",
        "grossraeschen",
        "Seestraße 16",
        "01983",
        "Großräschen",
        "7",
        SizeBand.MEDIUM,
        "",
        "Die Verwaltung der Stadt am Großräschener See.",
    ),
    (
        "Seenland IT Solutions",
        "senftenberg",
        "Bahnhofstraße 5",
        "01968",
        "Senftenberg",
        "4",
        SizeBand.MICRO,
        "",
        "Software für Energieversorger und Kommunen.",
    ),
]

# employer index, title, KldB group, level, town (None = elsewhere), working times, description
VACANCIES = [
    (
        0,
        "Chemikant/in (m/w/d) im Schichtdienst",
        "41",
        2,
        "schwarzheide",
        ["full_time", "shifts"],
        "Sie steuern Anlagen der **Batteriematerial-Produktion**.\n\n- Ausbildung als Chemikant/in\n- Schichtzulagen",
    ),
    (
        0,
        "Ingenieurin / Ingenieur Verfahrenstechnik",
        "27",
        4,
        "schwarzheide",
        ["full_time"],
        "Planung und Optimierung unserer Anlagen für Kathodenmaterialien.",
    ),
    (
        1,
        "Ärztin / Arzt in Weiterbildung Innere Medizin",
        "81",
        4,
        "senftenberg",
        ["full_time", "part_time"],
        "Weiterbildung in der Inneren Medizin an beiden Standorten der MEG.",
    ),
    (
        1,
        "Medizinische Fachangestellte (MFA)",
        "81",
        2,
        "grossraeschen",
        ["part_time"],
        "Empfang, Termine und Assistenz in unserer Praxis am Standort Großräschen.",
    ),
    (
        2,
        "Pflegefachkraft (w/m/d) ambulante Pflege",
        "81",
        2,
        "finsterwalde",
        ["full_time", "part_time", "shifts"],
        "Sie versorgen unsere Patientinnen und Patienten zu Hause. Dienstwagen inklusive.",
    ),
    (
        2,
        "Pflegehelfer/in",
        "82",
        1,
        "finsterwalde",
        ["part_time", "mini_job"],
        "Unterstützung im Alltag und bei der Grundpflege.",
    ),
    (
        3,
        "Elektriker/in für Gebäudetechnik",
        "26",
        2,
        "lauchhammer",
        ["full_time"],
        "Installation und Wartung von Elektroanlagen und Photovoltaik in der Region.",
    ),
    (
        4,
        "Berufskraftfahrer/in (C/CE)",
        "52",
        2,
        "schipkau",
        ["full_time", "shifts"],
        "Nahverkehr in Brandenburg und Sachsen.",
    ),
    (
        4,
        "Fachkraft für Lagerlogistik",
        "51",
        2,
        "schipkau",
        ["full_time", "shifts"],
        "Wareneingang, Kommissionierung, Versand.",
    ),
    (
        5,
        "Sachbearbeiter/in Bauverwaltung",
        "73",
        3,
        "grossraeschen",
        ["full_time", "remote"],
        "Bauanträge, Bebauungspläne und Bauland für Rückkehrerfamilien.",
    ),
    (
        3,
        "Tischler/in Möbel- und Innenausbau",
        "22",
        2,
        "lauchhammer",
        ["full_time"],
        "Wir fertigen Küchen, Treppen und Möbel aus Massivholz für Häuser in der Region.",
    ),
    (
        6,
        "Softwareentwickler/in Python",
        "43",
        3,
        None,
        ["full_time", "remote"],
        "Wir entwickeln Software für Stadtwerke. Arbeit im Büro in Cottbus oder von zu Hause.",
    ),
]


def seed_employers(now: datetime, created: dict[str, int]) -> None:
    """Create or refresh the demo employers, vacancies and stands."""
    towns = {town.slug: town for town in db.session.scalars(select(Town))}
    employers = []
    for name, town, street, plz, locality, sector, size, website, description in EMPLOYERS:
        employer = db.session.scalar(select(Employer).where(Employer.name == name))
        if employer is None:
            employer = Employer(name=name, approved_at=now, status=EmployerStatus.APPROVED)
            db.session.add(employer)
            created["employers"] = created.get("employers", 0) + 1
        values: dict[str, Any] = {
            "town_id": towns[town].id,
            "street": street,
            "postal_code": plz,
            "locality": locality,
            "sector_code": sector,
            "size_band": size,
            "website": website,
            "description": description,
        }
        for key, value in values.items():
            if getattr(employer, key) != value:
                setattr(employer, key, value)
        employers.append(employer)
    db.session.flush()
    today = berlin_today(now)
    for number, (index, title, group, level, place, times, text) in enumerate(VACANCIES):
        employer = employers[index]
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.employer_id == employer.id, Vacancy.title == title))
        if vacancy is None:
            vacancy = Vacancy(employer=employer, title=title, description=text)
            db.session.add(vacancy)
            created["vacancies"] = created.get("vacancies", 0) + 1
        if vacancy.status != VacancyStatus.PUBLISHED or vacancy.valid_until is None or vacancy.valid_until < today:
            vacancy.status = VacancyStatus.PUBLISHED
            vacancy.published_at = now - timedelta(days=number)
            vacancy.valid_until = today + timedelta(weeks=8)
        vacancy.occupation_group_code = group
        vacancy.skill_level = level
        vacancy.town_id = towns[place].id if place else None
        vacancy.place_name = "" if place else "Cottbus"
        vacancy.place_postal_code = "" if place else "03046"
        vacancy.working_times = in_order(times)
        vacancy.contract = Contract.PERMANENT
        vacancy.description = text
        vacancy.apply_email = vacancy.apply_email or "bewerbung@example.org"
        if level >= 3 and vacancy.salary_min is None:
            vacancy.salary_min, vacancy.salary_max, vacancy.salary_period = 4200, 5600, SalaryPeriod.MONTH
        index_vacancy(vacancy)
    events = list(
        db.session.scalars(
            select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now).order_by(Event.starts_at)
        )
    )
    for event in events:
        for employer in employers:
            if employer.town_id != event.venue.town_id and employer.name != EMPLOYERS[1][0]:
                continue
            exists = db.session.scalar(
                select(StandBooking).where(StandBooking.employer_id == employer.id, StandBooking.event_id == event.id)
            )
            if exists is None:
                db.session.add(
                    StandBooking(
                        employer=employer,
                        event=event,
                        status=StandStatus.CONFIRMED,
                        confirmed_at=now,
                        space_note="Ein Tisch, zwei Stühle",
                    )
                )
                created["stand_bookings"] = created.get("stand_bookings", 0) + 1
