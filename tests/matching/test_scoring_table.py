"""The scorer, deterministic: a table of seekers and vacancies and the order and words they must come out in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale, gettext

from rueckkehr.matching.candidates import best
from rueckkehr.matching.scoring import Offer, Seeker, score
from rueckkehr.occupations.working_times import WorkingTime

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ELEKTRO = ("Mechatronik-, Energie- und Elektroberufe", "Rohstoffgewinnung, Produktion und Fertigung")
METALL = ("Metallerzeugung und -bearbeitung, Metallbauberufe", "Rohstoffgewinnung, Produktion und Fertigung")
PFLEGE = ("Medizinische Gesundheitsberufe", "Gesundheit, Soziales, Lehre und Erziehung")
LAUCHHAMMER, SENFTENBERG, FINSTERWALDE = (
    ("lauchhammer", "Lauchhammer"),
    ("senftenberg", "Senftenberg"),
    (
        "finsterwalde",
        "Finsterwalde",
    ),
)
SCHWARZHEIDE = ("schwarzheide", "Schwarzheide")
FULL, PART, REMOTE = WorkingTime.FULL_TIME.bit, WorkingTime.PART_TIME.bit, WorkingTime.REMOTE.bit


def offer(number: int, group: str, names: tuple[str, str], level: int, town: tuple[str, str] | None, times: int,
          starts_on: date | None = None, days_old: int = 1) -> Offer:  # fmt: skip
    return Offer(number, 100 + number, group, names[0], names[1], level, town, "03046 Cottbus", times,
                 bool(times & REMOTE), starts_on, NOW - timedelta(days=days_old))  # fmt: skip


# An electrician (Fachkraft) from Lauchhammer who wishes Senftenberg, full time, back from March 2027.
SEEKER = Seeker("26", 2, places=(SENFTENBERG,), hometown=LAUCHHAMMER, working_times=FULL, earliest=date(2027, 3, 1))
OFFERS = {
    "hometown": offer(1, "26", ELEKTRO, 2, LAUCHHAMMER, FULL, date(2027, 4, 1)),
    "wished_part_time": offer(2, "26", ELEKTRO, 2, SENFTENBERG, PART),
    "remote": offer(3, "26", ELEKTRO, 2, None, FULL | REMOTE),
    "schwarzheide": offer(4, "26", ELEKTRO, 2, SCHWARZHEIDE, FULL, days_old=3),
    "finsterwalde": offer(5, "26", ELEKTRO, 2, FINSTERWALDE, FULL, days_old=2),
    "specialist": offer(6, "26", ELEKTRO, 3, LAUCHHAMMER, FULL),
    "expert": offer(7, "26", ELEKTRO, 4, LAUCHHAMMER, FULL),  # two levels off: no match
    "metal": offer(8, "24", METALL, 2, LAUCHHAMMER, FULL),
    "care": offer(9, "81", PFLEGE, 2, LAUCHHAMMER, FULL),  # another Berufsbereich: no match
    "early_start": offer(10, "26", ELEKTRO, 2, LAUCHHAMMER, FULL, date(2026, 12, 1)),
    "cottbus": offer(11, "26", ELEKTRO, 2, None, FULL),
}

EXPECTED = [
    # name, rating, explanation (German)
    ("hometown", "sehr gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · in Ihrem Heimatort Lauchhammer · Vollzeit wie gewünscht · Beginn passt zu "
     "Ihrer Rückkehr"),
    ("early_start", "sehr gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · in Ihrem Heimatort Lauchhammer · Vollzeit wie gewünscht · Beginn vor Ihrer "
     "frühesten Rückkehr (März 2027)"),
    ("remote", "sehr gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · Heim-/Telearbeit möglich · Vollzeit wie gewünscht"),
    ("schwarzheide", "sehr gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · in Schwarzheide, 8 km von Lauchhammer · Vollzeit wie gewünscht"),
    ("wished_part_time", "gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · in Ihrem Wunschort Senftenberg · Vollzeit nicht angeboten"),
    ("finsterwalde", "gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · in Finsterwalde, 16 km von Lauchhammer · Vollzeit wie gewünscht"),
    ("cottbus", "gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · passendes "
     "Anforderungsniveau: Fachkraft · Vollzeit wie gewünscht · Arbeitsort außerhalb der RWK-Städte: 03046 Cottbus"),
    ("specialist", "gut", "gleiches Berufsfeld: Mechatronik-, Energie- und Elektroberufe · in Ihrem Heimatort "
     "Lauchhammer · Vollzeit wie gewünscht · eine Stufe über Ihrem Anforderungsniveau: Spezialist/in"),
    ("metal", "teilweise", "verwandtes Berufsfeld: Rohstoffgewinnung, Produktion und Fertigung · passendes "
     "Anforderungsniveau: Fachkraft · in Ihrem Heimatort Lauchhammer · Vollzeit wie gewünscht"),
]  # fmt: skip


def test_the_table_comes_out_in_its_order_with_its_words(app: Flask) -> None:
    with app.test_request_context(), force_locale("de"):
        found = best(SEEKER, reversed(list(OFFERS.values())))
        names = {offer.id: name for name, offer in OFFERS.items()}
        assert [(names[m.offer.id], m.rating_label, m.explanation) for m in found] == EXPECTED


def test_the_order_never_depends_on_the_input_order(app: Flask) -> None:
    with app.test_request_context():
        forwards = [match.offer.id for match in best(SEEKER, OFFERS.values())]
        backwards = [match.offer.id for match in best(SEEKER, reversed(list(OFFERS.values())))]
        assert forwards == backwards


@pytest.mark.parametrize("name", ["expert", "care"])
def test_two_levels_off_or_another_field_is_no_match(name: str) -> None:
    assert score(SEEKER, OFFERS[name]) is None


def test_a_limit_scores_the_best_tier_first_and_keeps_the_order(app: Flask) -> None:
    with app.test_request_context():
        assert [m.offer.id for m in best(SEEKER, OFFERS.values(), limit=3)] == [
            m.offer.id for m in best(SEEKER, OFFERS.values())
        ][:3]


@pytest.mark.parametrize(
    ("language", "badges"),
    [
        ("de", ["Passt sehr gut", "Passt gut", "Passt teilweise"]),
        ("en", ["Match: very good", "Match: good", "Match: partial"]),
    ],
)
def test_the_badge_names_each_rating_once(app: Flask, language: str, badges: list[str]) -> None:
    """The badge of a match (page, mail, fair plan) says "Passt …" once, not "Passt passt teilweise"."""
    with app.test_request_context(), force_locale(language):
        labels = {m.rating: m.rating_label for m in best(SEEKER, OFFERS.values())}
        assert [
            gettext("Passt %(rating)s", rating=labels[rating]) for rating in ("very_good", "good", "partial")
        ] == badges


def test_reasons_come_in_the_recipients_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        match = score(SEEKER, OFFERS["wished_part_time"])
        assert match is not None
        assert match.rating_label == "good"
        assert match.explanation.startswith("same occupational field: ")
        assert "Full-time not offered" in match.explanation
