"""Every message a form shows that its code names no text for: wtforms' stock messages ("Not a valid integer
value.", "Field cannot be longer than 20000 characters.") as clear texts of ours, in the reader's language.

``rueckkehr.forms`` makes these the translations of every form (Flask-WTF's own subclasses of ``FlaskForm``
included): a field or validator without a message of its own says one of these, never wtforms' stock text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask_babel import lazy_gettext as _l
from wtforms.i18n import messages_path

INVALID_CHECKBOX = _l("Bitte wählen Sie nur aus den angebotenen Möglichkeiten.")

_NUMBER_RANGE = _l("Bitte geben Sie eine Zahl von %(min)s bis %(max)s ein.")
_SHORTEN = _l("Bitte kürzen Sie auf höchstens %(max)d Zeichen.")
_CHARACTERS = _l("Bitte geben Sie %(min)d bis %(max)d Zeichen ein.")
_EXACTLY = _l("Bitte geben Sie genau %(max)d Zeichen ein.")
_AT_LEAST = _l("Bitte geben Sie mindestens %(min)d Zeichen ein.")
_NUMBER = _l("Bitte geben Sie eine Zahl ein.")
_FIXED = _l("Dieses Feld lässt sich nicht ändern.")
_EXPIRED = _l("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.")
# wtforms' own messages (its message ids, both forms of a plural), each as a clear text of ours in the reader's
# language: a field or validator given no message of its own shows one of these, never wtforms' stock text.
STOCK_MESSAGES: dict[str, Any] = {
    "Field must be equal to %(other_name)s.": _l("Bitte geben Sie dasselbe ein wie unter „%(other_label)s“."),
    "Field must be at least %(min)d character long.": _AT_LEAST,
    "Field must be at least %(min)d characters long.": _AT_LEAST,
    "Field cannot be longer than %(max)d character.": _SHORTEN,
    "Field cannot be longer than %(max)d characters.": _SHORTEN,
    "Field must be exactly %(max)d character long.": _EXACTLY,
    "Field must be exactly %(max)d characters long.": _EXACTLY,
    "Field must be between %(min)d and %(max)d characters long.": _CHARACTERS,
    "Number must be at least %(min)s.": _l("Bitte geben Sie eine Zahl ab %(min)s ein."),
    "Number must be at most %(max)s.": _l("Bitte geben Sie eine Zahl bis höchstens %(max)s ein."),
    "Number must be between %(min)s and %(max)s.": _NUMBER_RANGE,
    "Date must be at least %(min)s.": _l("Bitte geben Sie ein Datum ab dem %(min)s an."),
    "Date must be at most %(max)s.": _l("Bitte geben Sie ein Datum bis zum %(max)s an."),
    "Date must be between %(min)s and %(max)s.": _l("Bitte geben Sie ein Datum vom %(min)s bis zum %(max)s an."),
    "This field is required.": _l("Bitte füllen Sie dieses Feld aus."),
    "Invalid input.": _l("Bitte prüfen Sie Ihre Eingabe in diesem Feld."),
    "Invalid email address.": _l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
    "Invalid IP address.": _l("Bitte geben Sie eine gültige IP-Adresse an."),
    "Invalid Mac address.": _l("Bitte geben Sie eine gültige MAC-Adresse an."),
    "Invalid URL.": _l("Bitte geben Sie eine vollständige Internetadresse an, z. B. https://www.beispiel.de."),
    "Invalid UUID.": _l("Bitte geben Sie eine gültige Kennung an."),
    "Invalid value, must be one of: %(values)s.": INVALID_CHECKBOX,
    "Invalid value, can't be any of: %(values)s.": _l("Dieser Wert ist hier nicht möglich."),
    "This field cannot be edited.": _FIXED,
    "This field is disabled and cannot have a value.": _FIXED,
    "Invalid CSRF Token.": _EXPIRED,
    "CSRF token missing.": _EXPIRED,
    "CSRF failed.": _EXPIRED,
    "CSRF token expired.": _EXPIRED,
    "Invalid Choice: could not coerce.": INVALID_CHECKBOX,
    "Not a valid choice.": INVALID_CHECKBOX,
    "Invalid choice(s): one or more data inputs could not be coerced.": INVALID_CHECKBOX,
    "'%(value)s' is not a valid choice for this field.": INVALID_CHECKBOX,
    "'%(value)s' are not valid choices for this field.": INVALID_CHECKBOX,
    "Not a valid datetime value.": _l("Bitte geben Sie ein gültiges Datum mit Uhrzeit an."),
    "Not a valid date value.": _l("Bitte geben Sie ein gültiges Datum an."),
    "Not a valid time value.": _l("Bitte geben Sie eine gültige Uhrzeit an."),
    "Not a valid week value.": _l("Bitte geben Sie eine gültige Kalenderwoche an."),
    "Not a valid integer value.": _l("Bitte geben Sie eine ganze Zahl ein."),
    "Not a valid decimal value.": _NUMBER,
    "Not a valid float value.": _NUMBER,
}


class OwnMessages:
    """What wtforms translates through: our text for each of its stock messages, its catalogue for anything else
    (a label it makes from a field's name)."""

    def __init__(self, catalogue: NullTranslations) -> None:
        self.catalogue = catalogue

    def gettext(self, string: str) -> str:
        own = STOCK_MESSAGES.get(string)
        return str(own) if own is not None else self.catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = STOCK_MESSAGES.get(singular)
        return str(own) if own is not None else self.catalogue.ungettext(singular, plural, n)


@lru_cache(maxsize=8)
def wtforms_translations(language: str) -> OwnMessages:
    """What wtforms translates through in ``language``; its catalogue read once per language and process
    (Flask-WTF reads and parses it again in every request that shows one)."""
    return OwnMessages(Translations.load(messages_path(), [language], domain="wtforms"))
