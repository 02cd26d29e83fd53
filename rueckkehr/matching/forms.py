"""Forms of matching: alert preferences, the job-alert subscription on /jobs, the contact request and its answer."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import SKILL_LEVELS, MultiCheckboxField, email_field, no_control_characters, occupation_choices
from ..mail.headers import header_text
from .models import Frequency

FREQUENCIES = [(Frequency.WEEKLY.value, _l("einmal pro Woche")), (Frequency.DAILY.value, _l("täglich"))]
MAX_MESSAGE_LENGTH = 500
# Links and addresses in any spelling: a scheme, "www.", a bare domain, an address, or an encoded word.
LINK_LIKE = re.compile(
    r"(?i)([a-z][a-z0-9+.-]*:\/\/|www\.|\b[\w-]+(\.[\w-]+)*\.(de|com|net|org|eu|info|io|biz|ru|cn|app|link|ly)\b|@|=\?)"
)


class PreferencesForm(FlaskForm):
    """How often job alerts come, and whether the partner's list comes with them."""

    frequency = RadioField(_l("Wie oft?"), choices=FREQUENCIES, default=Frequency.WEEKLY.value)
    partner_list = BooleanField(_l("Auch Stellen für meine Partnerin oder meinen Partner schicken"))


def no_links(form: FlaskForm, field: Field) -> None:
    """Refuse links, addresses and header tricks: the message reaches a returnee by mail."""
    if field.data and (LINK_LIKE.search(field.data) or header_text(field.data, 10_000) != " ".join(field.data.split())):
        raise ValidationError(_l("Bitte schreiben Sie ohne Links, E-Mail-Adressen und Sonderzeichen."))


class SubscribeForm(FlaskForm):
    """A job alert for people who do not come to an event: address, language, field, level, towns, frequency."""

    email = email_field()
    language = RadioField(_l("Sprache der E-Mails"), choices=[("de", "Deutsch"), ("en", "English")], default="de")
    occupation_group = SelectField(_l("Berufsfeld"), validators=[DataRequired(_l("Bitte wählen Sie ein Berufsfeld."))])
    skill_level = SelectField(
        _l("Anforderungsniveau"), choices=[("", _l("alle Niveaus")), *SKILL_LEVELS], validators=[Optional()]
    )
    towns = MultiCheckboxField(_l("Wunschorte"), validators=[Optional()])
    frequency = RadioField(_l("Wie oft?"), choices=FREQUENCIES, default=Frequency.WEEKLY.value)
    consent = BooleanField(
        _l(
            "Ich möchte E-Mails mit Stellenangeboten aus der Region erhalten, die zu meinem Berufsfeld passen. "
            "Abmelden kann ich mich jederzeit über den Link in jeder E-Mail."
        ),
        validators=[DataRequired(_l("Bitte stimmen Sie zu, damit wir Ihnen Stellen schicken dürfen."))],
    )

    def __init__(self, *args: object, towns: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.occupation_group.choices = [("", _l("Bitte wählen"))] + [
            (code, label) for groups in occupation_choices().values() for code, label in groups
        ]
        self.towns.choices = towns


class ContactForm(FlaskForm):
    """An employer's short message with a contact request."""

    message = TextAreaField(
        _l("Ihre Nachricht"),
        description=_l("Höchstens 500 Zeichen, ohne Links und E-Mail-Adressen. Ihren Firmennamen nennen wir."),
        validators=[
            DataRequired(_l("Bitte schreiben Sie eine kurze Nachricht.")),
            Length(max=MAX_MESSAGE_LENGTH, message=_l("Bitte fassen Sie sich kürzer (höchstens 500 Zeichen).")),
            no_control_characters,
            no_links,
        ],
    )


class AnswerForm(FlaskForm):
    """The returnee's answer to a contact request: what to share."""

    answer = StringField()  # the button pressed: "accept" or "decline" (the view refuses any other)
    share_name = BooleanField(_l("meinen Namen"), default=True)
    share_email = BooleanField(_l("meine E-Mail-Adresse"), default=True)
    share_phone = BooleanField(_l("meine Telefonnummer"))

    def validate_share_name(self, field: Field) -> None:
        """Agreeing means sharing something: an answer that shares nothing is neither yes nor no."""
        if self.answer.data == "accept" and not (field.data or self.share_email.data or self.share_phone.data):
            raise ValidationError(_l("Bitte wählen Sie, was das Unternehmen erfahren darf, oder lehnen Sie ab."))
