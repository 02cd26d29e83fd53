"""Language choice and the formatting of dates and times, German first."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import phonenumbers
from flask import Flask, current_app, request, session
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def select_locale() -> str:
    """Pick the language: a ``lang`` query parameter, then the visitor's choice, then German."""
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), session.get("lang")):
        if candidate in languages:
            return str(candidate)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def safe_next_path(target: str | None, fallback: str = "/") -> str:
    """Return ``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def format_event_time(starts_at: datetime, ends_at: datetime) -> str:
    """Format an event's time span in the current language, e.g. "Sonntag, 27. Dezember 2026, 10:00–15:00 Uhr"."""
    start_day = format_date(starts_at, "full")
    start_time = format_time(starts_at, "HH:mm")
    end_time = format_time(ends_at, "HH:mm")
    if format_date(starts_at, "yyyy-MM-dd") == format_date(ends_at, "yyyy-MM-dd"):
        return str(_("%(day)s, %(start)s–%(end)s Uhr", day=start_day, start=start_time, end=end_time))
    return str(
        _(
            "%(start_day)s, %(start)s Uhr – %(end_day)s, %(end)s Uhr",
            start_day=start_day,
            start=start_time,
            end_day=format_date(ends_at, "full"),
            end=end_time,
        )
    )


def format_day_month(value: datetime) -> str:
    """A day and month, e.g. "28. Dezember" (British order in English: "28 December")."""
    return str(format_date(value, "d. MMMM" if str(get_locale()) == "de" else "d MMMM"))


def format_clock(value: datetime) -> str:
    """Format a time of day, e.g. "10:00"."""
    return str(format_time(value, "HH:mm"))


def format_phone(e164: str | None) -> str:
    """A stored number shown per DIN 5008, e.g. "+49 3573 1234567"."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


def init_app(app: Flask) -> None:
    """Register the template helpers for language and dates."""
    app.add_template_filter(format_event_time, "event_time")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(format_day_month, "day_month")
    app.add_template_filter(format_phone, "phone")
    app.add_template_filter(lambda value: format_date(value, "full"), "long_date")
    app.add_template_filter(lambda value: format_date(value, "MMMM y"), "month_year")

    @app.context_processor
    def language_context() -> dict[str, object]:
        locale = str(get_locale())
        return {
            "current_language": locale,
            "other_languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"] if code != locale],
        }
