"""Language choice and the formatting of dates, times and numbers, German first, English as in Britain."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import phonenumbers
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # the wrappers Jinja's i18n installs
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}

# The site's English is British: returnees abroad live in Norway, the Netherlands, Austria and Switzerland, and read
# "Tuesday 29 December 2026" more easily than the US "Tuesday, December 29, 2026".
FORMAT_LOCALES = {"de": "de_DE", "en": "en_GB"}
LONG_DATE_PATTERNS = {"de": "EEEE, d. MMMM y", "en": "EEEE d MMMM y"}


def select_locale() -> Locale:
    """Pick the language: a ``lang`` query parameter, then the visitor's choice, then German (also outside a
    request: a job or command that composes text without ``force_locale``).

    Where a request asked for the ``Accept-Language`` header to count (``g.language_from_header``: the public API,
    whose clients keep no session), the header decides, and German is the default.
    """
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return _parsed(str(current_app.config["BABEL_DEFAULT_LOCALE"]))
    if g.get("language_from_header"):
        return _parsed(
            str(request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"])
        )
    for candidate in (request.args.get("lang"), session.get("lang")):
        if candidate in languages:
            return _parsed(str(candidate))
    return _parsed(str(current_app.config["BABEL_DEFAULT_LOCALE"]))


@functools.cache
def _parsed(language: str) -> Locale:
    """The locale of a language code, parsed once: Flask-Babel parses a code it is given on every request, and
    looks for the locale's data file each time (a fiftieth of a workspace page's work)."""
    return Locale.parse(language)


def keep_requested_language(endpoint: str, values: dict[str, Any]) -> None:
    """Every link and form of a page that a link asked a language of (``?lang=``, e.g. from a mail) asks it too.

    A link from a mail opens in a fresh browser that knows nothing of the recipient; the mail says which language
    they speak, and the next page, a form's answer and its redirect must speak it too. The language travels in the
    address, not in the session, because a GET never changes anything.
    """
    if endpoint == "static" or "lang" in values:
        return
    requested = requested_language()
    if requested is not None:
        values["lang"] = requested


def requested_language() -> str | None:
    """The language the request's address asks for (``?lang=``) if the site speaks it, else None."""
    if not has_request_context():
        return None
    args = request.args
    if "lang" in args:  # not ``args.get``: a missing key costs werkzeug an exception, and a page builds many links
        requested = args["lang"]
        if requested in current_app.config["LANGUAGES"]:
            return str(requested)
    return None


def requested_language_field() -> Markup:
    """The hidden ``lang`` field of a GET form on a page whose address asked for a language (for every GET form).

    A browser sends a GET form's fields as the whole query of its action and drops the query the action had, so
    the ``lang`` that ``keep_requested_language`` puts there is lost: the field carries it instead. Nothing where
    the address asked for none, so that the language switch, which drops ``lang`` from the address, still wins.
    """
    requested = requested_language()
    if requested is None:
        return Markup("")
    return Markup('<input type="hidden" name="lang" value="{}">').format(requested)


def current_language() -> str:
    """The language of the current request (or of the mail being composed)."""
    return str(get_locale())


def without_language(path: str) -> str:
    """A path on this site without its ``lang`` parameter (the language switch must not be overruled by it)."""
    parts = urlsplit(path)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "lang"]
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


def safe_next_path(target: str | None, fallback: str = "/") -> str:
    """Return ``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def _formatting_locale() -> str:
    language = current_language()
    return FORMAT_LOCALES.get(language, language)


def _local(value: datetime) -> datetime:
    """A stored (UTC) time in the site's time zone."""
    return value.astimezone(get_timezone())


def format_long_date(value: date | datetime) -> str:
    """A day in full in the current language: "Dienstag, 29. Dezember 2026" or "Tuesday 29 December 2026"."""
    day = _local(value).date() if isinstance(value, datetime) else value
    pattern = LONG_DATE_PATTERNS.get(current_language(), "full")
    return str(babel_dates.format_date(day, pattern, locale=_formatting_locale()))


def format_month_year(value: date | datetime) -> str:
    """A month and its year, e.g. "Dezember 2026" / "December 2026"."""
    day = _local(value).date() if isinstance(value, datetime) else value
    return str(babel_dates.format_date(day, "MMMM y", locale=_formatting_locale()))


def format_clock(value: datetime) -> str:
    """A time of day in the site's time zone, e.g. "10:00"."""
    return str(babel_dates.format_time(_local(value), "HH:mm", locale=_formatting_locale()))


def format_local_datetime(value: datetime) -> str:
    """A moment with its day and time, e.g. "Dienstag, 29. Dezember 2026, 10:00" (local time)."""
    return f"{format_long_date(value)}, {format_clock(value)}"


def format_event_time(starts_at: datetime, ends_at: datetime) -> str:
    """An event's time span: "Sonntag, 27. Dezember 2026, 10:00–15:00 Uhr", "Sunday 27 December 2026, 10:00–15:00".

    Kept per language: every page and mail of an event names its time, and Babel takes longer to write it than a
    registration's other work before its lock.
    """
    return _event_time(starts_at, ends_at, current_language(), str(get_timezone()))


@functools.lru_cache(maxsize=1024)
def _event_time(starts_at: datetime, ends_at: datetime, language: str, zone: str) -> str:
    start_day = format_long_date(starts_at)
    start, end = format_clock(starts_at), format_clock(ends_at)
    if _local(starts_at).date() == _local(ends_at).date():
        return str(_("%(day)s, %(start)s–%(end)s Uhr", day=start_day, start=start, end=end))
    return str(
        _(
            "%(start_day)s, %(start)s Uhr – %(end_day)s, %(end)s Uhr",
            start_day=start_day,
            start=start,
            end_day=format_long_date(ends_at),
            end=end,
        )
    )


def format_day_month(value: datetime) -> str:
    """A day and month, e.g. "28. Dezember" (British order in English: "28 December")."""
    pattern = "d. MMMM" if current_language() == "de" else "d MMMM"
    return str(babel_dates.format_date(_local(value).date(), pattern, locale=_formatting_locale()))


def format_euro(amount: int) -> str:
    """A whole euro amount in the current language: "3.200 €", "€3,200"."""
    pattern = "#,##0\xa0¤" if current_language() == "de" else "¤#,##0"
    return str(
        babel_numbers.format_currency(amount, "EUR", pattern, locale=_formatting_locale(), currency_digits=False)
    )


def _stored_number(e164: str) -> tuple[int, str] | None:
    """A stored (checked, E.164) number split into country code and national number without a full parse, which
    costs three times as much (an export formats one per row); None for anything unusual (the full parse)."""
    digits = e164[1:]
    if e164.startswith("+") and digits.isdigit():
        for length in (1, 2, 3):
            code = int(digits[:length])
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                national = digits[length:]
                if national and not national.startswith("0"):  # a leading zero (Italy) needs the parse
                    return code, national
                break
    return None


Rule = tuple[re.Pattern[str] | None, re.Pattern[str], str]
_GROUP_REFERENCE = re.compile(r"\\(\d)")


def _grouping(rule: str) -> str:
    """A phonenumbers grouping (``\\1 \\2``) as a format string of the match's groups (``{1} {2}``)."""
    return _GROUP_REFERENCE.sub(lambda group: f"{{{int(group[1])}}}", rule.replace("{", "{{").replace("}", "}}"))


@functools.cache
def _international_rules(country_code: int) -> tuple[Rule, ...]:
    """The rules by which phonenumbers writes a country's numbers in international format (its leading digits,
    the number's pattern and the grouping as a format string), compiled once: phonenumbers looks each regex up
    again for every number it formats, which made the phone column the dearest of an export."""
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
    if metadata is None:
        return ()
    formats = metadata.intl_number_format or metadata.number_format
    return tuple(
        (
            re.compile(rule.leading_digits_pattern[-1]) if rule.leading_digits_pattern else None,
            re.compile(rule.pattern or ""),
            _grouping(rule.format or ""),
        )
        for rule in formats
    )


def _international(country_code: int, national: str) -> str:
    """``phonenumbers.format_number(…, INTERNATIONAL)`` of a number without extension, by the compiled rules:
    the first rule whose leading digits and pattern fit the whole national number groups it."""
    for leading, pattern, grouping in _international_rules(country_code):
        if leading is None or leading.match(national):
            whole = pattern.fullmatch(national)
            if whole:
                return f"+{country_code} " + grouping.format(whole[0], *whole.groups())
    return f"+{country_code} {national}"


def format_phone(e164: str | None) -> str:
    """A stored number shown per DIN 5008, e.g. "+49 3573 1234567"."""
    if not e164:
        return ""
    split = _stored_number(e164)
    if split is not None:
        return _international(*split).replace("-", " ")
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


def template_translations() -> Any:
    """The catalogue of the request's language, for the templates' ``_()``: looked up once per request and language.

    Flask-Babel's own template ``gettext`` asks for the request's context, domain, locale and catalogue at every
    call, and a workspace page makes a hundred such calls. The catalogue is kept beside the locale it was looked up
    for, so ``force_locale`` (a mail written in another language during a request) finds its own.
    """
    context = g.get("_flask_babel") if g else None  # no app context: Flask-Babel's catalogue of nothing
    locale = getattr(context, "babel_locale", None)
    cached = getattr(context, "rk_translations", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    context = g.get("_flask_babel") if g else None
    if context is not None:
        context.rk_translations = (get_locale(), translations)
    return translations


def _template_gettext(translations: Any) -> Any:
    """The templates' ``_()`` for one catalogue: Jinja's own (``newstyle``), but a text without variables is
    translated, marked safe and formatted once per catalogue, not at every call (a workspace page makes some forty).

    Kept on the catalogue, which Flask-Babel keeps per language for the app's life.
    """
    cached = getattr(translations, "rk_template_gettext", None)
    if cached is not None:
        return cached
    ugettext = translations.ugettext
    newstyle = _make_new_gettext(ugettext)
    done: dict[str, Markup] = {}

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> Any:
        if variables or not __context.eval_ctx.autoescape:
            return newstyle(__context, __string, **variables)
        text = done.get(__string)
        if text is None:
            # as newstyle does: the catalogue's text is trusted, and always a format string
            text = done[__string] = Markup(ugettext(__string)) % {}  # noqa: S704
        return text

    translations.rk_template_gettext = gettext
    return gettext


def init_app(app: Flask) -> None:
    """Register the template helpers for language and dates, and keep a language that a link asked for."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension adds it
        gettext=lambda string: template_translations().ugettext(string),
        ngettext=lambda singular, plural, n: template_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: template_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: template_translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.add_template_filter(format_event_time, "event_time")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(format_day_month, "day_month")
    app.add_template_filter(format_phone, "phone")
    app.add_template_filter(format_long_date, "long_date")
    app.add_template_filter(format_month_year, "month_year")
    app.add_template_filter(format_local_datetime, "local_datetime")
    app.url_defaults(keep_requested_language)
    app.add_template_global(requested_language_field)

    @app.context_processor
    def language_context() -> dict[str, object]:
        locale = current_language()
        translations = template_translations()
        gettext = _template_gettext(translations)
        return {
            # Bound to the catalogue once per page (a page calls them a hundred times); the globals above serve
            # templates rendered without a request's context processors. ``_`` too: the i18n extension's own
            # ``_`` looks ``gettext`` up and calls it, two calls through Jinja's context for every text.
            "gettext": gettext,
            "_": gettext,
            "ngettext": _make_new_ngettext(translations.ungettext),
            "current_language": locale,
            "other_languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"] if code != locale],
        }


# Letters that carry no accent to drop in Unicode but are sorted as a base letter all the same.
_UNACCENTED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def alphabetical(text: str) -> str:
    """A name as an alphabetical list orders it, in German (DIN 5007, variant 1: "Ä" as "a", "ß" as "ss") and in
    English alike: without case and accents, so that "Österreich" and "Özdemir" come among the O's."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UNACCENTED))
    return "".join(char for char in folded if not unicodedata.combining(char))
