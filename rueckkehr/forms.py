"""Form parts shared by every feature: validators, checkbox lists, the e-mail field, KldB and working-time choices."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import wtforms.widgets.core
from flask import current_app
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import EmailField, Field, RadioField, SelectMultipleField, TextAreaField
from wtforms import SelectField as WTFormsSelectField
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget
from wtforms.widgets import Select as WTFormsSelect
from wtforms.widgets.core import clean_key  # type: ignore[attr-defined]  # not in wtforms' stubs

from .addresses import with_ascii_domain
from .extensions import db
from .form_messages import INVALID_CHECKBOX, OwnMessages, wtforms_translations
from .i18n import current_language
from .occupations.models import OccupationArea, OccupationGroup, SkillLevel
from .occupations.working_times import WORKING_TIME_LABELS, WorkingTime

SKILL_LEVELS = [
    (str(SkillLevel.HELPER.value), _l("Helfer/in")),
    (str(SkillLevel.SKILLED.value), _l("Fachkraft")),
    (str(SkillLevel.SPECIALIST.value), _l("Spezialist/in")),
    (str(SkillLevel.EXPERT.value), _l("Experte/Expertin")),
]
WORKING_TIMES = [(time.value, WORKING_TIME_LABELS[time]) for time in WorkingTime]


CONTROL_CHARACTERS = _l("Bitte entfernen Sie die Steuerzeichen aus diesem Feld.")

WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params
_QUOTE, _QUOT = Markup('"'), Markup("&quot;")


def html_params(**kwargs: Any) -> Markup:
    """wtforms' ``html_params`` (the attributes of a field's tag, sorted by name), byte for byte, written with plain
    string formatting: wtforms formats each attribute through ``Markup.format``, whose escaping formatter took a
    fifth of the registration form page's CPU. wtforms' widgets use this one (set below)."""
    params: list[str] = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(escape(clean_key(key)))
        elif value is not False:
            params.append(f'{escape(clean_key(key))}="{escape(value).replace(_QUOTE, _QUOT)}"')
    return Markup(" ".join(params))  # noqa: S704 (every name and value is escaped above, as wtforms escapes them)


wtforms.widgets.core.html_params = html_params  # what the widgets call by name
wtforms.widgets.core.Input.html_params = staticmethod(html_params)  # type: ignore[method-assign]  # inputs' own


class _TokenInput(HiddenInput):
    """The hidden input of a form's CSRF token, without an id: wtforms names it ``csrf_token`` in every form, so
    a page with several forms would repeat the id (invalid HTML; nothing refers to it)."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


CSRFTokenField.widget = _TokenInput()  # type: ignore[misc]  # every form's token, FlaskForm's own included


def _get_translations(self: Any, form: Any) -> OwnMessages:
    """Every form's messages: ours for wtforms' stock ones, in the request's language (``form_messages``)."""
    return wtforms_translations(current_language())


FlaskForm.Meta.get_translations = _get_translations  # every form's, FlaskForm's own subclasses included


class Form(FlaskForm):
    """The base of every form: a NUL byte in any field is an error beside that field, and never reaches a query.

    The value keeps what was typed, without the NUL (PostgreSQL refuses NUL in text, and no field takes one).
    """

    def validate(self, extra_validators: Any = None) -> bool:
        """Refuse NUL bytes first (so no other check queries with one), then validate as usual."""
        refused = [field for field in self if _strip_nul(field)]
        valid = super().validate(extra_validators)
        for field in refused:
            if CONTROL_CHARACTERS not in field.errors:
                field.errors = [*field.errors, CONTROL_CHARACTERS]
        return valid and not refused


def _strip_nul(field: Field) -> bool:
    """Take NUL bytes out of a field's data; return whether there were any."""
    if isinstance(field.data, str) and "\x00" in field.data:
        field.data = field.data.replace("\x00", "")
        return True
    if isinstance(field.data, list) and any(isinstance(item, str) and "\x00" in item for item in field.data):
        field.data = [item.replace("\x00", "") if isinstance(item, str) else item for item in field.data]
        return True
    return False


WTFORMS_INVALID_CHOICE = "Not a valid choice."  # wtforms' own message id, shown as ours (STOCK_MESSAGES)


class Select(WTFormsSelect):
    """wtforms' select widget, with options given as ``(value, label)`` pairs, in a list or in option groups (a dict
    of such lists), written directly: wtforms makes a choice object and an attribute string (``html_params``) for
    each option, which was most of the cost of a form with the 255 countries and twice the 144 occupation fields.
    The markup is the same (``selected`` before ``value``, as ``html_params`` sorts them); options with attributes
    of their own and wtforms' other shorthands go through wtforms."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = field.choices
        groups = choices if isinstance(choices, dict) else None
        lists = list(groups.values()) if groups is not None else [choices]
        if self.multiple or not all(isinstance(group, list) and all(map(_plain, group)) for group in lists):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = True
        parts = [f"<select {html_params(name=field.name, **kwargs)}>"]
        if groups is None:
            _write_options(parts, choices, field.coerce, field.data)
        else:
            for label, group in groups.items():
                parts.append(f"<optgroup {html_params(label=label)}>")
                _write_options(parts, group, field.coerce, field.data)
                parts.append("</optgroup>")
        parts.append("</select>")
        return Markup("".join(parts))  # noqa: S704 (html_params escapes, as in wtforms; values and labels below)


def _write_options(parts: list[str], choices: list[tuple[str, Any]], coerce: Any, data: Any) -> None:
    """Append an ``<option>`` for each ``(value, label)``, the one whose coerced value is ``data`` selected."""
    for value, label in choices:
        start = '<option selected value="' if coerce(value) == data else '<option value="'
        parts.append(f'{start}{escape(value)}">{escape(label or value)}</option>')


def _plain(choice: Any) -> bool:
    return type(choice) is tuple and len(choice) == 2 and type(choice[0]) is str


class SelectField(WTFormsSelectField):
    """A select for long lists (countries, months, occupation fields): the submitted value is checked against the
    set of the choices' values, where wtforms normalises every choice into an object to find one value."""

    widget = Select()

    def pre_validate(self, form: Any) -> None:
        """Refuse a value that is not among the choices, with wtforms' message."""
        if self.process_errors or not self.validate_choice:
            return
        if self.choices is None:
            raise TypeError("Choices cannot be None.")  # a mistake in the form's code, as in wtforms
        values = _choice_values(self.choices, self.coerce)
        if values is None:  # a shorthand of wtforms' (labels by value): as wtforms reads it
            values = {self.coerce(choice.value) for choice in self._choices_from_input(self.choices)}  # type: ignore[attr-defined]
        if self.data not in values:
            message = getattr(self, "invalid_choice_message", None)  # wtforms 3.3; its stubs are older
            raise ValidationError(message or self.gettext(WTFORMS_INVALID_CHOICE))


def _choice_values(choices: Any, coerce: Any) -> set[Any] | None:
    """The coerced values of choices given as a list, or a dict of option groups that are lists, of values,
    ``(value, label[, attributes])`` tuples or ``SelectChoice`` objects; None for wtforms' other shorthands."""
    groups = list(choices.values()) if isinstance(choices, dict) else [choices]
    if not all(isinstance(group, (list, tuple)) for group in groups):
        return None
    values = set()
    for group in groups:
        for choice in group:
            if isinstance(choice, (tuple, list)):
                value = choice[0]
            elif isinstance(choice, str):
                value = choice
            else:  # wtforms' SelectChoice
                value = choice.value
            values.add(value if coerce is str and type(value) is str else coerce(value))
    return values


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one question; a value that is none of them gets a message in the visitor's language
    (wtforms' own for it is missing from its German catalogue)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_choice_message", INVALID_CHECKBOX)
        super().__init__(*args, **kwargs)


def no_control_characters(form: Form, field: Field) -> None:
    """Refuse control characters (line breaks only where a text area allows them)."""
    allowed = "\n\r\t" if isinstance(field, TextAreaField) else ""
    if field.data and any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in field.data):
        raise ValidationError(CONTROL_CHARACTERS)


GERMAN_POSTAL_CODE = _l("Eine deutsche Postleitzahl hat fünf Ziffern.")


def german_postal_code(form: Form, field: Field) -> None:
    """Five digits (0 to 9; surrounding white space goes), or nothing: the one rule for a German postcode."""
    value = (field.data or "").strip()
    if value and re.fullmatch("[0-9]{5}", value) is None:
        raise ValidationError(GERMAN_POSTAL_CODE)
    field.data = value


def postal_code_of_country(form: Form, field: Field) -> None:
    """A German postcode when the form's ``country`` is Germany; any other country's as typed."""
    if form["country"].data == "DE":
        german_postal_code(form, field)


def plain_address(form: Form, field: Field) -> None:
    """An address only: no display name, no line breaks, nothing that could reach a mail header."""
    if field.data and any(ch in field.data for ch in '<>\r\n,;" '):
        raise ValidationError(_l("Bitte geben Sie nur die E-Mail-Adresse ein, z. B. name@beispiel.de."))


def mailable_address(form: Form, field: Field) -> None:
    """An address mail servers take: its domain written in ASCII (IDNA) as browsers send it from an e-mail field,
    and no umlaut or accent before the @, which the relays of most providers refuse."""
    if not field.data or field.data.isascii() or field.errors:
        return
    if not field.data.rpartition("@")[0].isascii():
        raise ValidationError(
            _l("Vor dem @ kann diese Adresse keine Umlaute oder Akzente tragen. Bitte prüfen Sie die Schreibweise.")
        )
    field.data = with_ascii_domain(field.data)


def value_of(field: Field, *, strip: bool = True) -> str:
    """What was typed into a text field, as a string ("" when empty); surrounding white space goes unless
    ``strip`` is false (a password keeps it)."""
    value = str(field.data or "")
    return value.strip() if strip else value


def strip(value: str | None) -> str | None:
    """Drop surrounding white space (pasted addresses often carry some)."""
    return value.strip() if isinstance(value, str) else value


def email_field(
    label: str | None = None, description: str = "", *, required: bool = True, missing: str | None = None
) -> EmailField:
    """An e-mail field with the project's checks (an empty optional one is fine); ``missing`` says what to type when a
    required one is empty (the person's own address unless told)."""
    return EmailField(
        label or _l("E-Mail-Adresse"),
        description=description,
        filters=[strip],
        validators=[
            DataRequired(missing or _l("Bitte geben Sie Ihre E-Mail-Adresse an.")) if required else Optional(),
            Length(max=254, message=_l("Diese E-Mail-Adresse ist zu lang.")),
            plain_address,
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
                check_deliverability=False,
            ),
            mailable_address,
        ],
    )


def rendered(field: Field) -> str:
    """Note that the page shows ``field`` now (nothing to output): the error summary lists the errors in this order."""
    form = getattr(field, "_form", None)
    if form is not None:
        order: list[str] = form.__dict__.setdefault("rendered_fields", [])
        if field.name not in order:
            order.append(field.name)
    return ""


def errors_in_order(form: FlaskForm) -> list[tuple[str, str]]:
    """The first error of each field, with the id to jump to, in the order the page showed the fields (fields it
    did not show, in the form's own order, after them)."""
    shown: list[str] = form.__dict__.get("rendered_fields", [])
    names = [*shown, *(name for name in form._fields if name not in shown)]
    errors = []
    for name in names:
        field = form._fields[name]
        if name == "csrf_token" or not field.errors:
            continue
        options = isinstance(field, (MultiCheckboxField, RadioField)) and field.choices  # the first option's id
        target = f"{field.id}-0" if options else field.id
        errors.append((target, str(field.errors[0])))
    return errors


def field_attributes(field: Field, css_class: str, error_class: str, **extra: object) -> dict[str, object]:
    """The HTML attributes of a form control: its classes, the ids of its hint and error, and aria-invalid."""
    rendered(field)
    described_by = [f"{field.id}-hint"] if field.description else []
    attributes: dict[str, object] = {"class": css_class}
    if field.errors:
        attributes["class"] = f"{css_class} {error_class}"
        attributes["aria-invalid"] = "true"
        described_by.append(f"{field.id}-error")
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    attributes.update({name: value for name, value in extra.items() if value is not None})
    return attributes


_OCCUPATIONS_KEY = "rueckkehr.occupations"
_OCCUPATION_CHOICES_KEY = "rueckkehr.occupation_choices"


def _occupation_rows() -> list[tuple[str, str, str, str]]:
    """The KldB areas and groups (code and German name), read once per app: reference data that the migrations
    write and nothing in the app changes, offered by every list page's filter and every registration form."""
    extensions = current_app.extensions
    rows: list[tuple[str, str, str, str]] | None = extensions.get(_OCCUPATIONS_KEY)
    if rows is None:
        rows = [
            (area_code, area_name, code, name)
            for area_code, area_name, code, name in db.session.execute(
                select(OccupationArea.code, OccupationArea.name, OccupationGroup.code, OccupationGroup.name)
                .join(OccupationGroup, OccupationGroup.area_code == OccupationArea.code)
                .order_by(OccupationArea.code, OccupationGroup.code)
            )
        ]
        if rows:  # an empty table (a database being built) is asked again
            extensions[_OCCUPATIONS_KEY] = rows
    return rows


def occupation_choices() -> dict[str, list[tuple[str, str]]]:
    """KldB Berufshauptgruppen grouped by Berufsbereich (optgroups).

    The names are translated through the catalogue looked up once, not one ``gettext`` per name (a list page
    offers all of them in every filter), once per app and language: every registration form offers them twice.
    The same dict is given to every caller, who must not change it.
    """
    language = str(get_locale())
    cache: dict[str, dict[str, list[tuple[str, str]]]] = current_app.extensions.setdefault(_OCCUPATION_CHOICES_KEY, {})
    choices = cache.get(language)
    if choices is None:
        translate = get_translations().gettext
        choices = {}
        for area_code, area_name, code, name in _occupation_rows():
            choices.setdefault(f"{area_code} {translate(area_name)}", []).append((code, f"{code} {translate(name)}"))
        if choices:  # an empty table (a database being built) is asked again
            cache[language] = choices
    return choices
