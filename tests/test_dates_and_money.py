"""Dates, times and money as readers expect them: German as before, English as in Britain (day before month, no
comma after the weekday, the euro sign first)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from rueckkehr.i18n import format_euro, format_event_time, format_long_date, format_month_year

START = datetime(2026, 12, 29, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
END = datetime(2026, 12, 29, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Dienstag, 29. Dezember 2026, 10:00–15:00 Uhr"),
        ("en", "Tuesday 29 December 2026, 10:00–15:00"),
    ],
)
def test_an_event_day_reads_as_at_home(app: Flask, language: str, expected: str) -> None:
    with app.test_request_context(), force_locale(language):
        assert format_event_time(START, END) == expected


def test_days_months_spans_and_money_in_british_english(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        summer = datetime(2027, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin
        assert format_long_date(summer) == "Thursday 1 July 2027"
        assert format_long_date(date(2027, 3, 1)) == "Monday 1 March 2027"
        assert format_month_year(date(2027, 3, 1)) == "March 2027"
        assert format_event_time(START, datetime(2026, 12, 30, 14, 0, tzinfo=UTC)) == (
            "Tuesday 29 December 2026, 10:00 – Wednesday 30 December 2026, 15:00"
        )
        assert format_euro(3200) == "€3,200"
    with app.test_request_context(), force_locale("de"):
        assert format_long_date(summer) == "Donnerstag, 1. Juli 2027"
        assert format_euro(3200) == "3.200\xa0€"


def test_stored_phone_numbers_are_formatted_as_a_full_parse_would() -> None:
    import phonenumbers

    from rueckkehr.i18n import format_phone

    numbers = [
        "+4935731234567",
        "+493012345678",
        "+4915112345678",
        "+4722334455",
        "+390612345678",
        "+12025550123",
        "+442079460958",
        "+43123456789",
        "+48221234567",
        "+41446681800",
        "+351912345678",
    ]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):  # every country's own example numbers
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers.append(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164))
    for number in numbers:
        parsed = phonenumbers.parse(number, None)
        expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")
        assert format_phone(number) == expected, number
    assert format_phone("+4935731234567") == "+49 3573 1234567"
    assert format_phone("garbage") == "garbage"
