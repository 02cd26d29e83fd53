"""Every message a 422 of the API gives that no code of ours wrote: marshmallow's stock messages ("Not a valid
integer.", "Longer than maximum length 200.") as clear texts of ours, in the client's language.

The keys are marshmallow's own templates, read from its classes (so a new wording of theirs fails
``tests/api/test_errors.py`` instead of slipping through in English); ``own_messages`` turns a formatted message back
into its template's values and writes ours with them. Texts of our own (an unknown town) pass unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

_RANGE = validate.Range(min=0, max=0)
_LENGTH = validate.Length(min=0, max=0)
_CHOOSE = _l("Bitte wählen Sie einen dieser Werte: %(choices)s.")
_TEXT = _l("Bitte geben Sie einen Text an.")

STOCK_MESSAGES: dict[str, Any] = {
    str(fields.Field.default_error_messages["required"]): _l("Bitte geben Sie diesen Wert an."),
    str(fields.Field.default_error_messages["null"]): _l("Bitte geben Sie diesen Wert an."),
    str(fields.Field.default_error_messages["validator_failed"]): _l("Dieser Wert ist hier nicht möglich."),
    str(Schema._default_error_messages["type"]): _l("Die Anfrage hat nicht die erwartete Form."),
    str(Schema._default_error_messages["unknown"]): _l("Diesen Parameter kennen wir nicht."),
    str(fields.String.default_error_messages["invalid"]): _TEXT,
    str(fields.String.default_error_messages["invalid_utf8"]): _TEXT,
    str(fields.Integer.default_error_messages["invalid"]): _l("Bitte geben Sie eine ganze Zahl an."),
    str(fields.Number.default_error_messages["too_large"]): _l("Diese Zahl ist zu groß."),
    str(fields.Boolean.default_error_messages["invalid"]): _l("Bitte geben Sie „true“ oder „false“ an."),
    _RANGE.message_all: _l("Bitte geben Sie eine Zahl von %(min)s bis %(max)s an."),
    _RANGE.message_min: _l("Bitte geben Sie eine Zahl ab %(min)s an."),
    _RANGE.message_max: _l("Bitte geben Sie eine Zahl bis höchstens %(max)s an."),
    _LENGTH.message_all: _l("Bitte geben Sie %(min)s bis %(max)s Zeichen an."),
    _LENGTH.message_min: _l("Bitte geben Sie mindestens %(min)s Zeichen an."),
    _LENGTH.message_max: _l("Bitte kürzen Sie auf höchstens %(max)s Zeichen."),
    _LENGTH.message_equal: _l("Bitte geben Sie genau %(equal)s Zeichen an."),
    validate.Regexp.default_message: _l("Dieser Wert hat nicht die erwartete Form."),
    validate.OneOf.default_message: _CHOOSE,
}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Any]]:
    """Each template as a pattern that gives back its values: "Longer than maximum length {max}." matches
    "Longer than maximum length 200." with ``max`` = "200"."""
    patterns = []
    for template, text in STOCK_MESSAGES.items():
        pattern = re.sub(r"\\\{([a-z_]+)\\\}", r"(?P<\1>.*?)", re.escape(template))
        patterns.append((re.compile(pattern, re.DOTALL), text))
    return patterns


def own_message(message: str) -> str:
    """Our text for one of marshmallow's messages, in the current language; any other message as it is."""
    for pattern, text in _patterns():
        if match := pattern.fullmatch(message):
            return str(text) % match.groupdict()
    return message


def own_messages(messages: Any) -> Any:
    """marshmallow's nested messages (location → parameter → list) with our texts."""
    if isinstance(messages, dict):
        return {key: own_messages(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [own_messages(message) for message in messages]
    return own_message(messages) if isinstance(messages, str) else messages
