"""The site's main navigation in the header of every page: its links, and which one the page belongs to.

Written by the layout, it cost every page eight links built and as many labels translated. The links and labels
differ only by language, by who is logged in (nobody, staff, an employer), by a language a link asked for
(``?lang=``) and by the site's root path, so each such navigation is written once per app; a page only marks its
own link and puts its form token into the log-out button.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Request, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..i18n import requested_language

# The workspace's blueprints: the staff's link is the current one on all their pages.
WORKSPACE_BLUEPRINTS = frozenset(
    {
        "organizer",
        "organizer_accounts",
        "organizer_security",
        "events_manage",
        "event_setup",
        "registrations_manage",
        "employers_manage",
        "advice_manage",
        "towns_manage",
    }
)


def _endpoint_is(name: str) -> Callable[[Request], bool]:
    return lambda page: page.endpoint == name


def _endpoint_in(prefix: str) -> Callable[[Request], bool]:
    return lambda page: bool(page.endpoint and page.endpoint.startswith(prefix))


def _blueprint_in(names: frozenset[str]) -> Callable[[Request], bool]:
    return lambda page: bool(page.endpoint and page.blueprint in names)


# (where it leads, its label, whether a page belongs to it)
PUBLIC_LINKS = (
    ("public.home", _l("Start"), _endpoint_is("public.home")),
    ("events.index", _l("Veranstaltungen"), _endpoint_in("events.")),
    ("jobs_board.index", _l("Stellen"), _endpoint_in("jobs_board.")),
    ("towns.index", _l("Städte"), lambda page: page.blueprint == "towns"),
    ("employer_pages.index", _l("Arbeitgeber"), _endpoint_in("employer_pages.")),
)
STAFF_LINK = ("organizer.dashboard", _l("Arbeitsbereich"), _blueprint_in(WORKSPACE_BLUEPRINTS))
EMPLOYER_LINK = ("company_area.dashboard", _l("Mein Bereich"), _endpoint_in("company_area."))
LOGIN_LINK = ("accounts.login", _l("Login"), _endpoint_is("accounts.login"))
_CACHE_KEY = "rueckkehr.public.navigation"

Item = tuple[Callable[[Request], bool], str, str]  # whether a page belongs to it, its <li> elsewhere, on its pages
Navigation = tuple[list[Item], tuple[str, str] | None]  # the links; the log-out button before and after its token


def link_items(endpoint: str, label: object) -> tuple[str, str]:
    """A navigation's ``<li>`` of a link: as other pages show it, and as its own pages do (marked current)."""
    start = f'<li><a class="kern-link" href="{escape(url_for(endpoint))}"'
    end = f">{escape(str(label))}</a></li>"
    return start + end, f'{start} aria-current="page"{end}'


def _navigation(staff: bool, employer: bool, logged_in: bool) -> Navigation:
    links = [*PUBLIC_LINKS]
    if staff:
        links.append(STAFF_LINK)
    if employer:
        links.append(EMPLOYER_LINK)
    if not logged_in:
        links.append(LOGIN_LINK)
    items: list[Item] = [(belongs, *link_items(target, label)) for target, label, belongs in links]
    if not logged_in:
        return items, None
    action = escape(url_for("accounts.logout"))
    label = escape(str(_l("Abmelden")))  # not inside the f-string, where the catalogue's extraction cannot see it
    logout = (
        f'<li><form class="inline-form language-switch" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="',
        '"><button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit">'
        f'<span class="kern-label">{label}</span></button></form></li>',
    )
    return items, logout


def site_navigation() -> Markup:
    """The ``<li>`` of each link of the main navigation for whoever is logged in, the page's own marked."""
    logged_in = bool(current_user.is_authenticated)
    key = (
        str(get_locale()),
        logged_in and bool(current_user.is_staff),
        logged_in and bool(current_user.employer_id),
        logged_in,
        requested_language(),  # the links keep it
        request.script_root,
    )
    cache: dict[tuple[object, ...], Navigation] = current_app.extensions.setdefault(_CACHE_KEY, {})
    navigation = cache.get(key)
    if navigation is None:
        navigation = cache[key] = _navigation(*key[1:4])
    items, logout = navigation
    parts = [current if belongs(request) else plain for belongs, plain, current in items]
    if logout is not None:
        parts.append(f"{logout[0]}{escape(generate_csrf())}{logout[1]}")
    return Markup("\n          ".join(parts))  # noqa: S704 - links and labels escaped when written, the token here


_PARTS_KEY = "rueckkehr_site_parts"


def site_part(template: str) -> Markup:
    """A part of every page's layout that is the same on every page (the footer, the style sheets): written once
    per language, language a link asked for and root path, as the navigation is, not on every page (a tenth of
    the layout's work)."""
    key = (template, str(get_locale()), requested_language(), request.script_root)
    cache: dict[tuple[str | None, ...], Markup] = current_app.extensions.setdefault(_PARTS_KEY, {})
    part = cache.get(key)
    if part is None:
        part = cache[key] = Markup(render_template(template))  # noqa: S704 - an autoescaped template
    return part
