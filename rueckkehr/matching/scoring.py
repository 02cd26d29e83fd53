"""The one scorer: a returnee (or an alert subscriber, or a partner) against a vacancy, with the reasons and what
is missing, in words the recipient's language gives them at the moment they are shown.

The occupation decides first: the same Berufshauptgruppe is strong, the same Berufsbereich weaker, and the
Anforderungsniveau counts exact or one step off (two steps off, or another Berufsbereich, is no match). Within that
*tier*, place, working time and start add points: the wished towns and the hometown first, a vacancy that allows
Heim-/Telearbeit counts as near, then the other RWK towns by distance (``places.distances``); working time; the start
against the earliest return. The RWK towns lie within 25 km of each other, so a vacancy of one's own occupation
anywhere in them comes before one of a neighbouring occupation next door. The order is deterministic: tier, points,
newer publication, then the vacancy's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import current_language
from ..occupations.names import translated_name
from ..occupations.working_times import WORKING_TIME_LABELS, from_bits
from ..places.distances import distance_km

NEAR_KM = 12  # two points: the next town
REACHABLE_KM = 20  # one point: a daily commute within the region

LEVEL_NAMES = {1: _l("Helfer/in"), 2: _l("Fachkraft"), 3: _l("Spezialist/in"), 4: _l("Experte/Expertin")}
RATINGS = {"very_good": _l("sehr gut"), "good": _l("gut"), "partial": _l("teilweise")}  # "Passt teilweise"


@dataclass(frozen=True, slots=True)
class Seeker:
    """What matching reads of a person who looks for work, prepared once.

    :param places: (slug, name) of the wished RWK towns; ``hometown`` the former hometown if it is an RWK town.
    :param earliest: the first day of the month of the earliest return, when it lies ahead (None: flexible, now).
    """

    group: str
    level: int | None
    places: tuple[tuple[str, str], ...] = ()
    hometown: tuple[str, str] | None = None
    working_times: int = 0
    earliest: date | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """What matching reads of a vacancy, prepared once."""

    id: int
    employer_id: int
    group: str
    group_name: str
    area_name: str
    level: int
    town: tuple[str, str] | None  # (slug, name) of its RWK town; None: elsewhere (``place``)
    place: str
    working_times: int
    remote: bool
    starts_on: date | None
    published_at: datetime


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason for a match, or one thing that does not fit; its text comes in the current language."""

    kind: str
    values: tuple[object, ...] = ()

    @property
    def text(self) -> str:
        """The reason in words."""
        return _texts(current_language(), (self,))


def _times(bits: object) -> str:
    return ", ".join(str(WORKING_TIME_LABELS[time]) for time in from_bits(int(str(bits))))


_REASON_TEXTS: dict[str, Callable[..., str]] = {
    "group": lambda name: _("gleiches Berufsfeld: %(name)s", name=translated_name(name)),
    "area": lambda name: _("verwandtes Berufsfeld: %(name)s", name=translated_name(name)),
    "level": lambda level: _("passendes Anforderungsniveau: %(level)s", level=LEVEL_NAMES[level]),
    "level_above": lambda level: _("eine Stufe über Ihrem Anforderungsniveau: %(level)s", level=LEVEL_NAMES[level]),
    "level_below": lambda level: _("eine Stufe unter Ihrem Anforderungsniveau: %(level)s", level=LEVEL_NAMES[level]),
    "hometown": lambda town: _("in Ihrem Heimatort %(town)s", town=town),
    "wished": lambda town: _("in Ihrem Wunschort %(town)s", town=town),
    "remote": lambda: _("Heim-/Telearbeit möglich"),
    "near": lambda town, km, near: _("in %(town)s, %(km)d km von %(near)s", town=town, km=km, near=near),
    "far": lambda town, km, near: _("in %(town)s, %(km)d km von %(near)s entfernt", town=town, km=km, near=near),
    "elsewhere": lambda place: _("Arbeitsort außerhalb der RWK-Städte: %(place)s", place=place),
    "times": lambda bits: _("%(times)s wie gewünscht", times=_times(bits)),
    "times_missing": lambda bits: _("%(times)s nicht angeboten", times=_times(bits)),
    "start": lambda: _("Beginn passt zu Ihrer Rückkehr"),
    "start_early": lambda month: _(
        "Beginn vor Ihrer frühesten Rückkehr (%(month)s)", month=format_date(month, "MMMM y")
    ),
}


@lru_cache(maxsize=16_384)
def _texts(language: str, reasons: tuple[Reason, ...]) -> str:
    """Reasons in words joined by " · ", in ``language`` (the current one): the same few reasons recur in every mail
    of a round, and are put into words once per language."""
    return " · ".join(str(_REASON_TEXTS[reason.kind](*reason.values)) for reason in reasons)


@lru_cache(maxsize=16)
def _rating_label(language: str, rating: str) -> str:
    return str(RATINGS[rating])


@dataclass(frozen=True, slots=True)
class Match:
    """A vacancy for a seeker: how well it fits (tier, points), why, and what is missing."""

    offer: Offer
    tier: int  # 3 same group and level, 2 same group one level off, 1 same area and level, 0 same area one off
    points: int  # place (0–3), working time (0–2), start (0–1)
    reasons: tuple[Reason, ...] = field(default=())
    missing: tuple[Reason, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[int, int, float, int]:
        """Best first: tier, points, newer publication, then the higher id (ties never depend on input order)."""
        return (-self.tier, -self.points, -self.offer.published_at.timestamp(), -self.offer.id)

    @property
    def rating(self) -> str:
        """``very_good``, ``good`` or ``partial``: how the match is shown (words, not a percentage). The words never
        contradict the order: the same occupation and level with a good place or time is very good; a neighbouring
        occupation only ever fits partly."""
        if self.tier == 3:
            return "very_good" if self.points >= 4 else "good"
        if self.tier == 2 and self.points >= 3:
            return "good"
        return "partial"

    @property
    def rating_label(self) -> str:
        """The rating in words, in the current language."""
        return _rating_label(current_language(), self.rating)

    @property
    def explanation(self) -> str:
        """Reasons, then what is missing, joined by " · "."""
        return _texts(current_language(), (*self.reasons, *self.missing))


def tier_of(seeker: Seeker, group: str, level: int) -> int | None:
    """The tier a vacancy of this group and level reaches for the seeker, or None when it is no match."""
    if group == seeker.group:
        tier = 2
    elif group[:1] == seeker.group[:1]:
        tier = 0
    else:
        return None
    gap = abs(level - seeker.level) if seeker.level else 0
    if gap > 1:
        return None
    return tier + (1 if gap == 0 else 0)


def _place(seeker: Seeker, offer: Offer, reasons: list[Reason], missing: list[Reason]) -> int:
    """Points for the place (0–3), with its reason."""
    if offer.town is not None:
        slug, name = offer.town
        if seeker.hometown is not None and seeker.hometown[0] == slug:
            reasons.append(Reason("hometown", (name,)))
            return 3
        if any(place == slug for place, _name in seeker.places):
            reasons.append(Reason("wished", (name,)))
            return 3
    if offer.remote:
        reasons.append(Reason("remote"))
        return 2
    own = (*seeker.places, *([seeker.hometown] if seeker.hometown else []))
    if offer.town is None:
        missing.append(Reason("elsewhere", (offer.place,)))
        return 0
    if not own:
        return 1  # no wish: every RWK town is as good as another
    km, near = min((distance_km(place, offer.town[0]) or 99, name) for place, name in own)
    if km <= REACHABLE_KM:
        reasons.append(Reason("near", (offer.town[1], km, near)))
        return 2 if km <= NEAR_KM else 1
    missing.append(Reason("far", (offer.town[1], km, near)))
    return 0


def score(seeker: Seeker, offer: Offer) -> Match | None:
    """How well a vacancy fits a seeker, with the reasons; None when it does not fit at all."""
    tier = tier_of(seeker, offer.group, offer.level)
    if tier is None:
        return None
    reasons = [Reason("group", (offer.group_name,)) if tier >= 2 else Reason("area", (offer.area_name,))]
    missing: list[Reason] = []
    if seeker.level:
        if offer.level == seeker.level:
            reasons.append(Reason("level", (offer.level,)))
        else:
            missing.append(Reason("level_above" if offer.level > seeker.level else "level_below", (offer.level,)))
    points = _place(seeker, offer, reasons, missing)
    if seeker.working_times:
        common = seeker.working_times & offer.working_times
        if common:
            reasons.append(Reason("times", (common,)))
            points += 2
        else:
            missing.append(Reason("times_missing", (seeker.working_times,)))
    if seeker.earliest is not None and offer.starts_on is not None:
        if offer.starts_on >= seeker.earliest:
            reasons.append(Reason("start"))
            points += 1
        else:
            missing.append(Reason("start_early", (seeker.earliest,)))
    return Match(offer, tier, points, tuple(reasons), tuple(missing))
