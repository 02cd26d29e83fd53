"""Employer forms: sign-up and profile, logo, stand request, colleague invitation (vacancies: ``vacancy_forms``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.forms import NewPasswordMixin, email_field, name_field, new_password_field
from ..extensions import db
from ..forms import Form, german_postal_code, no_control_characters, value_of
from ..occupations.models import OccupationArea
from ..places.models import Town
from . import logos
from .models import SizeBand
from .operations import CompanyData

OTHER_PLACE = "other"
DESCRIPTION_MAX = 3000

SIZE_BANDS = [
    (SizeBand.MICRO.value, _l("1 bis 9 Beschäftigte")),
    (SizeBand.SMALL.value, _l("10 bis 49 Beschäftigte")),
    (SizeBand.MEDIUM.value, _l("50 bis 249 Beschäftigte")),
    (SizeBand.LARGE.value, _l("250 und mehr Beschäftigte")),
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
    return [(area.code, f"{area.code} {area.label}") for area in areas]


def web_address(form: Form, field: Field) -> None:
    """An http(s) address with a host name; what ``urlsplit`` cannot read (``[``, a bad port) is a form error too."""
    if not field.data:
        return
    value = field.data.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        scheme, host, _port = parts.scheme, parts.hostname, parts.port
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or "." not in host or any(c.isspace() for c in value):
        raise ValidationError(_l("Bitte geben Sie eine Webadresse an, z. B. https://www.beispiel.de."))
    field.data = value


class CompanyForm(Form):
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
        """Show an existing company's values, with edits still waiting for the organizers' second look."""
        self.name.data = employer.as_edited("name")
        self.town.data = str(employer.town_id)
        self.street.data = employer.street
        self.postal_code.data = employer.postal_code
        self.locality.data = employer.locality
        self.sector.data = employer.sector_code
        self.size_band.data = employer.size_band.value
        self.website.data = employer.as_edited("website")
        self.description.data = employer.as_edited("description")

    def company_data(self) -> CompanyData:
        """The typed values as the operations take them."""
        return CompanyData(
            name=value_of(self.name),
            town_id=int(self.town.data),
            street=value_of(self.street),
            postal_code=value_of(self.postal_code),
            locality=value_of(self.locality),
            sector_code=value_of(self.sector),
            size_band=SizeBand(self.size_band.data),
            website=(self.website.data or "").strip(),
            description=(self.description.data or "").strip(),
        )


class LogoMixin:
    """An optional logo upload, checked and re-encoded by Pillow; kept for the next try when another field fails."""

    logo = FileField(
        _l("Logo (freiwillig)"),
        description=_l("PNG, JPEG oder WebP, höchstens 2 MB."),
    )
    logo_kept = HiddenField()
    logo_bytes: bytes | None = None
    logo_name: str = ""

    def validate_logo(self, field: Field) -> None:
        """Read and check the upload (or take the one kept from the last try); keep its bytes for the operation."""
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            kept = logos.pending_logo(self.logo_kept.data) if self.logo_kept.data else None
            self.logo_bytes, self.logo_name = kept if kept is not None else (None, "")
            if kept is None:
                self.logo_kept.data = ""
            return
        self.logo_kept.data = ""
        self.logo_name = upload.filename
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

    def keep_logo_for_next_try(self) -> None:
        """The form failed for another field: keep the checked logo, so that the next try need not choose it again
        (a browser never fills a file field by itself)."""
        if self.logo_bytes is not None and not self.logo_kept.data and not self.logo.errors:
            self.logo_kept.data = logos.keep_pending(self.logo_bytes, self.logo_name)


class SignupForm(LogoMixin, NewPasswordMixin, CompanyForm):
    """Sign-up: the company, its contact person and the first login."""

    contact_name = name_field(_l("Ansprechperson"))
    email = email_field(description=_l("An diese Adresse schicken wir einen Link zur Bestätigung."))
    password = new_password_field()
    website_confirm = StringField(_l("Bitte leer lassen"))  # honeypot


class LogoForm(LogoMixin, Form):
    """A new logo."""

    remove = BooleanField(_l("Logo entfernen"))


class StandForm(Form):
    """A stand request for an event."""

    event = SelectField(_l("Veranstaltung"), validators=[DataRequired(_l("Bitte wählen Sie eine Veranstaltung."))])
    space_note = TextAreaField(
        _l("Platzbedarf und Hinweise (freiwillig)"),
        description=_l("Zum Beispiel: ein Tisch, zwei Stühle, ein Roll-up (2 × 3 m)."),
        validators=[Optional(), Length(max=1000), no_control_characters],
    )
    needs_power = BooleanField(_l("Wir brauchen einen Stromanschluss."))


class InviteForm(Form):
    """The address of a colleague."""

    email = email_field(
        _l("E-Mail-Adresse der Kollegin oder des Kollegen"),
        missing=_l("Bitte geben Sie die E-Mail-Adresse der Kollegin oder des Kollegen an."),
    )


class JoinForm(NewPasswordMixin, Form):
    """An invited colleague's name and password."""

    full_name = name_field()
    password = new_password_field()
