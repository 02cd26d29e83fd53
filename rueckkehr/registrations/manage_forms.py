"""The organizers' registration forms: a walk-in at the door, and a mail to the attendees."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import email_field, no_control_characters, postal_code_of_country, value_of
from ..returnees.forms import country_choices
from ..returnees.models import ConsentMethod
from .desk import WalkIn
from .mailings import MailingContent


def _line(label: Any, max_length: int, required: bool = True, *more: Any) -> StringField:
    checks: list[Any] = [DataRequired(_l("Bitte füllen Sie dieses Feld aus."))] if required else [Optional()]
    return StringField(label, validators=[*checks, Length(max=max_length), no_control_characters, *more])


class WalkInForm(FlaskForm):
    """Someone at the door: a name, where they live, an address if they like, and how they consented."""

    first_name = _line(_l("Vorname"), 100)
    last_name = _line(_l("Nachname"), 100)
    email = email_field(
        _l("E-Mail-Adresse (freiwillig)"),
        _l("Mit Adresse erhält die Person ihre Bestätigung und ihren persönlichen Link."),
        required=False,
    )
    postal_code = _line(_l("Postleitzahl"), 12, True, postal_code_of_country)  # as the registration form asks
    city = _line(_l("Wohnort"), 100)
    country = SelectField(_l("Land"), default="DE")
    companions = IntegerField(
        _l("Begleitpersonen"),
        default=0,
        validators=[InputRequired(_l("Bitte geben Sie eine Zahl an.")), NumberRange(min=0, max=10)],
    )
    consent_method = RadioField(
        _l("Wie wurde eingewilligt?"),
        choices=[
            (ConsentMethod.PAPER.value, _l("schriftlich auf dem Formular am Einlass")),
            (ConsentMethod.ORAL.value, _l("mündlich am Einlass, nach Vorlesen des Einwilligungstextes")),
        ],
        validators=[DataRequired(_l("Bitte geben Sie an, wie eingewilligt wurde."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def walk_in(self) -> WalkIn:
        """The typed walk-in."""
        return WalkIn(
            first_name=value_of(self.first_name),
            last_name=value_of(self.last_name),
            email=value_of(self.email) or None,
            postal_code=value_of(self.postal_code),
            city=value_of(self.city),
            country=value_of(self.country),
            companions=int(self.companions.data or 0),
            consent_method=ConsentMethod(self.consent_method.data),
        )


AUDIENCE_CHOICES = [
    ("all", _l("alle mit bestätigter Adresse (Plätze und Warteliste)")),
    ("confirmed", _l("nur bestätigte Plätze")),
    ("waiting", _l("nur die Warteliste")),
]

NOBODY_REACHED = _l(
    "Diese Auswahl erreicht niemanden: Dazu gibt es keine Anmeldung mit bestätigter Adresse. "
    "Bitte wählen Sie andere Empfänger."
)


class MailingForm(FlaskForm):
    """A message to the attendees: German, and English for those who chose English (optional). ``sizes`` are how
    many each audience reaches (``mailings.audience_size``); one that reaches nobody is refused beside the field."""

    audience = SelectField(_l("An wen?"), choices=AUDIENCE_CHOICES)
    subject_de = _line(_l("Betreff (Deutsch)"), 200)
    body_de = TextAreaField(
        _l("Text (Deutsch)"),
        description=_l("Eine Leerzeile beginnt einen neuen Absatz. Anrede, Gruß und der persönliche Link kommen dazu."),
        validators=[DataRequired(_l("Bitte schreiben Sie einen Text.")), Length(max=10_000), no_control_characters],
    )
    subject_en = _line(_l("Betreff (Englisch, freiwillig)"), 200, required=False)
    body_en = TextAreaField(
        _l("Text (Englisch, freiwillig)"),
        description=_l("Wer Englisch gewählt hat, erhält diesen Text; ohne ihn erhalten alle den deutschen."),
        validators=[Optional(), Length(max=10_000), no_control_characters],
    )
    preview_token = HiddenField()  # issued by the preview; a send without the preview of this content shows it
    send_again = BooleanField(_l("Ja, alle sollen diese E-Mail noch einmal erhalten"))

    def __init__(self, *args: Any, sizes: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sizes = sizes or {}

    def validate_audience(self, field: Field) -> None:
        """An audience that reaches nobody: the preview, the test mail and the send are refused."""
        if self.sizes.get(field.data) == 0:
            raise ValidationError(NOBODY_REACHED)

    def validate(self, extra_validators: Any = None) -> bool:
        """As usual, and the English version comes whole: a subject without a text (or a text without a subject) is
        an error beside the part that is missing, not silently left out."""
        valid = super().validate(extra_validators)
        subject, body = value_of(self.subject_en), value_of(self.body_en)
        if subject and not body:
            self.body_en.errors = [*self.body_en.errors, _l("Bitte geben Sie auch einen englischen Text ein.")]
        if body and not subject:
            self.subject_en.errors = [*self.subject_en.errors, _l("Bitte geben Sie auch einen englischen Betreff ein.")]
        return valid and bool(subject) == bool(body)

    def content(self) -> MailingContent:
        """What the mail says and to whom, as typed."""
        return MailingContent(
            audience=str(self.audience.data),
            subject_de=value_of(self.subject_de),
            body_de=value_of(self.body_de),
            subject_en=value_of(self.subject_en),
            body_en=value_of(self.body_en),
        )
