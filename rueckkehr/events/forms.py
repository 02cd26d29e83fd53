"""The organizers' event forms: details, time and place, programme items, series and venues.

Dates and times are typed as a German reader writes them ("27.12.2026", "10:00") and read as Berlin time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..dates import BERLIN, berlin_today
from ..forms import german_postal_code, no_control_characters, value_of
from ..i18n import format_clock
from ..places.models import Venue
from .editing import EventDetails, VenueData
from .models import Event, EventSeries, ProgrammeItem, WindowFault, fits_hours, window_faults


def parse_day(text: str) -> date:
    """ "27.12.2026" (or "2026-12-27") as a date; ValueError otherwise."""
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 2000 <= parsed.year <= 2100:
            return parsed
    raise ValueError(text)


def parse_clock(text: str) -> time:
    """ "10:00" (or "10.00", "10") as a time of day; ValueError otherwise."""
    text = text.strip().replace(".", ":")
    if text.isdecimal() and len(text) <= 2:
        text += ":00"
    return datetime.strptime(text, "%H:%M").time()


def berlin_moment(day: date, clock: time) -> datetime:
    """A Berlin wall-clock time as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=BERLIN).astimezone(UTC)


def valid_day(form: FlaskForm, field: Field) -> None:
    """A date the reader can type."""
    if field.data and field.data.strip():
        try:
            parse_day(field.data)
        except ValueError:
            raise ValidationError(_l("Bitte geben Sie ein Datum wie 27.12.2026 an.")) from None


def valid_clock(form: FlaskForm, field: Field) -> None:
    """A time of day the reader can type."""
    if field.data and field.data.strip():
        try:
            parse_clock(field.data)
        except ValueError:
            raise ValidationError(_l("Bitte geben Sie eine Uhrzeit wie 10:00 an.")) from None


def day_field(label: Any, required: bool = True) -> StringField:
    """A date as text, with its format as the hint."""
    checks: list[Any] = [DataRequired(_l("Bitte geben Sie ein Datum an."))] if required else [Optional()]
    return StringField(label, description=_l("Zum Beispiel 27.12.2026"), validators=[*checks, valid_day])


def clock_field(label: Any, required: bool = True) -> StringField:
    """A time of day as text."""
    checks: list[Any] = [DataRequired(_l("Bitte geben Sie eine Uhrzeit an."))] if required else [Optional()]
    return StringField(label, description=_l("Zum Beispiel 10:00"), validators=[*checks, valid_clock])


def text_field(label: Any, max_length: int, required: bool = True, *more: Any) -> StringField:
    """A line of text (``more``: checks of its own, after the common ones)."""
    checks: list[Any] = [DataRequired(_l("Bitte füllen Sie dieses Feld aus."))] if required else [Optional()]
    return StringField(
        label,
        validators=[
            *checks,
            Length(max=max_length, message=_l("Bitte kürzen Sie auf höchstens %(max)d Zeichen.", max=max_length)),
            no_control_characters,
            *more,
        ],
    )


WINDOW_MESSAGES = {
    WindowFault.OPENS_AFTER_START: ("opens_day", _l("Die Anmeldung muss vor dem Beginn der Veranstaltung öffnen.")),
    WindowFault.CLOSES_AFTER_START: (
        "closes_day",
        _l("Der Anmeldeschluss darf nicht nach dem Beginn der Veranstaltung liegen."),
    ),
    WindowFault.CLOSES_BEFORE_OPENS: (
        "closes_day",
        _l("Der Anmeldeschluss muss nach dem Beginn der Anmeldung liegen."),
    ),
}


class DetailsForm(FlaskForm):
    """What can change without telling anyone."""

    title = text_field(_l("Titel"), 200)
    summary = text_field(_l("Kurzbeschreibung (freiwillig)"), 400, required=False)
    description = TextAreaField(_l("Beschreibung (freiwillig)"), validators=[Length(max=10_000), no_control_characters])
    series = SelectField(_l("Reihe"), validators=[Optional()])
    capacity = IntegerField(
        _l("Plätze"),
        validators=[
            InputRequired(_l("Bitte geben Sie die Zahl der Plätze an.")),
            NumberRange(min=0, max=100_000, message=_l("Bitte geben Sie eine Zahl von 0 bis 100000 an.")),
        ],
    )
    opens_day = day_field(_l("Anmeldung ab (freiwillig)"), required=False)
    closes_day = day_field(_l("Anmeldeschluss: Tag (freiwillig)"), required=False)
    closes_time = clock_field(_l("Anmeldeschluss: Uhrzeit (freiwillig)"), required=False)

    event_starts_at: datetime | None = None  # the edited event's start, which its window must not outlast

    def __init__(self, *args: Any, series: list[EventSeries], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series.choices = [("", _l("keine Reihe")), *[(str(item.id), item.title) for item in series]]

    def typed_start(self) -> datetime | None:
        """When the event starts: the edited event's start (a new event types its own)."""
        return self.event_starts_at

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The typed registration window: its first day from midnight, its deadline (ValueError while unreadable).

        A deadline typed as a day alone includes that day (until 23:59): "until the 19th" means the 19th too. On
        the event's own day it is no deadline but the beginning, which follows the event when it moves.
        """
        opens = berlin_moment(parse_day(value_of(self.opens_day)), time(0)) if value_of(self.opens_day) else None
        closes = None
        if value_of(self.closes_day):
            day = parse_day(value_of(self.closes_day))
            if value_of(self.closes_time):
                closes = berlin_moment(day, parse_clock(value_of(self.closes_time)))
            else:
                starts_at = self.typed_start_or_none()
                on_the_day = starts_at is not None and starts_at.astimezone(BERLIN).date() == day
                closes = None if on_the_day else berlin_moment(day, time(23, 59))
        return opens, closes

    def typed_start_or_none(self) -> datetime | None:
        """``typed_start``, or None while the typed start cannot be read (its own field says so)."""
        try:
            return self.typed_start()
        except ValueError:
            return None

    def window_messages(self) -> dict[str, Any]:
        """What is wrong with the typed window, by field name (nothing while a day or time cannot be read)."""
        try:
            opens, closes = self.window()
            starts_at = self.typed_start()
        except ValueError:
            return {}
        if starts_at is None:
            return {}
        faults = window_faults(opens, closes, starts_at)
        return {name: message for fault, (name, message) in WINDOW_MESSAGES.items() if fault in faults}

    def show_window_faults(self) -> None:
        """Mark a window saved before the form checked it that cannot work, so the organizer sees what to mend."""
        for name, message in self.window_messages().items():
            self[name].errors = [message]

    def _check_window(self, field: Field) -> None:
        message = self.window_messages().get(field.short_name)
        if message:
            raise ValidationError(message)

    def validate_opens_day(self, field: Field) -> None:
        """Registration opens before the event begins."""
        self._check_window(field)

    def validate_closes_day(self, field: Field) -> None:
        """Registration closes after it opens, and no later than the event begins."""
        self._check_window(field)

    def validate_closes_time(self, field: Field) -> None:
        """A deadline's time has its day."""
        if value_of(field) and not value_of(self.closes_day):
            raise ValidationError(_l("Bitte geben Sie zur Uhrzeit auch den Tag an."))

    def fill_details(self, event: Event) -> None:
        """Put an event's details into the fields."""
        self.title.data, self.summary.data, self.description.data = event.title, event.summary, event.description
        self.series.data = str(event.series_id or "")
        self.capacity.data = event.capacity
        if event.registration_opens_at:
            self.opens_day.data = format_date(event.registration_opens_at, "dd.MM.yyyy")
        if event.registration_closes_at:
            local = event.registration_closes_at.astimezone(BERLIN)
            self.closes_day.data, self.closes_time.data = f"{local:%d.%m.%Y}", f"{local:%H:%M}"

    def details(self) -> EventDetails:
        """The typed details as the operations take them."""
        opens, closes = self.window()
        return EventDetails(
            title=value_of(self.title),
            summary=value_of(self.summary),
            description=value_of(self.description),
            series_id=int(self.series.data) if self.series.data else None,
            capacity=int(self.capacity.data or 0),
            registration_opens_at=opens,
            registration_closes_at=closes,
        )


class TimePlaceMixin:
    """Venue, day and times: the fields whose change is told to every registrant."""

    venue = SelectField(_l("Veranstaltungsort"), validators=[DataRequired(_l("Bitte wählen Sie einen Ort."))])
    day = day_field(_l("Tag"))
    starts = clock_field(_l("Beginn"))
    ends = clock_field(_l("Ende"))

    def set_venues(self, venues: list[Venue]) -> None:
        """The venues of the towns the organizer works for."""
        self.venue.choices = [(str(venue.id), f"{venue.name} ({venue.town.name})") for venue in venues]

    def fill_time_place(self, event: Event) -> None:
        """Put an event's venue and times into the fields."""
        start, end = event.starts_at.astimezone(BERLIN), event.ends_at.astimezone(BERLIN)
        self.venue.data = str(event.venue_id)
        self.day.data, self.starts.data, self.ends.data = f"{start:%d.%m.%Y}", f"{start:%H:%M}", f"{end:%H:%M}"

    current_day: date | None = None  # a moved event's own day, which may stay even when it has passed

    def validate_day(self, field: Field) -> None:
        """A day not gone yet: a new event, or one moved to another day, lies today or later."""
        try:
            day = parse_day(value_of(field))
        except ValueError:
            return  # a day that cannot be read has its own message
        if day < berlin_today() and day != self.current_day:
            raise ValidationError(_l("Dieser Tag ist schon vorbei. Bitte wählen Sie heute oder einen späteren Tag."))

    def validate_ends(self, field: Field) -> None:
        """The end comes after the beginning."""
        try:
            ends_first = parse_clock(value_of(field)) <= parse_clock(value_of(self.starts))
        except ValueError:
            return  # a time that cannot be read has its own message
        if ends_first:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))

    def typed_start(self) -> datetime:
        """The typed start (ValueError while its day or time cannot be read)."""
        return berlin_moment(parse_day(value_of(self.day)), parse_clock(value_of(self.starts)))

    def typed_hours(self) -> tuple[datetime, datetime]:
        """The typed start and end (ValueError while a day or time cannot be read)."""
        return self.typed_start(), berlin_moment(parse_day(value_of(self.day)), parse_clock(value_of(self.ends)))

    def moment(self) -> tuple[int, datetime, datetime]:
        """The chosen venue id, start and end."""
        return (int(self.venue.data), *self.typed_hours())


class EventForm(TimePlaceMixin, DetailsForm):
    """A new event."""


class MoveForm(TimePlaceMixin, FlaskForm):
    """Another day, time or venue."""

    current_window: tuple[datetime | None, datetime | None] = (None, None)  # the moved event's registration window
    current_hours: tuple[datetime, datetime] | None = None  # the moved event's start and end
    current_programme: tuple[ProgrammeItem, ...] = ()  # its programme, which moves with the start

    def validate_ends(self, field: Field) -> None:
        """The end comes after the beginning, and after every item of the programme that fits the event now."""
        super().validate_ends(field)
        try:
            starts_at, ends_at = self.typed_hours()  # the venue has its own check
        except ValueError:
            return  # a day or time that cannot be read has its own message
        if self.current_hours is None:
            return
        old_starts_at, old_ends_at = self.current_hours
        shift = starts_at - old_starts_at
        for item in self.current_programme:
            if not item.fits(old_starts_at, old_ends_at):
                continue  # saved outside the hours before the programme form checked them: not the move's doing
            item_starts_at, item_ends_at = item.starts_at + shift, item.ends_at and item.ends_at + shift
            if fits_hours(item_starts_at, item_ends_at, starts_at, ends_at):
                continue
            if item_ends_at is None:
                message = _(
                    "Der Programmpunkt „%(title)s“ beginnt dann um %(time)s Uhr. Bitte wählen Sie ein späteres Ende "
                    "oder entfernen Sie zuerst den Programmpunkt.",
                    title=item.title,
                    time=format_clock(item_starts_at),
                )
            else:
                message = _(
                    "Der Programmpunkt „%(title)s“ geht dann bis %(time)s Uhr. Bitte wählen Sie ein Ende ab "
                    "%(time)s Uhr oder entfernen Sie zuerst den Programmpunkt.",
                    title=item.title,
                    time=format_clock(item_ends_at),
                )
            raise ValidationError(message)

    def validate_day(self, field: Field) -> None:
        """A day not gone yet, and a start the registration window does not outlast."""
        super().validate_day(field)
        try:
            starts_at = self.typed_start()
        except ValueError:
            return  # a day or time that cannot be read has its own message
        faults = window_faults(*self.current_window, starts_at)
        if faults & {WindowFault.OPENS_AFTER_START, WindowFault.CLOSES_AFTER_START}:
            raise ValidationError(
                _l(
                    "Die Anmeldung reicht über diesen Beginn hinaus. "
                    "Bitte ändern Sie zuerst unter „Bearbeiten“ die Anmeldung."
                )
            )


class SeriesForm(FlaskForm):
    """A series of events."""

    title = text_field(_l("Name der Reihe"), 200)
    description = TextAreaField(_l("Beschreibung (freiwillig)"), validators=[Length(max=5000), no_control_characters])


LATITUDE = _l("Bitte geben Sie den Breitengrad als Zahl von -90 bis 90 an, z. B. 51.5197.")
LONGITUDE = _l("Bitte geben Sie den Längengrad als Zahl von -180 bis 180 an, z. B. 14.0103.")


# A decimal degree as people write or paste one: digits, one point or comma, any decimals up to a sane length
# ("51,5197", or 51.51972346835296 from a map). Not Decimal's whole grammar: NaN, Infinity and 1e-99999 are
# numbers to it, not to a map or to NUMERIC(9, 6).
_DEGREES = re.compile(r"[+-]?[0-9]{1,3}(?:[.,][0-9]{1,20})?")


def degrees(text: str | None) -> Decimal | None:
    """A decimal degree as typed, to the six decimals the venue keeps; None when it is empty or no such number."""
    typed = (text or "").strip()
    if _DEGREES.fullmatch(typed) is None:
        return None
    return Decimal(typed.replace(",", ".")).quantize(Decimal("0.000001"))


def coordinate(limit: int, message: Any) -> Any:
    """A decimal degree from ``-limit`` to ``limit``, or nothing."""

    def check(form: FlaskForm, field: Field) -> None:
        if field.data and field.data.strip():
            value = degrees(field.data)
            if value is None or not -limit <= value <= limit:
                raise ValidationError(message)

    return check


class VenueForm(FlaskForm):
    """A venue with its address."""

    town = SelectField(_l("Stadt"))
    name = text_field(_l("Name des Ortes"), 200)
    street = text_field(_l("Straße und Hausnummer"), 200)
    postal_code = text_field(_l("Postleitzahl"), 10, True, german_postal_code)  # the venues are in Germany
    locality = text_field(_l("Ort"), 120)
    latitude = StringField(_l("Breitengrad (freiwillig)"), validators=[Optional(), coordinate(90, LATITUDE)])
    longitude = StringField(_l("Längengrad (freiwillig)"), validators=[Optional(), coordinate(180, LONGITUDE)])

    def venue_data(self) -> VenueData:
        """The typed venue."""
        return VenueData(
            town_id=int(self.town.data),
            name=value_of(self.name),
            street=value_of(self.street),
            postal_code=value_of(self.postal_code),
            locality=value_of(self.locality),
            latitude=degrees(self.latitude.data),
            longitude=degrees(self.longitude.data),
        )
