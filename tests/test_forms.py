"""The shared form parts: the select for long lists and wtforms' own messages in the visitor's language."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import SelectField as WTFormsSelectField
from wtforms.widgets import Select as WTFormsSelect

from rueckkehr.forms import Form, SelectField

CHOICES = [("", "Bitte wählen"), ("DE", "Deutschland"), ("NO", "Norwegen"), ("X&Y", 'A <b>"quoted"</b> & more')]
GROUPED = {  # as the occupation fields give them (wtforms warns that dicts will go in 3.4)
    "": [("", "Bitte wählen")],
    "Bau": [("31", "Bauplanung"), ("32", "Hochbau")],
    "Pflege": [("81", "Pflege")],
    'Gastro & "Küche" <i>': [("63", "Service <& Küche>")],
}


LABELS_BY_VALUE = {"DE": "Deutschland", "NO": "Norwegen"}  # wtforms' shorthand: a dict of labels


class Countries(Form):
    country = SelectField("Land", choices=CHOICES)
    field = SelectField("Berufsfeld", choices=GROUPED)
    home = SelectField("Heimat", choices=LABELS_BY_VALUE, validate_choice=True)


class WTFormsCountries(Form):
    country = WTFormsSelectField("Land", choices=CHOICES, widget=WTFormsSelect())
    field = WTFormsSelectField("Berufsfeld", choices=GROUPED, widget=WTFormsSelect())
    home = WTFormsSelectField("Heimat", choices=LABELS_BY_VALUE, widget=WTFormsSelect())


@pytest.mark.parametrize(
    "submitted", [{}, {"country": "NO", "field": "32", "home": "NO"}, {"country": "X&Y", "field": "", "home": "DE"}]
)
def test_the_select_writes_what_wtforms_writes(app: Flask, submitted: dict[str, str]) -> None:
    with app.test_request_context("/", method="POST", data=submitted):
        ours = Countries(formdata=MultiDict(submitted), meta={"csrf": False})
        theirs = WTFormsCountries(formdata=MultiDict(submitted), meta={"csrf": False})
        for name in ("country", "field", "home"):
            assert str(ours[name](class_="kern-form-input__select")) == str(
                theirs[name](class_="kern-form-input__select")
            )
        assert "A &lt;b&gt;&#34;quoted&#34;&lt;/b&gt; &amp; more" in str(ours.country())
        if submitted:
            assert f'<option selected value="{submitted["field"]}">' in str(ours.field())


@pytest.mark.parametrize(
    ("submitted", "valid"),
    [
        ({"country": "NO", "field": "81", "home": "DE"}, True),
        ({"country": "X&Y", "field": "", "home": "NO"}, True),
        ({"country": "SE", "field": "81", "home": "DE"}, False),  # not among the choices
        ({"country": "NO", "field": "Pflege", "home": "DE"}, False),  # a group's name is no choice
        ({"country": "no", "field": "81", "home": "DE"}, False),
        ({"country": "NO", "field": "81", "home": "D"}, False),  # a letter of a label is no choice either
    ],
)
def test_the_select_accepts_only_its_choices(app: Flask, submitted: dict[str, str], valid: bool) -> None:
    with app.test_request_context("/", method="POST", data=submitted):
        ours = Countries(formdata=MultiDict(submitted), meta={"csrf": False})
        theirs = WTFormsCountries(formdata=MultiDict(submitted), meta={"csrf": False})
        assert ours.validate() is valid
        assert theirs.validate() is valid
        assert ours.errors == theirs.errors


@pytest.mark.parametrize(("language", "message"), [("de", "Keine gültige Auswahl."), ("en", "Not a valid choice.")])
def test_wtforms_messages_speak_the_visitors_language_request_after_request(
    app: Flask, language: str, message: str
) -> None:
    for _request in range(2):  # the second request reads the catalogue kept from the first
        with app.test_request_context(f"/?lang={language}", method="POST", data={"country": "SE"}):
            form = Countries(formdata=MultiDict({"country": "SE", "field": "", "home": "DE"}), meta={"csrf": False})
            assert not form.validate()
            assert form.country.errors == [message]
