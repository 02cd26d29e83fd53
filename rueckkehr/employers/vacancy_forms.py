"""The vacancy form: the job, its place, time and money, and the way to apply."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import (
    SKILL_LEVELS,
    WORKING_TIMES,
    Form,
    MultiCheckboxField,
    german_postal_code,
    no_control_characters,
    occupation_choices,
    value_of,
)
from ..occupations.working_times import in_order
from .forms import OTHER_PLACE, text, town_choices, web_address
from .models import Contract, SalaryPeriod, Vacancy
from .vacancies import VacancyData

VACANCY_TEXT_MAX = 10000
LONGEST_VALIDITY = timedelta(days=183)
CONTRACTS = [(Contract.PERMANENT.value, _l("unbefristet")), (Contract.FIXED_TERM.value, _l("befristet"))]
SALARY_PERIODS = [
    (SalaryPeriod.MONTH.value, _l("pro Monat")),
    (SalaryPeriod.YEAR.value, _l("pro Jahr")),
    (SalaryPeriod.HOUR.value, _l("pro Stunde")),
]


def parse_date(value: str) -> date | None:
    """An ISO date (as the date input sends it) or a German one (27.12.2026); None if it is neither."""
    value = (value or "").strip()
    try:
        if "." in value:
            day, month, year = value.split(".")
            if len(year) != 4:  # "01.03.27" is ambiguous; ask for the full year
                return None
            return date(int(year), int(month), int(day))
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_amount(value: str) -> int | None:
    """A whole euro amount, with or without thousands separators; None if it is none."""
    cleaned = (value or "").strip().replace(".", "").replace(" ", "").removesuffix("€").removesuffix(",00")
    return int(cleaned) if cleaned.isdecimal() and len(cleaned) <= 7 else None


class VacancyForm(Form):
    """A vacancy with its place, time, money and the way to apply."""

    title = text(
        _l("Stellenbezeichnung"),
        _l("Bitte geben Sie die Stellenbezeichnung an."),
        description=_l("Zum Beispiel „Elektriker/in für Gebäudetechnik“."),
    )
    occupation_group = SelectField(
        _l("Berufsfeld (Berufshauptgruppe nach KldB 2010)"),
        validators=[DataRequired(_l("Bitte wählen Sie ein Berufsfeld."))],
    )
    skill_level = SelectField(
        _l("Anforderungsniveau"),
        choices=[("", _l("Bitte wählen")), *SKILL_LEVELS],
        validators=[DataRequired(_l("Bitte wählen Sie ein Anforderungsniveau."))],
    )
    town = SelectField(_l("Arbeitsort"), validators=[DataRequired(_l("Bitte wählen Sie den Arbeitsort."))])
    place_name = StringField(
        _l("Anderer Arbeitsort"),
        description=_l("Nur ausfüllen, wenn Sie oben „anderer Ort“ gewählt haben."),
        validators=[Length(max=120), no_control_characters],
    )
    place_postal_code = StringField(_l("Postleitzahl des anderen Arbeitsorts"), validators=[german_postal_code])
    working_times = MultiCheckboxField(_l("Arbeitszeit"), choices=WORKING_TIMES)
    contract = SelectField(_l("Vertrag"), choices=CONTRACTS, default=Contract.PERMANENT.value)
    starts_on = StringField(
        _l("Beginn (freiwillig)"),
        description=_l("Leer lassen für „ab sofort“."),
        validators=[Optional()],
    )
    salary_min = StringField(_l("Gehalt von (freiwillig, in Euro)"), validators=[Optional()])
    salary_max = StringField(_l("Gehalt bis (freiwillig, in Euro)"), validators=[Optional()])
    salary_period = SelectField(_l("Gehalt gilt"), choices=SALARY_PERIODS, default=SalaryPeriod.MONTH.value)
    description = TextAreaField(
        _l("Beschreibung"),
        description=_l(
            "Aufgaben, Anforderungen, was Sie bieten. Markdown ist möglich: **fett**, *kursiv*, Listen mit „- “."
        ),
        validators=[
            DataRequired(_l("Bitte beschreiben Sie die Stelle.")),
            Length(
                max=VACANCY_TEXT_MAX,
                message=_l("Bitte kürzen Sie den Text auf höchstens %(max)d Zeichen.", max=VACANCY_TEXT_MAX),
            ),
            no_control_characters,
        ],
    )
    apply_url = StringField(
        _l("Bewerbung über Webseite"),
        description=_l("Eine Webadresse oder eine E-Mail-Adresse (unten) ist nötig."),
        validators=[Optional(), Length(max=300), web_address],
    )
    apply_email = StringField(_l("Bewerbung per E-Mail"), validators=[Length(max=254)])
    valid_until = StringField(
        _l("Gültig bis"),
        description=_l("Danach verschwindet die Stelle automatisch von der Stellenbörse."),
        validators=[DataRequired(_l("Bitte geben Sie an, bis wann die Stelle gilt."))],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.occupation_group.choices = {"": [("", _l("Bitte wählen"))], **occupation_choices()}
        self.town.choices = [("", _l("Bitte wählen")), *town_choices(), (OTHER_PLACE, _l("anderer Ort"))]

    def validate_place_name(self, field: Field) -> None:
        """Another place needs a name."""
        if self.town.data == OTHER_PLACE and not (field.data or "").strip():
            raise ValidationError(_l("Bitte nennen Sie den Arbeitsort."))

    def validate_place_postal_code(self, field: Field) -> None:
        """Another place needs its PLZ."""
        if self.town.data == OTHER_PLACE and not (field.data or "").strip():
            raise ValidationError(_l("Bitte geben Sie die Postleitzahl des Arbeitsorts an."))

    def validate_working_times(self, field: Field) -> None:
        """At least one working time."""
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie mindestens eine Arbeitszeit."))

    def validate_starts_on(self, field: Field) -> None:
        """A date, if given."""
        if field.data and parse_date(field.data) is None:
            raise ValidationError(_l("Bitte geben Sie den Beginn als Datum an, z. B. 01.03.2027."))

    def validate_salary_min(self, field: Field) -> None:
        """A whole amount."""
        if field.data and parse_amount(field.data) is None:
            raise ValidationError(_l("Bitte geben Sie einen Betrag in ganzen Euro an, z. B. 3200."))

    def validate_salary_max(self, field: Field) -> None:
        """A whole amount, not below the lower one."""
        if not field.data:
            return
        upper = parse_amount(field.data)
        if upper is None:
            raise ValidationError(_l("Bitte geben Sie einen Betrag in ganzen Euro an, z. B. 3200."))
        lower = parse_amount(self.salary_min.data or "")
        if lower is not None and upper < lower:
            raise ValidationError(_l("Der obere Betrag darf nicht kleiner sein als der untere."))

    def validate_apply_email(self, field: Field) -> None:
        """An address, if given; and at least one way to apply."""
        value = (field.data or "").strip()
        if value:
            try:
                validate_email(value, check_deliverability=False)
            except EmailNotValidError:
                raise ValidationError(
                    _l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.")
                ) from None
        elif not (self.apply_url.data or "").strip():
            raise ValidationError(_l("Bitte geben Sie eine Webadresse oder eine E-Mail-Adresse für Bewerbungen an."))

    def validate_valid_until(self, field: Field) -> None:
        """From today up to six months ahead."""
        value = parse_date(field.data)
        if value is None:
            raise ValidationError(_l("Bitte geben Sie ein Datum an, z. B. 31.03.2027."))
        if value < self.today:
            raise ValidationError(_l("Das Datum liegt in der Vergangenheit."))
        if value > self.today + LONGEST_VALIDITY:
            raise ValidationError(_l("Eine Stelle gilt höchstens sechs Monate; bitte wählen Sie ein früheres Datum."))

    def vacancy_data(self) -> VacancyData:
        """The typed values as the operations take them."""
        other = self.town.data == OTHER_PLACE
        salary_min = parse_amount(self.salary_min.data or "")
        salary_max = parse_amount(self.salary_max.data or "")
        return VacancyData(
            title=value_of(self.title),
            occupation_group_code=value_of(self.occupation_group),
            skill_level=int(self.skill_level.data),
            town_id=None if other else int(self.town.data),
            place_name=(self.place_name.data or "").strip() if other else "",
            place_postal_code=(self.place_postal_code.data or "").strip() if other else "",
            working_times=in_order(self.working_times.data or []),
            contract=Contract(self.contract.data),
            starts_on=parse_date(self.starts_on.data) if self.starts_on.data else None,
            salary_min=salary_min,
            salary_max=salary_max,
            salary_period=SalaryPeriod(self.salary_period.data) if (salary_min or salary_max) else None,
            description=value_of(self.description),
            apply_url=(self.apply_url.data or "").strip(),
            apply_email=(self.apply_email.data or "").strip(),
            valid_until=parse_date(value_of(self.valid_until)) or self.today,
        )

    def fill_from(self, vacancy: Vacancy) -> None:
        """Show an existing vacancy's values."""
        self.title.data = vacancy.title
        self.occupation_group.data = vacancy.occupation_group_code
        self.skill_level.data = str(vacancy.skill_level)
        self.town.data = str(vacancy.town_id) if vacancy.town_id else OTHER_PLACE
        self.place_name.data = vacancy.place_name
        self.place_postal_code.data = vacancy.place_postal_code
        self.working_times.data = [time.value for time in vacancy.working_times]
        self.contract.data = vacancy.contract.value
        self.starts_on.data = vacancy.starts_on.isoformat() if vacancy.starts_on else ""
        self.salary_min.data = str(vacancy.salary_min) if vacancy.salary_min else ""
        self.salary_max.data = str(vacancy.salary_max) if vacancy.salary_max else ""
        self.salary_period.data = vacancy.salary_period.value if vacancy.salary_period else SalaryPeriod.MONTH.value
        self.description.data = vacancy.description
        self.apply_url.data = vacancy.apply_url
        self.apply_email.data = vacancy.apply_email
        self.valid_until.data = vacancy.valid_until.isoformat()
