"""The data export in words: every stored value with its label, in the returnee's language and local time.

The JSON export (``operations.export_profile``) stays the machine-readable copy (Art. 20 GDPR); this is the same
data as a person reads it (Art. 15). The packages above add their sections through ``signals.readable_export``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..forms import SKILL_LEVELS
from ..i18n import LANGUAGE_NAMES, format_local_datetime, format_month_year, format_phone
from ..occupations.models import OccupationGroup
from . import signals
from .forms import INTERESTS, SALUTATIONS, country_choices
from .models import ConsentPurpose, ReturneeProfile
from .signals import ReadableSection

PURPOSE_NAMES = {
    ConsentPurpose.PARTICIPATION: _l("Teilnahme an Veranstaltungen"),
    ConsentPurpose.JOB_ALERTS: _l("Stellenangebote per E-Mail"),
    ConsentPurpose.EMPLOYER_POOL: _l("Profil für Arbeitgeber sichtbar (ohne Namen)"),
    ConsentPurpose.NEWS: _l("Neuigkeiten zu künftigen Rückkehrertagen"),
}


def when(value: datetime | None) -> str:
    """A stored moment in local time, or a dash."""
    return format_local_datetime(value) if value else "–"


def _listed(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values) or "–"


def _occupation(code: str | None) -> str:
    group = db.session.get(OccupationGroup, code) if code else None
    return f"{group.code} {group.label}" if group is not None else "–"


def _level(level: int | None) -> str:
    return str(dict(SKILL_LEVELS).get(str(level), "–")) if level else "–"


def _earliest_return(value: str | None) -> str:
    if not value:
        return "–"
    if value == "flexible":
        return str(_("flexibel"))
    year, _sep, month = value.partition("-")
    return format_month_year(date(int(year), int(month), 1)) if year.isdecimal() and month.isdecimal() else value


def profile_section(profile: ReturneeProfile) -> ReadableSection:
    """Who the returnee is and what they look for."""
    salutations = dict(SALUTATIONS)
    interests = dict(INTERESTS)
    countries = dict(country_choices())
    hometown = profile.hometown.name if profile.hometown else (profile.hometown_other or "–")
    rows = [
        (_("E-Mail-Adresse"), profile.email or "–"),
        (_("Sprache"), LANGUAGE_NAMES.get(profile.language, profile.language)),
        (_("Anrede"), str(salutations.get(profile.salutation or "", "–")) if profile.salutation else "–"),
        (_("Vorname"), profile.first_name),
        (_("Nachname"), profile.last_name),
        (_("Telefon"), format_phone(profile.phone) or "–"),
        (_("Postleitzahl"), profile.postal_code),
        (_("Wohnort"), profile.city),
        (_("Land"), countries.get(profile.country, profile.country)),
        (_("Früherer Heimatort"), hometown),
        (_("In welchen Städten möchten Sie arbeiten oder wohnen?"), _listed(t.name for t in profile.wished_towns)),
        (_("Berufsfeld"), _occupation(profile.occupation_group_code)),
        (_("Anforderungsniveau"), _level(profile.skill_level)),
        (_("Gewünschte Arbeitszeit"), _listed(time.label for time in profile.working_times)),
        (_("Frühestmögliche Rückkehr"), _earliest_return(profile.earliest_return)),
        (_("Wofür interessieren Sie sich?"), _listed(interests.get(key, key) for key in profile.interests)),
        (_("Berufsfeld Ihrer Partnerin oder Ihres Partners"), _occupation(profile.partner_occupation_group_code)),
        (_("Anforderungsniveau Ihrer Partnerin oder Ihres Partners"), _level(profile.partner_skill_level)),
        (_("Was zieht Sie zurück?"), profile.reason or "–"),
        (_("Profil angelegt"), when(profile.created_at)),
        (_("E-Mail-Adresse bestätigt"), when(profile.confirmed_at)),
    ]
    return ReadableSection(order=0, title=_("Ihre Angaben"), rows=rows)


def consents_section(profile: ReturneeProfile) -> ReadableSection:
    """Every consent given, with its text version and its times."""
    rows = []
    for consent in profile.consents:
        parts = [
            _("gegeben %(when)s", when=when(consent.given_at)),
            _("bestätigt %(when)s", when=when(consent.confirmed_at)),
        ]
        if consent.withdrawn_at:
            parts.append(_("widerrufen %(when)s", when=when(consent.withdrawn_at)))
        parts.append(_("Textfassung %(version)s", version=consent.text_version))
        rows.append((str(PURPOSE_NAMES[consent.purpose]), "; ".join(parts)))
    return ReadableSection(order=90, title=_("Ihre Einwilligungen"), rows=rows or [(_("Einwilligungen"), "–")])


def readable_export(profile: ReturneeProfile) -> list[ReadableSection]:
    """Every section of the readable export, in order (the packages above add theirs)."""
    sections = [profile_section(profile), consents_section(profile)]
    for _receiver, answer in signals.readable_export.send(profile):
        sections.extend(answer if isinstance(answer, list) else [answer] if answer else [])
    return sorted(sections, key=lambda section: section.order)
