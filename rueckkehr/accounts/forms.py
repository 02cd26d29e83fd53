"""Log-in, password and shared field checks, with German messages beside each field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..forms import Form, email_field, no_control_characters
from .operations import MAX_PASSWORD_LENGTH, password_problems


def new_password_field() -> PasswordField:
    """A new password: at least 12 characters; any characters, no composition rules."""
    return PasswordField(
        _l("Neues Passwort"),
        description=_l(
            "Mindestens 12 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und schwer zu erraten."
        ),
        validators=[DataRequired(_l("Bitte wählen Sie ein Passwort."))],
    )


class NewPasswordMixin:
    """Checks a ``password`` field against the password rules (and the form's e-mail, if it has one)."""

    def validate_password(self, field: Field) -> None:
        """Length and the block list, nothing else."""
        email_field = getattr(self, "email", None)
        problems = password_problems(field.data or "", email_field.data if email_field is not None else "")
        if problems:
            raise ValidationError(problems[0])


class LoginForm(Form):
    """E-mail address and password."""

    email = email_field()
    password = PasswordField(
        _l("Passwort"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihr Passwort ein.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Dieses Passwort ist zu lang.")),
        ],
    )
    next = HiddenField()


class ForgotPasswordForm(Form):
    """The address to send a reset link to."""

    email = email_field()


class ResetPasswordForm(NewPasswordMixin, Form):
    """A new password."""

    password = new_password_field()


class ActionForm(Form):
    """A form with nothing but its CSRF token: the button behind a link from a mail."""


def name_field(label: str | None = None, missing: str | None = None) -> StringField:
    """A person's name; ``missing`` says what to type when it is empty (the person's own name unless told)."""
    return StringField(
        label or _l("Ihr Name"),
        validators=[
            DataRequired(missing or _l("Bitte geben Sie Ihren Namen an.")),
            Length(max=200, message=_l("Bitte kürzen Sie den Namen auf höchstens 200 Zeichen.")),
            no_control_characters,
        ],
    )
