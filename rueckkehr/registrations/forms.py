"""The registration form: the profile questions, the e-mail address, companions and the consents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import email_field
from ..returnees.forms import ProfileForm
from ..returnees.models import ConsentPurpose

MAX_COMPANIONS = 5


def companions_field() -> SelectField:
    """How many companions come along (each needs a seat of their own)."""
    return SelectField(
        _l("Begleitpersonen"),
        description=_l("Jede Begleitperson braucht einen eigenen Platz."),
        choices=[(str(n), str(n)) for n in range(MAX_COMPANIONS + 1)],
        default="0",
        validators=[InputRequired()],
    )


class RegistrationForm(ProfileForm):
    """The one registration form: profile, e-mail, companions and the consents."""

    email = email_field(description=_l("An diese Adresse schicken wir den Bestätigungslink."))
    companions = companions_field()
    consent_participation = BooleanField(
        validators=[DataRequired(_l("Ohne diese Einwilligung können wir Ihre Anmeldung nicht annehmen."))]
    )
    consent_job_alerts = BooleanField()
    consent_employer_pool = BooleanField()
    consent_news = BooleanField()
    website = StringField(_l("Bitte leer lassen"), validators=[Optional()])  # honeypot: people never see it

    def optional_consents(self) -> list[ConsentPurpose]:
        """The optional consents whose boxes are ticked."""
        ticked = (
            (ConsentPurpose.JOB_ALERTS, self.consent_job_alerts.data),
            (ConsentPurpose.EMPLOYER_POOL, self.consent_employer_pool.data),
            (ConsentPurpose.NEWS, self.consent_news.data),
        )
        return [purpose for purpose, on in ticked if on]


class CompanionsForm(FlaskForm):
    """How many companions come along, changed from the self-service page."""

    companions = companions_field()
