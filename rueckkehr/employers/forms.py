"""Employer forms: sign-up and profile, logo, vacancy, stand request, colleague invitation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.forms import NameField, NewPasswordMixin, email_field, new_password_field
from ..extensions import db
from ..forms import SKILL_LEVELS, WORKING_TIMES, MultiCheckboxField, no_control_characters, occupation_choices
from ..occupations.models import OccupationArea
from ..places.models import Town
from . import logos
from .models import Contract, SalaryPeriod, SizeBand
from .operations import CompanyData, VacancyData

OTHER_PLACE = "other"
DESCRIPTION_MAX = 3000
VACANCY_TEXT_MAX = 10000
LONGEST_VALIDITY = timedelta(days=183)

SIZE_BANDS = [
    (SizeBand.MICRO.value, _l("1 bis 9 Beschäftigte")),
    (SizeBand.SMALL.value, _l("10 bis 49 Beschäftigte")),
    (SizeBand.MEDIUM.value, _l("50 bis 249 Beschäftigte")),
    (SizeBand.LARGE.value, _l("250 und mehr Beschäftigte")),
]
CONTRACTS = [(Contract.PERMANENT.value, _l("unbefristet")), (Contract.FIXED_TERM.value, _l("befristet"))]
SALARY_PERIODS = [
    (SalaryPeriod.MONTH.value, _l("pro Monat")),
    (SalaryPeriod.YEAR.value, _l("pro Jahr")),
    (SalaryPeriod.HOUR.value, _l("pro Stunde")),
]


def text(label: Any, message: Any, max_length: int = 200, description: Any = None) -> StringField:
    """A required one-line text field."""
    return StringField(
        label,
        description=description,
        validators=[
            DataRequired(message),
            Length(max=max_length, message=_l("Bitte kürzen Sie auf höchstens %(max)d Zeichen.", max=max_length)),
            no_control_characters,
        ],
    )


def town_choices() -> list[tuple[str, str]]:
    """The RWK towns by their usual order."""
    return [(str(town.id), town.name) for town in db.session.scalars(select(Town).order_by(Town.sort_order))]


def area_choices() -> list[tuple[str, str]]:
    """The ten KldB Berufsbereiche."""
    areas = db.session.scalars(select(OccupationArea).order_by(OccupationArea.code))
    return [(area.code, f"{area.code} {area.name}") for area in areas]


def web_address(form: FlaskForm, field: Field) -> None:
    """An http(s) address with a host."""
    if not field.data:
        return
    value = field.data.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname or " " in value:
        raise ValidationError(_l("Bitte geben Sie eine Webadresse an, z. B. https://www.beispiel.de."))
    field.data = value


def german_postal_code(form: FlaskForm, field: Field) -> None:
    """Five digits."""
    value = (field.data or "").strip()
    if value and not (len(value) == 5 and value.isdigit()):
        raise ValidationError(_l("Eine deutsche Postleitzahl hat fünf Ziffern."))
    field.data = value


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
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 7 else None


class CompanyForm(FlaskForm):
    """The company's public profile."""

    name = text(_l("Name des Unternehmens"), _l("Bitte geben Sie den Namen des Unternehmens an."))
    town = SelectField(_l("Stadt"), validators=[DataRequired(_l("Bitte wählen Sie die Stadt."))])
    street = text(_l("Straße und Hausnummer"), _l("Bitte geben Sie Straße und Hausnummer an."))
    postal_code = StringField(
        _l("Postleitzahl"),
        validators=[DataRequired(_l("Bitte geben Sie die Postleitzahl an.")), german_postal_code],
    )
    locality = text(_l("Ort"), _l("Bitte geben Sie den Ort an."), max_length=120)
    sector = SelectField(
        _l("Branche (Berufsbereich nach KldB 2010)"),
        validators=[DataRequired(_l("Bitte wählen Sie einen Berufsbereich."))],
    )
    size_band = SelectField(
        _l("Größe"), choices=SIZE_BANDS, validators=[DataRequired(_l("Bitte wählen Sie die Größe."))]
    )
    website = StringField(
        _l("Webseite (freiwillig)"),
        validators=[Optional(), Length(max=300), web_address, no_control_characters],
    )
    description = TextAreaField(
        _l("Beschreibung (freiwillig)"),
        description=_l("Was macht Ihr Unternehmen aus? Höchstens %(max)d Zeichen.", max=DESCRIPTION_MAX),
        validators=[
            Optional(),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Bitte kürzen Sie den Text auf höchstens %(max)d Zeichen.", max=DESCRIPTION_MAX),
            ),
            no_control_characters,
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town.choices = [("", _l("Bitte wählen")), *town_choices()]
        self.sector.choices = [("", _l("Bitte wählen")), *area_choices()]
        self.size_band.choices = [("", _l("Bitte wählen")), *SIZE_BANDS]

    def fill_from(self, employer: Any) -> None:
        """Show an existing company's values."""
        self.name.data = employer.name
        self.town.data = str(employer.town_id)
        self.street.data = employer.street
        self.postal_code.data = employer.postal_code
        self.locality.data = employer.locality
        self.sector.data = employer.sector_code
        self.size_band.data = employer.size_band.value
        self.website.data = employer.website
        self.description.data = employer.description

    def company_data(self) -> CompanyData:
        """The typed values as the operations take them."""
        return CompanyData(
            name=self.name.data.strip(),
            town_id=int(self.town.data),
            street=self.street.data.strip(),
            postal_code=self.postal_code.data,
            locality=self.locality.data.strip(),
            sector_code=self.sector.data,
            size_band=SizeBand(self.size_band.data),
            website=(self.website.data or "").strip(),
            description=(self.description.data or "").strip(),
        )


class LogoMixin:
    """An optional logo upload, checked and re-encoded by Pillow."""

    logo = FileField(
        _l("Logo (freiwillig)"),
        description=_l("PNG, JPEG oder WebP, höchstens 2 MB."),
    )
    logo_bytes: bytes | None = None

    def validate_logo(self, field: Field) -> None:
        """Read and check the upload; keep its bytes for the operation."""
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            self.logo_bytes = None
            return
        data = upload.read(logos.MAX_LOGO_BYTES + 1)
        if len(data) > logos.MAX_LOGO_BYTES:
            raise ValidationError(_l("Das Logo ist größer als 2 MB. Bitte wählen Sie eine kleinere Datei."))
        try:
            logos.reencode(data)
        except logos.InvalidLogoError:
            raise ValidationError(
                _l("Bitte laden Sie ein Bild im Format PNG, JPEG oder WebP hoch (höchstens 4000 × 4000 Pixel).")
            ) from None
        self.logo_bytes = data


class SignupForm(LogoMixin, NewPasswordMixin, CompanyForm):
    """Sign-up: the company, its contact person and the first login."""

    contact_name = NameField(_l("Ansprechperson"))
    email = email_field(description=_l("An diese Adresse schicken wir einen Link zur Bestätigung."))
    password = new_password_field()
    website_confirm = StringField(_l("Bitte leer lassen"))  # honeypot


class LogoForm(LogoMixin, FlaskForm):
    """A new logo."""

    remove = BooleanField(_l("Logo entfernen"))


class VacancyForm(FlaskForm):
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
            from email_validator import EmailNotValidError, validate_email

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
            title=self.title.data.strip(),
            occupation_group_code=self.occupation_group.data,
            skill_level=int(self.skill_level.data),
            town_id=None if other else int(self.town.data),
            place_name=(self.place_name.data or "").strip() if other else "",
            place_postal_code=(self.place_postal_code.data or "").strip() if other else "",
            working_times=list(self.working_times.data or []),
            contract=Contract(self.contract.data),
            starts_on=parse_date(self.starts_on.data) if self.starts_on.data else None,
            salary_min=salary_min,
            salary_max=salary_max,
            salary_period=SalaryPeriod(self.salary_period.data) if (salary_min or salary_max) else None,
            description=self.description.data.strip(),
            apply_url=(self.apply_url.data or "").strip(),
            apply_email=(self.apply_email.data or "").strip(),
            valid_until=parse_date(self.valid_until.data),
        )

    def fill_from(self, vacancy: Any) -> None:
        """Show an existing vacancy's values."""
        self.title.data = vacancy.title
        self.occupation_group.data = vacancy.occupation_group_code
        self.skill_level.data = str(vacancy.skill_level)
        self.town.data = str(vacancy.town_id) if vacancy.town_id else OTHER_PLACE
        self.place_name.data = vacancy.place_name
        self.place_postal_code.data = vacancy.place_postal_code
        self.working_times.data = [time.value for time in vacancy.working_time_list]
        self.contract.data = vacancy.contract.value
        self.starts_on.data = vacancy.starts_on.isoformat() if vacancy.starts_on else ""
        self.salary_min.data = str(vacancy.salary_min) if vacancy.salary_min else ""
        self.salary_max.data = str(vacancy.salary_max) if vacancy.salary_max else ""
        self.salary_period.data = vacancy.salary_period.value if vacancy.salary_period else SalaryPeriod.MONTH.value
        self.description.data = vacancy.description
        self.apply_url.data = vacancy.apply_url
        self.apply_email.data = vacancy.apply_email
        self.valid_until.data = vacancy.valid_until.isoformat()


class StandForm(FlaskForm):
    """A stand request for an event."""

    event = SelectField(_l("Veranstaltung"), validators=[DataRequired(_l("Bitte wählen Sie eine Veranstaltung."))])
    space_note = TextAreaField(
        _l("Platzbedarf und Hinweise (freiwillig)"),
        description=_l("Zum Beispiel: ein Tisch, zwei Stühle, ein Roll-up (2 × 3 m)."),
        validators=[Optional(), Length(max=1000), no_control_characters],
    )
    needs_power = BooleanField(_l("Wir brauchen einen Stromanschluss."))


class InviteForm(FlaskForm):
    """The address of a colleague."""

    email = email_field(_l("E-Mail-Adresse der Kollegin oder des Kollegen"))


class JoinForm(NewPasswordMixin, FlaskForm):
    """An invited colleague's name and password."""

    full_name = NameField()
    password = new_password_field()
