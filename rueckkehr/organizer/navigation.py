"""The workspace's navigation: its sections, and which one the page belongs to.

Every workspace page shows it; written by the layout it cost a link to be built and a label translated for each
of its eleven sections on every page. The links and labels differ only by language, role and a language a link
asked for (``?lang=``), so each such navigation is written once per app; a page only marks its own section.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from ..accounts.models import Role
from ..i18n import requested_language
from ..public.navigation import link_items

# (where it leads, its label, the endpoints that belong to it: a prefix or a whole name)
SECTIONS = (
    ("organizer.dashboard", _l("Übersicht"), ("organizer.dashboard",)),
    (
        "events_manage.index",
        _l("Veranstaltungen"),
        ("events_manage.", "registrations_manage.", "event_setup.", "checkin_manage.", "exports."),
    ),
    ("figures.index", _l("Kennzahlen"), ("figures.",)),
    ("employers_manage.index", _l("Freigaben"), ("employers_manage.",)),
    ("advice_manage.index", _l("Beratung"), ("advice_manage.",)),
    ("towns_manage.index", _l("Städte"), ("towns_manage.",)),
    ("organizer.mails", _l("Fehlgeschlagene E-Mails"), ("organizer.mails",)),
    ("organizer.audit", _l("Protokoll"), ("organizer.audit",)),
)
ADMIN_SECTIONS = (
    ("organizer_accounts.index", _l("Konten"), ("organizer_accounts.",)),
    ("retention.overview", _l("Aufbewahrung"), ("retention.",)),
)
LAST_SECTIONS = (("organizer_security.security", _l("Sicherheit"), ("organizer_security.",)),)
_CACHE_KEY = "rueckkehr.organizer.navigation"

Item = tuple[tuple[str, ...], str, str]  # the endpoints it stands for, its <li> elsewhere, its <li> on its pages


def _items(admin: bool) -> list[Item]:
    sections = SECTIONS + (ADMIN_SECTIONS if admin else ()) + LAST_SECTIONS
    return [(prefixes, *link_items(target, label)) for target, label, prefixes in sections]


def workspace_navigation() -> Markup:
    """The ``<li>`` of each section the logged-in user may open, the page's own marked as the current one."""
    key = (
        str(get_locale()),
        getattr(current_user, "role", None) == Role.ADMIN,
        requested_language(),  # the links keep it
        request.script_root,
    )
    cache: dict[tuple[object, ...], list[Item]] = current_app.extensions.setdefault(_CACHE_KEY, {})
    items = cache.get(key)
    if items is None:
        items = cache[key] = _items(key[1])
    endpoint = request.endpoint or ""
    return Markup(  # noqa: S704 - links and labels escaped when the items were built
        "\n      ".join(
            current if any(endpoint.startswith(prefix) for prefix in prefixes) else plain
            for prefixes, plain, current in items
        )
    )
