"""The public API's documents, as marshmallow schemas: the query parameters it reads and the JSON it answers.

Labels (``label``, ``time_text``, …) are in the language ``Accept-Language`` chose; codes never change with it.
"""

from __future__ import annotations

from typing import Any, overload

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..employers.board import field_options
from ..employers.models import Contract, SalaryPeriod, SizeBand
from ..events.models import EventStatus, RegistrationState
from ..events.queries import town_by_slug
from ..occupations.working_times import WorkingTime
from ..places.models import Town


class WholeValue(validate.Regexp):
    """A pattern the whole value must fit, as the OpenAPI document's ``pattern`` means it: ``validate.Regexp``
    matches from the value's start only, where ``$`` also matches before a final line break ("2026-12\\n" was
    taken for a month and answered with a 500). Write digits as ``[0-9]``: Python's ``\\d`` takes every script's."""

    @overload
    def __call__(self, value: str) -> str: ...

    @overload
    def __call__(self, value: bytes) -> bytes: ...

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


SLUG = WholeValue(r"^[a-z0-9-]{1,64}$")
FIELD_CODE = WholeValue(r"^[0-9]{1,3}$")


class KnownTown(fields.String):
    """A town's slug, read as the town: a slug of no town is refused in the same answer as a value of the wrong form
    (the document gives the form as the ``pattern``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"pattern": SLUG.regex.pattern, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Town:  # type: ignore[override]
        town = town_by_slug(SLUG(super()._deserialize(value, attr, data, **kwargs)))
        if town is None:
            raise ValidationError(_("Diese Stadt kennen wir nicht."))
        return town


class KnownField(fields.String):
    """A KldB Berufsbereich (one digit) or Berufshauptgruppe (two digits) that the reference data holds."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"pattern": FIELD_CODE.regex.pattern, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = FIELD_CODE(super()._deserialize(value, attr, data, **kwargs))
        areas = field_options()
        if code not in {area.code for area in areas} | {group for area in areas for group, _label in area.groups}:
            raise ValidationError(_("Dieses Berufsfeld kennen wir nicht."))
        return code


class Coded(Schema):
    """A value of a vocabulary: its code and its name in the client's language."""

    code = fields.String(required=True)
    label = fields.String(required=True)


class TownSchema(Schema):
    slug = fields.String(required=True, metadata={"example": "senftenberg"})
    name = fields.String(required=True, metadata={"example": "Senftenberg"})


class VenueSchema(Schema):
    name = fields.String(required=True)
    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    locality = fields.String(required=True)
    town = fields.Nested(TownSchema, required=True)
    latitude = fields.Float(allow_none=True, required=True)
    longitude = fields.Float(allow_none=True, required=True)


class RegistrationSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf([state.value for state in RegistrationState]))
    label = fields.String(required=True)
    opens_at = fields.AwareDateTime(allow_none=True, required=True)
    closes_at = fields.AwareDateTime(required=True, metadata={"description": "Online registration ends then"})
    url = fields.Url(required=True, metadata={"description": "The page where a returnee registers"})


class EventSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf([EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value]),
        metadata={"description": "A cancelled event stays listed as cancelled"},
    )
    series = fields.String(allow_none=True, required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    time_text = fields.String(required=True, metadata={"example": "Sonntag, 27. Dezember 2026, 10:00–15:00 Uhr"})
    venue = fields.Nested(VenueSchema, required=True)
    capacity = fields.Integer(required=True)
    seats_left = fields.Integer(required=True)
    registration = fields.Nested(RegistrationSchema, required=True)
    url = fields.Url(required=True, metadata={"description": "The event's page on this site"})


class ProgrammeItemSchema(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(allow_none=True, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)


class EmployerLinkSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "The employer in this API"})


class EventDetailSchema(EventSchema):
    description = fields.String(required=True)
    programme = fields.List(fields.Nested(ProgrammeItemSchema), required=True)
    exhibitors = fields.List(
        fields.Nested(EmployerLinkSchema), required=True, metadata={"description": "Employers with a stand"}
    )


class SalarySchema(Schema):
    min = fields.Integer(allow_none=True, required=True)
    max = fields.Integer(allow_none=True, required=True)
    currency = fields.String(required=True, validate=validate.OneOf(["EUR"]))
    period = fields.Nested(Coded, required=True, metadata={"description": f"One of {[p.value for p in SalaryPeriod]}"})


class JobSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    employer = fields.Nested(EmployerLinkSchema, required=True)
    occupation = fields.Nested(Coded, required=True, metadata={"description": "KldB 2010 Berufshauptgruppe"})
    skill_level = fields.Nested(Coded, required=True, metadata={"description": "KldB Anforderungsniveau, 1 to 4"})
    working_times = fields.List(
        fields.Nested(Coded), required=True, metadata={"description": f"Codes: {[t.value for t in WorkingTime]}"}
    )
    contract = fields.Nested(Coded, required=True, metadata={"description": f"Codes: {[c.value for c in Contract]}"})
    town = fields.Nested(TownSchema, allow_none=True, required=True, metadata={"description": "An RWK town"})
    place = fields.String(required=True, metadata={"description": "Where the work is: the town, or PLZ and place"})
    starts_on = fields.Date(allow_none=True, required=True, metadata={"description": "None: at once"})
    salary = fields.Nested(SalarySchema, allow_none=True, required=True)
    valid_until = fields.Date(required=True)
    published_at = fields.AwareDateTime(allow_none=True, required=True)
    url = fields.Url(required=True, metadata={"description": "The vacancy's page on this site"})


class JobDetailSchema(JobSchema):
    description = fields.String(required=True, metadata={"description": "Markdown, as the employer wrote it"})
    description_html = fields.String(required=True, metadata={"description": "The description as safe HTML"})
    apply_url = fields.String(required=True, metadata={"description": "Empty when the employer gave none"})
    apply_email = fields.String(required=True, metadata={"description": "Empty when the employer gave none"})
    next_stand = fields.Nested(
        lambda: StandEventSchema(), allow_none=True, required=True, metadata={"description": "Meet them there"}
    )


class StandEventSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    url = fields.Url(required=True, metadata={"description": "The event in this API"})


class EmployerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    town = fields.Nested(TownSchema, required=True)
    street = fields.String(required=True)
    postal_code = fields.String(required=True)
    locality = fields.String(required=True)
    sector = fields.Nested(Coded, required=True, metadata={"description": "KldB 2010 Berufsbereich"})
    size = fields.Nested(Coded, required=True, metadata={"description": f"Codes: {[s.value for s in SizeBand]}"})
    website = fields.String(required=True, metadata={"description": "Empty when the employer gave none"})
    logo_url = fields.Url(allow_none=True, required=True)
    open_jobs = fields.Integer(required=True, metadata={"description": "Vacancies on the jobs board"})
    url = fields.Url(required=True, metadata={"description": "The employer's page on this site"})


class EmployerDetailSchema(EmployerSchema):
    description = fields.String(required=True)
    jobs = fields.List(fields.Nested(lambda: JobLinkSchema()), required=True)
    stands = fields.List(
        fields.Nested(StandEventSchema), required=True, metadata={"description": "Coming events with its stand"}
    )


class JobLinkSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "The job in this API"})


class EventArgs(Schema):
    town = KnownTown(metadata={"description": "A town's slug, e.g. `senftenberg`"})
    month = fields.String(
        validate=WholeValue(r"^(20[0-9][0-9]|2100)-(0[1-9]|1[0-2])$"), metadata={"description": "`YYYY-MM`"}
    )
    past = fields.Boolean(load_default=False, metadata={"description": "Past events, latest first"})


class JobArgs(Schema):
    q = fields.String(
        validate=validate.Length(max=200), metadata={"description": "Search words (German, compounds and synonyms)"}
    )
    town = KnownTown(metadata={"description": "A town's slug"})
    field = KnownField(metadata={"description": "KldB Berufsbereich (one digit) or Berufshauptgruppe (two digits)"})
    level = fields.Integer(validate=validate.Range(min=1, max=4), metadata={"description": "Anforderungsniveau"})
    time = fields.String(validate=validate.OneOf([time.value for time in WorkingTime]))
    sort = fields.String(
        validate=validate.OneOf(["relevance", "newest"]),
        metadata={"description": "Default: relevance with `q`, else newest"},
    )
