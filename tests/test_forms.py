"""The shared form parts: the select for long lists and wtforms' own messages in the visitor's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import wtforms.widgets
import wtforms.widgets.core
from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import SelectField as WTFormsSelectField
from wtforms.widgets import Select as WTFormsSelect

from rueckkehr.employers.models import Employer
from rueckkehr.forms import WTFORMS_HTML_PARAMS, Form, MultiCheckboxField, SelectField, html_params
from rueckkehr.registrations.forms import RegistrationForm

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
def test_the_select_writes_what_wtforms_writes(
    app: Flask, submitted: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.test_request_context("/", method="POST", data=submitted):
        ours = Countries(formdata=MultiDict(submitted), meta={"csrf": False})
        theirs = WTFormsCountries(formdata=MultiDict(submitted), meta={"csrf": False})
        names = ("country", "field", "home")
        written = [str(ours[name](class_="kern-form-input__select")) for name in names]
        _with_wtforms_own_html_params(monkeypatch)  # wtforms' select, as wtforms writes it, attributes and all
        assert written == [str(theirs[name](class_="kern-form-input__select")) for name in names]
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


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Bitte wählen Sie nur aus den angebotenen Möglichkeiten."),
        ("en", "Please choose only from the options given."),
    ],
)
def test_wtforms_messages_speak_the_visitors_language_request_after_request(
    app: Flask, language: str, message: str
) -> None:
    for _request in range(2):  # the second request reads the catalogue kept from the first
        with app.test_request_context(f"/?lang={language}", method="POST", data={"country": "SE"}):
            form = Countries(formdata=MultiDict({"country": "SE", "field": "", "home": "DE"}), meta={"csrf": False})
            assert not form.validate()
            assert form.country.errors == [message]


def _with_wtforms_own_html_params(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wtforms.widgets.core, "html_params", WTFORMS_HTML_PARAMS)
    monkeypatch.setattr(wtforms.widgets.core.Input, "html_params", staticmethod(WTFORMS_HTML_PARAMS))


ATTRIBUTES = [
    {},
    {"name": "email", "id": "email", "type": "email", "value": "", "required": True, "autocomplete": "email"},
    {"value": 'say "hi" & <b>bye</b>', "class_": "kern-form-input__input", "disabled": False, "for_": "x"},
    {"value": Markup('<i class="kept">'), "data_reveal_target": 'a"b', "aria_describedby": "hint-1 fehler-1"},
    {"maxlength": 100, "min": 0, "step": 1.5, "checked": True, "readonly": False, "placeholder": None},
    {"title": _l("Bitte wählen (freiwillig)"), 'odd"key': "v", "x<y": True},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_html_params_writes_what_wtforms_writes(app: Flask, attributes: dict[str, Any]) -> None:
    with app.test_request_context("/"):
        ours = html_params(**attributes)
        assert isinstance(ours, Markup)
        assert ours == WTFORMS_HTML_PARAMS(**attributes)


def test_wtforms_widgets_write_with_ours(app: Flask) -> None:
    assert wtforms.widgets.core.html_params is html_params
    assert wtforms.widgets.TextInput.html_params is html_params


def test_the_registration_form_renders_as_with_wtforms_own_attributes(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = MultiDict(
        [
            ("first_name", 'Jana "JJ" <Müller> & Co'),
            ("email", "jana@example.org"),
            ("phone", "not a number"),
            ("country", "NO"),
            ("hometown", "senftenberg"),
            ("wished_towns", "senftenberg"),
            ("wished_towns", "grossraeschen"),
            ("working_times", "shifts"),
            ("reason", "</textarea><script>"),
            ("companions", "1"),
        ]
    )
    with app.test_request_context("/", method="POST", data=typed):
        form = RegistrationForm(formdata=typed, today=date(2026, 3, 1), meta={"csrf": False})
        form.validate()
        ours = [str(field(class_="kern-input")) for field in form]
        _with_wtforms_own_html_params(monkeypatch)
        theirs = [str(field(class_="kern-input")) for field in form]
    assert ours == theirs
    assert any("&#34;JJ&#34; &lt;Müller&gt; &amp; Co" in markup for markup in ours)


class Towns(Form):
    towns = MultiCheckboxField("Städte", choices=[("senftenberg", "Senftenberg"), ("schipkau", "Schipkau")])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Bitte wählen Sie nur aus den angebotenen Möglichkeiten."),
        ("en", "Please choose only from the options given."),
    ],
)
def test_a_checkbox_value_that_is_none_of_them_is_refused_in_the_visitors_language(
    app: Flask, language: str, message: str
) -> None:
    typed = MultiDict([("towns", "senftenberg"), ("towns", "nowhere")])
    with app.test_request_context(f"/?lang={language}", method="POST", data=typed):
        form = Towns(formdata=typed, meta={"csrf": False})
        assert not form.validate()
        assert [str(error) for error in form.towns.errors] == [message]
        assert form.towns.data == ["senftenberg", "nowhere"], "what was sent stays, to be shown again"


def test_a_page_with_several_forms_repeats_no_id(
    make_app: Callable[..., Flask], make_employer: Callable[..., Employer], login: Callable
) -> None:
    """Every form carries its CSRF token; the company profile has two forms (details and logo) and the layout two
    more (log-out, language switch): the tokens have no id, so no id appears twice."""
    app = make_app()
    client = app.test_client()
    with app.app_context():
        login(client, make_employer().users[0].email)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production, where every form writes its token
    page = client.get("/employer/profile").get_data(as_text=True)
    assert page.count('name="csrf_token"') == 4
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted(ids) == sorted(set(ids)), [name for name in set(ids) if ids.count(name) > 1]
