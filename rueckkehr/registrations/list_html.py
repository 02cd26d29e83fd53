"""The registration list's filter fields and table rows as HTML, written here rather than in ``_list.html``.

A page of the list shows 50 rows and five filters with some 80 choices; as a template that was some 900 escaped
values, 90 translations and 300 template calls a page, more than all of the page's SQL. What does not change from
request to request (the labels and choices of the filters, in each language, from reference data) is written once
per app and language; a request only marks what is chosen and writes the rows, escaping each value of a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..forms import SKILL_LEVELS, occupation_choices
from ..returnees.forms import INTERESTS
from .listing import OTHER_HOMETOWN, RegistrationFilter, town_rows

_CACHE_KEY = "rueckkehr.registrations.list_html"
BADGES = {
    "confirmed": "success",
    "unconfirmed": "warning",
    "waiting": "info",
    "cancelled": "danger",
    "expired": "danger",
}
SORT_VALUES = ("name", "-name", "registered", "-registered", "status", "hometown")


def status_labels() -> dict[str, str]:
    """The states of a registration as organizers read them."""
    return {
        "confirmed": _("bestätigt"),
        "unconfirmed": _("unbestätigt"),
        "waiting": _("Warteliste"),
        "cancelled": _("abgesagt"),
        "expired": _("verfallen"),
    }


def sort_labels() -> dict[str, str]:
    """The list's orders as organizers choose them (an export's audit entry names its order by them, too)."""
    labels = (
        _("Name A–Z"),
        _("Name Z–A"),
        _("Anmeldung, älteste zuerst"),
        _("Anmeldung, neueste zuerst"),
        _("Stand"),
        _("Früherer Heimatort"),
    )
    return dict(zip(SORT_VALUES, labels, strict=True))


def _options(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each choice as its value and its ``<option>``, not chosen and chosen."""
    options = []
    for value, label in choices:
        start = f'<option value="{escape(value)}"'
        options.append((value, f"{start}>{escape(label)}</option>", f"{start} selected>{escape(label)}</option>"))
    return options


class ListTexts:
    """What the list writes in one language, built once per app and language."""

    def __init__(self) -> None:
        self.status_labels = status_labels()
        self.badges = {
            status: Markup(  # noqa: S704 - the label escaped in it
                f'<span class="kern-badge kern-badge--{kind}"><span class="kern-label">'
                f"{escape(self.status_labels[status])}</span></span>"
            )
            for status, kind in BADGES.items()
        }
        self.place = str(escape(_("Platz")))
        self.walk_in = str(escape(_("am Einlass")))
        self.sort_options = _options(sort_labels().items())
        towns = [(slug, name) for _id, slug, name in town_rows()]
        choices: dict[str, list[tuple[str, str]]] = {
            "status": list(self.status_labels.items()),
            "hometown": [*towns, (OTHER_HOMETOWN, _("anderer Ort"))],
            "field": [(code, label) for group in occupation_choices().values() for code, label in group],
            "level": [(value, str(label)) for value, label in SKILL_LEVELS],
            "interest": [(value, str(label)) for value, label in INTERESTS],
        }
        legends = {
            "status": _("Stand"),
            "hometown": _("Früherer Heimatort"),
            "field": _("Berufsfeld"),
            "level": _("Anforderungsniveau"),
            "interest": _("Interesse"),
        }
        condition, is_, is_not, value, any_ = _("Bedingung"), _("ist"), _("ist nicht"), _("Wert"), _("egal")
        self.known = {name: frozenset(value for value, _label in options) for name, options in choices.items()}
        self.filters = []
        for name, options in choices.items():
            head = (
                f'<fieldset class="kern-fieldset">\n      <legend class="kern-label">{escape(legends[name])}</legend>\n'
                f'      <div class="kern-form-input"><label class="kern-label" for="{name}_op">{escape(condition)}'
                "</label>\n"
                '        <div class="kern-form-input__select-wrapper"><select class="kern-form-input__select" '
                f'id="{name}_op" name="{name}_op">\n          <option value="is">{escape(is_)}</option>\n'
                '          <option value="not"'
            )
            middle = (
                f">{escape(is_not)}</option>\n        </select></div></div>\n"
                f'      <div class="kern-form-input"><label class="kern-label" for="{name}">{escape(value)}</label>\n'
                '        <div class="kern-form-input__select-wrapper"><select class="kern-form-input__select" '
                f'id="{name}" name="{name}">\n          <option value="">{escape(any_)}</option>\n          '
            )
            self.filters.append((name, head, middle, _options(options)))

    @classmethod
    def current(cls) -> ListTexts:
        """The texts of the request's language."""
        cache: dict[str, ListTexts] = current_app.extensions.setdefault(_CACHE_KEY, {})
        language = str(get_locale())
        texts = cache.get(language)
        if texts is None:
            texts = cache[language] = cls()
        return texts


def _chosen(options: list[tuple[str, str, str]], chosen: str | None) -> str:
    return "".join(selected if value == chosen else plain for value, plain, selected in options)


def sort_options(filters: RegistrationFilter, texts: ListTexts) -> Markup:
    """The ``<option>`` elements of the sort, the filter's chosen."""
    return Markup(_chosen(texts.sort_options, filters.sort))  # noqa: S704 - written escaped by _options


def filter_fields(filters: RegistrationFilter, texts: ListTexts) -> Markup:
    """The five filters (condition and value), with what the filter chose."""
    parts = []
    for name, head, middle, options in texts.filters:
        condition = filters.condition(name)
        parts.append(head)
        parts.append(" selected" if condition and condition.exclude else "")
        parts.append(middle)
        parts.append(_chosen(options, condition.value if condition else None))
        parts.append("\n        </select></div></div>\n    </fieldset>\n  ")
    return Markup("".join(parts))  # noqa: S704 - labels and values escaped when the texts were built


def rows(
    registrations: Iterable[Any],
    texts: ListTexts,
    event_lists: Mapping[int, str],
    event_titles: Mapping[int, str],
    query: str = "",
) -> Markup:
    """The table's rows: each person (linked to their page: the event's list address, their id and ``query``, the
    language a link asked for), their state and place in line, where they live, their hometown, field and party.

    :param event_titles: each event's title by id when the list spans several events (a column of its own), else
        empty.
    """
    cell = '<td class="kern-table__cell">'
    titles = {event_id: f"{cell}{escape(title)}</td>\n    " for event_id, title in event_titles.items()}
    badges, place = texts.badges, texts.place
    walk_in_text = f" ({texts.walk_in})"
    parts: list[str] = []
    append = parts.append
    # Unpacked by position (``ROW_COLUMNS``' order): by name, each value cost a look-up of its own. The values of a
    # cell are escaped together (the separators between them need no escaping): a call each cost a third of this.
    for (
        number,
        event_id,
        status,
        walk_in,
        party_size,
        first,
        last,
        postal,
        city,
        country,
        field,
        hometown,
        rank,
        *_rest,
    ) in registrations:
        append(
            f'  <tr class="kern-table__row">\n    {cell}<a class="kern-link" href="{event_lists[event_id]}/'
            f'{number}{query}">{escape(f"{last}, {first}")}</a>{walk_in_text if walk_in else ""}</td>\n    '
            f"{titles.get(event_id, '') if titles else ''}"
            f"{cell}{badges[status.value]}{f' {place}&nbsp;{rank}' if rank else ''}</td>\n    "
            f"{cell}{escape(f'{postal} {city} ({country})')}</td>\n    "
            f"{cell}{escape(hometown)}</td>\n    "
            f"{cell}{escape(field or '')}</td>\n    "
            f"{cell}{party_size}</td>\n  </tr>\n"
        )
    return Markup("".join(parts))  # noqa: S704 - each value of a person escaped above; numbers and built links
