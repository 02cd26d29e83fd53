"""The programme form: one item, typed as times of the event's day, within the event's hours."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError

from ..dates import BERLIN
from ..forms import value_of
from ..i18n import format_clock
from .forms import berlin_moment, clock_field, parse_clock, text_field


class ProgrammeItemForm(FlaskForm):
    """One item of the programme, on the event's day and within its hours."""

    starts = clock_field(_l("Beginn"))
    ends = clock_field(_l("Ende (freiwillig)"), required=False)
    title = text_field(_l("Programmpunkt"), 200)

    event_hours: tuple[datetime, datetime] | None = None  # the event's start and end, which the item lies within

    def hours(self) -> tuple[datetime, datetime]:
        """The event's start and end (ValueError before the view told them)."""
        if self.event_hours is None:
            raise ValueError("the event's hours are not known")
        return self.event_hours

    def moment(self, field: Field) -> datetime:
        """The typed time of a field on the event's day (ValueError while it cannot be read)."""
        return berlin_moment(self.hours()[0].astimezone(BERLIN).date(), parse_clock(value_of(field)))

    def item_hours(self) -> tuple[datetime, datetime | None]:
        """The typed start and end (if any) of the item (ValueError while one cannot be read)."""
        return self.moment(self.starts), self.moment(self.ends) if value_of(self.ends) else None

    def validate_starts(self, field: Field) -> None:
        """The item begins within the event's hours."""
        try:
            starts_at, (event_starts_at, event_ends_at) = self.moment(field), self.hours()
        except ValueError:
            return  # a time that cannot be read has its own message
        if not event_starts_at <= starts_at < event_ends_at:
            raise ValidationError(
                _(
                    "Die Veranstaltung geht von %(start)s bis %(end)s Uhr. "
                    "Bitte wählen Sie einen Beginn in dieser Zeit.",
                    start=format_clock(event_starts_at),
                    end=format_clock(event_ends_at),
                )
            )

    def validate_ends(self, field: Field) -> None:
        """The item ends after it begins, and no later than the event."""
        try:
            (starts_at, ends_at), event_ends_at = self.item_hours(), self.hours()[1]
        except ValueError:
            return  # a time that cannot be read has its own message
        if ends_at is None:
            return
        if ends_at <= starts_at:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))
        if ends_at > event_ends_at:
            raise ValidationError(
                _(
                    "Die Veranstaltung endet um %(end)s Uhr. Bitte wählen Sie ein Ende bis dahin.",
                    end=format_clock(event_ends_at),
                )
            )
