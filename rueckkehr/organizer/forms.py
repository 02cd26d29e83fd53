"""The workspace's own forms: the second factor, and organizer accounts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..accounts.forms import NewPasswordMixin, name_field, new_password_field
from ..accounts.models import Role
from ..forms import MultiCheckboxField, email_field
from ..places.models import Town


class CodeForm(FlaskForm):
    """The six digits of the app, or a recovery code."""

    code = StringField(
        _l("Code aus Ihrer Authenticator-App oder ein Wiederherstellungscode"),
        validators=[DataRequired(_l("Bitte geben Sie den Code ein.")), Length(max=40)],
    )
    remember = BooleanField(_l("Dieses Gerät 30 Tage lang nicht erneut nach dem Code fragen"))


class EnrolForm(FlaskForm):
    """The first code of the newly set-up app."""

    code = StringField(
        _l("Sechsstelliger Code aus der App"),
        validators=[DataRequired(_l("Bitte geben Sie den Code ein.")), Length(max=12)],
    )


ROLE_CHOICES = [
    (Role.ORGANIZER.value, _l("Organisator/in (für bestimmte Städte)")),
    (Role.ADMIN.value, _l("Admin (alle Städte)")),
]


class TownsMixin:
    """Role and towns of a staff account."""

    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
    towns = MultiCheckboxField(_l("Städte"))

    def set_towns(self, towns: list[Town]) -> None:
        """Offer every town."""
        self.towns.choices = [(str(town.id), town.name) for town in towns]

    def validate_towns(self, field: Any) -> None:
        """An organizer works for at least one town."""
        if self.role.data == Role.ORGANIZER.value and not field.data:
            raise ValidationError(_l("Bitte wählen Sie mindestens eine Stadt."))


class InviteForm(TownsMixin, FlaskForm):
    """A new colleague in the workspace."""

    email = email_field(
        _l("E-Mail-Adresse der Person"), missing=_l("Bitte geben Sie die E-Mail-Adresse der Person an.")
    )
    full_name = name_field(_l("Name der Person"), _l("Bitte geben Sie den Namen der Person an."))


class StaffForm(TownsMixin, FlaskForm):
    """Role and towns of an existing account."""


class JoinForm(NewPasswordMixin, FlaskForm):
    """The invited person chooses a password."""

    full_name = name_field()
    password = new_password_field()
