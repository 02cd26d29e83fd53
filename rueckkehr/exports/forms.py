"""The export form: columns, purpose, file format, and a name to save the choice under for the team."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import Form, MultiCheckboxField, no_control_characters
from .columns import COLUMNS, EMPLOYER_COLUMNS, not_covered

PURPOSES = [
    ("event", _l("Durchführung der Veranstaltung (alle mit Einwilligung zur Teilnahme)")),
    ("employers", _l("Weitergabe an Arbeitgeber (nur, wer der Weitergabe an Arbeitgeber zugestimmt hat)")),
]
FORMATS = [
    ("csv", _l("CSV für Excel")),
    ("xlsx", _l("Excel-Arbeitsmappe (XLSX)")),
    ("print", _l("Liste zum Ausdrucken (Einlass, zum Abhaken; nur bestätigte Anmeldungen)")),
]


class ExportForm(Form):
    """What to export and how; ``preset_name`` is needed only to save the choice."""

    columns = MultiCheckboxField(_l("Spalten"))
    purpose = RadioField(
        _l("Wofür ist die Liste?"),
        choices=PURPOSES,
        default="event",
        description=_l(
            "Eine Liste für Arbeitgeber enthält, wie die Einwilligung es sagt, nur das Profil ohne Namen und "
            "Kontaktdaten: Berufsfeld, Anforderungsniveau, Gewünschte Städte und Frühestmögliche Rückkehr."
        ),
    )
    file_format = RadioField(_l("Format"), choices=FORMATS, default="csv")
    preset_name = StringField(
        _l("Name der Vorlage"),
        description=_l("Zum Beispiel „Einlass“ oder „Liste für Arbeitgeber“; alle in Ihrer Stadt sehen sie."),
        validators=[Optional(), Length(max=80), no_control_characters],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns.choices = [(key, str(column.label)) for key, column in COLUMNS.items()]

    def validate_columns(self, field: Field) -> None:
        """At least one column, and for employers only those their consent names."""
        if not field.data:
            raise ValidationError(_l("Bitte wählen Sie mindestens eine Spalte."))
        refused = not_covered(list(field.data), self.purpose.data or "")
        if refused:
            raise ValidationError(
                _(
                    "Die Einwilligung zur Weitergabe an Arbeitgeber deckt nur das Profil ohne Namen und Kontaktdaten: "
                    "%(covered)s. Bitte wählen Sie diese Spalten ab: %(refused)s.",
                    covered=", ".join(str(COLUMNS[key].label) for key in EMPLOYER_COLUMNS),
                    refused=", ".join(str(column.label) for column in refused),
                )
            )

    def validate_file_format(self, field: Field) -> None:
        """The door list names everyone: it is not made for employers."""
        if field.data == "print" and self.purpose.data == "employers":
            raise ValidationError(
                _l(
                    "Die Liste zum Ausdrucken nennt jeden mit Namen und ist für den Einlass; für die Weitergabe an "
                    "Arbeitgeber wählen Sie bitte CSV oder XLSX."
                )
            )

    def validate_for_saving(self) -> bool:
        """Saving a preset needs a name as well."""
        valid = self.validate()
        if not (self.preset_name.data or "").strip():
            self.preset_name.errors = [*self.preset_name.errors, _l("Bitte geben Sie der Vorlage einen Namen.")]
            return False
        return valid
