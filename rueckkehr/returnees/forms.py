"""The profile forms: who a returnee is and what they look for, the link and code forms, the consents."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import phonenumbers
from babel import Locale
from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    Field,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..dates import months_from
from ..extensions import db
from ..forms import (
    SKILL_LEVELS,
    WORKING_TIMES,
    Form,
    MultiCheckboxField,
    SelectField,
    email_field,
    no_control_characters,
    occupation_choices,
    postal_code_of_country,
    value_of,
)
from ..i18n import alphabetical, current_language, format_month_year
from ..occupations.working_times import in_order
from ..places.models import Town
from .operations import ProfileData

SALUTATIONS = [
    ("", _l("Bitte wählen (freiwillig)")),
    ("female", _l("Frau")),
    ("male", _l("Herr")),
    ("diverse", _l("divers")),
    ("none", _l("keine Angabe")),
]
INTERESTS = [
    ("housing", _l("Wohnen und Bauland")),
    ("childcare", _l("Kita und Schule")),
    ("partner_job", _l("Job für Partner/in")),
    ("business", _l("Existenzgründung")),
    ("advice", _l("Beratungsgespräch")),
]
OTHER_TOWN = "other"
PSEUDO = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}
REASON_MAX = 1000
_TOWN_CHOICES = select(Town.slug, Town.name).order_by(Town.sort_order)  # built once: every form page runs it


def country_choices() -> list[tuple[str, str]]:
    """Countries named in the visitor's language, Germany first."""
    return _country_choices(str(get_locale()))


@lru_cache(maxsize=8)
def _country_choices(locale: str) -> list[tuple[str, str]]:
    names = Locale.parse(locale).territories
    countries = sorted(
        ((code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in PSEUDO),
        key=lambda item: (alphabetical(item[1]), item[1]),
    )
    return [("DE", names["DE"]), *[(code, name) for code, name in countries if code != "DE"]]


def return_choices(today: date) -> list[tuple[str, str]]:
    """ "Flexibel" or one of the next 36 months."""
    months = _return_months(date(today.year, today.month, 1), current_language())
    return [("", _l("Bitte wählen (freiwillig)")), ("flexible", _l("flexibel")), *months]


@lru_cache(maxsize=16)
def _return_months(first: date, locale: str) -> tuple[tuple[str, str], ...]:
    """The 36 months from ``first`` named in ``locale`` (the language of the request that asks): every form builds
    them, and naming 36 months costs Babel more than the rest of the form."""
    return tuple((f"{month:%Y-%m}", format_month_year(month)) for month in months_from(first, 36))


def parse_phone(text: str | None) -> str | None:
    """A valid phone number in E.164 (for storing), or None; national numbers are read as German."""
    try:
        number = phonenumbers.parse(text or "", "DE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ProfileForm(Form):
    """Who the returnee is and what they look for; shared by registration and self-service."""

    salutation = SelectField(_l("Anrede"), choices=SALUTATIONS, validators=[Optional()])
    first_name = StringField(
        _l("Vorname"),
        validators=[DataRequired(_l("Bitte geben Sie Ihren Vornamen an.")), Length(max=100), no_control_characters],
    )
    last_name = StringField(
        _l("Nachname"),
        validators=[DataRequired(_l("Bitte geben Sie Ihren Nachnamen an.")), Length(max=100), no_control_characters],
    )
    phone = StringField(
        _l("Telefon (freiwillig)"),
        description=_l("Mit Ländervorwahl, wenn Sie im Ausland leben, z. B. +47 22 12 34 56."),
        validators=[Optional(), Length(max=40)],
    )
    postal_code = StringField(
        _l("Postleitzahl"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre Postleitzahl an.")),
            Length(max=12),
            no_control_characters,
            postal_code_of_country,
        ],
    )
    city = StringField(
        lazy_pgettext("asked of the returnee", "Wohnort"),  # the organizers read a neutral "Place of residence"
        validators=[DataRequired(_l("Bitte geben Sie Ihren Wohnort an.")), Length(max=100), no_control_characters],
    )
    country = SelectField(_l("Land"), default="DE")
    hometown = SelectField(_l("Früherer Heimatort"), validators=[Optional()])
    hometown_other = StringField(
        _l("Anderer Heimatort"),
        description=_l("Nur ausfüllen, wenn Sie oben „anderer Ort“ gewählt haben."),
        validators=[Length(max=100), no_control_characters],
    )
    wished_towns = MultiCheckboxField(_l("In welchen Städten möchten Sie arbeiten oder wohnen?"))
    occupation_group = SelectField(_l("Berufsfeld"), validators=[Optional()])
    skill_level = SelectField(
        _l("Anforderungsniveau"),
        choices=[("", _l("Bitte wählen (freiwillig)")), *SKILL_LEVELS],
        validators=[Optional()],
    )
    working_times = MultiCheckboxField(_l("Gewünschte Arbeitszeit"), choices=WORKING_TIMES)
    earliest_return = SelectField(_l("Frühestmögliche Rückkehr"), validators=[Optional()])
    interests = MultiCheckboxField(_l("Wofür interessieren Sie sich?"), choices=INTERESTS)
    partner_occupation_group = SelectField(
        _l("Berufsfeld Ihrer Partnerin oder Ihres Partners"), validators=[Optional()]
    )
    partner_skill_level = SelectField(
        _l("Anforderungsniveau Ihrer Partnerin oder Ihres Partners"),
        choices=[("", _l("Bitte wählen (freiwillig)")), *SKILL_LEVELS],
        validators=[Optional()],
    )
    reason = TextAreaField(
        _l("Was zieht Sie zurück? (freiwillig)"),
        description=_l("Höchstens %(max)d Zeichen.", max=REASON_MAX),
        validators=[
            Optional(),
            Length(
                max=REASON_MAX, message=_l("Bitte kürzen Sie den Text auf höchstens %(max)d Zeichen.", max=REASON_MAX)
            ),
            no_control_characters,
        ],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        towns = db.session.execute(_TOWN_CHOICES).all()
        self.hometown.choices = [
            ("", _l("Bitte wählen (freiwillig)")),
            *[(town.slug, town.name) for town in towns],
            (OTHER_TOWN, _l("anderer Ort")),
        ]
        self.wished_towns.choices = [(town.slug, town.name) for town in towns]
        occupations = occupation_choices()
        self.occupation_group.choices = {"": [("", _l("Bitte wählen (freiwillig)"))], **occupations}
        self.partner_occupation_group.choices = {"": [("", _l("Bitte wählen (freiwillig)"))], **occupations}
        self.earliest_return.choices = return_choices(today)

    def validate_phone(self, field: Field) -> None:
        """Any international number; a national one is read as German. What was typed stays in the field."""
        if parse_phone(field.data) is None:
            raise ValidationError(_l("Bitte geben Sie eine gültige Telefonnummer an, z. B. +49 3573 1234567."))

    def validate_hometown_other(self, field: Field) -> None:
        """Name the other hometown when "anderer Ort" is chosen."""
        if self.hometown.data == OTHER_TOWN and not (field.data or "").strip():
            raise ValidationError(_l("Bitte nennen Sie Ihren früheren Heimatort."))

    def profile_data(self) -> ProfileData:
        """The typed values as the operations take them."""
        hometown = self.hometown.data or None
        return ProfileData(
            salutation=self.salutation.data or None,
            first_name=value_of(self.first_name),
            last_name=value_of(self.last_name),
            phone=parse_phone(self.phone.data) if self.phone.data else None,
            postal_code=value_of(self.postal_code),
            city=value_of(self.city),
            country=value_of(self.country),
            hometown_slug=hometown if hometown not in (None, OTHER_TOWN) else None,
            hometown_other=(self.hometown_other.data or "").strip() or None if hometown == OTHER_TOWN else None,
            wished_town_slugs=list(self.wished_towns.data or []),
            occupation_group_code=self.occupation_group.data or None,
            skill_level=int(self.skill_level.data) if self.skill_level.data else None,
            working_times=in_order(self.working_times.data or []),
            earliest_return=self.earliest_return.data or None,
            interests=list(self.interests.data or []),
            partner_occupation_group_code=self.partner_occupation_group.data or None,
            partner_skill_level=int(self.partner_skill_level.data) if self.partner_skill_level.data else None,
            reason=(self.reason.data or "").strip() or None,
        )


class ResendLinkForm(Form):
    """ "Link erneut zusenden"."""

    email = email_field()


class CodeForm(Form):
    """The one-time code from the mail."""

    code = StringField(
        _l("Code aus der E-Mail"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Code aus der E-Mail ein.")),
            Length(min=6, max=6, message=_l("Der Code hat sechs Ziffern.")),
        ],
    )


class ConsentsForm(Form):
    """The optional consents on the self-service page."""

    consent_job_alerts = BooleanField()
    consent_employer_pool = BooleanField()
    consent_news = BooleanField()
