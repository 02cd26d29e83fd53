"""The audit trail on screen: its filter, who acted, and each entry's object, verb and changes in the reader's words.

The labels live in ``audit.labels``; this module adds what only the workspace knows: the titles of the objects a
page shows, fetched in one statement per kind of object (never one per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from ..accounts.access import in_visible_towns, is_admin
from ..actors import ActorKind
from ..audit.labels import NO_OBJECT, change_lines, object_label, object_type_label, value_text, verb_label
from ..audit.models import AuditEntry
from ..dates import BERLIN
from ..employers.models import Employer
from ..events.forms import parse_day
from ..events.models import Event, EventSeries
from ..exports.columns import COLUMNS
from ..extensions import db
from ..jobs.registry import job_labels
from ..places.models import Town, Venue
from ..registrations.list_html import sort_labels
from ..registrations.manage_forms import AUDIENCE_CHOICES


# Objects whose title is not personal: the page may name them by it, to a reader who may see the object now (it may
# have left the town its entries were written for), and an event only while no draft of its number was deleted.
# Others (a registration, a profile, an account, a vacancy a draft of which is deleted) are named by number only.
def _titles_query(object_type: str) -> Select[int, str] | None:
    """The ids and titles of one kind of object the reader may see now, by the object's current town; None for a
    kind the page names by number only (or not to this reader: a series belongs to no town, so admins only)."""
    if object_type == "event":  # a deleted draft's number may be taken again (SQLite reuses the highest id)
        deleted = select(AuditEntry.id).where(
            AuditEntry.verb == "event.deleted", AuditEntry.object_type == "event", AuditEntry.object_id == Event.id
        )
        return (
            select(Event.id, Event.title)
            .join(Venue, Event.venue_id == Venue.id)
            .where(in_visible_towns(Venue.town_id), ~deleted.exists())
        )
    if object_type == "venue":
        return select(Venue.id, Venue.name).where(in_visible_towns(Venue.town_id))
    if object_type == "employer":
        return select(Employer.id, Employer.name).where(in_visible_towns(Employer.town_id))
    if object_type == "town":
        return select(Town.id, Town.name).where(in_visible_towns(Town.id))
    if object_type == "event_series" and is_admin():
        return select(EventSeries.id, EventSeries.title)
    return None


@dataclass(frozen=True)
class ShownEntry:
    """One entry as the page shows it."""

    entry: AuditEntry
    actor: str
    verb: str
    subject: str
    changes: list[tuple[str, str]]


def actor_text(entry: AuditEntry, names: dict[int, str], jobs: dict[str, str] | None = None) -> str:
    """Who made an audit entry, in the reader's language: the staff member's address (admins see them), else what
    the entry says of its actor (the trail keeps its labels in English, as written when it happened); a periodic
    job by what it does (``jobs``, by the job's name), or by its name if it has no label."""
    if entry.actor_user_id is not None and entry.actor_user_id in names:
        return names[entry.actor_user_id]
    label = entry.actor_label or ""
    kind, _space, name = label.partition(" ")
    if entry.actor_kind == ActorKind.PUBLIC:
        text = _("Öffentlichkeit (ein Formular der Website)")
    elif entry.actor_kind == ActorKind.RETURNEE:
        text = _("Rückkehrer/in über den persönlichen Link")
    elif entry.actor_kind == ActorKind.USER:
        roles = {"admin": _("Admin"), "organizer": _("Organisator/in"), "employer": _("Arbeitgeberkonto")}
        text = roles.get(label, label)
    elif kind == "job" and name:
        text = _("regelmäßige Aufgabe: %(name)s", name=(jobs or {}).get(name, name))
    elif kind == "task" and name:
        text = _("Hintergrundaufgabe %(name)s", name=name)
    else:
        text = _("System") if label in ("", "system") else _("Befehl %(name)s", name=label)
    return str(text)


def object_titles(entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """The titles of the entries' objects that have one and that the reader may see now: one statement per kind of
    object on the page; an object without a title here is named by its number."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.object_id is not None:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    titles: dict[tuple[str, int], str] = {}
    for object_type, ids in sorted(wanted.items()):
        query = _titles_query(object_type)
        if query is None:
            continue
        model_id = query.selected_columns[0]
        for object_id, text in db.session.execute(query.where(model_id.in_(sorted(ids)))):
            titles[object_type, object_id] = text
    return titles


def _column_names(keys: Any) -> str:
    """The columns of an export by the names its form gives them."""
    if not isinstance(keys, list) or not keys:
        return value_text(keys)
    return ", ".join(str(COLUMNS[key].label) if key in COLUMNS else str(key) for key in keys)


def _worded(values: dict[str, str]) -> Any:
    """A stored value (or each of a list of them) by its name in ``values``, or as it is."""

    def one(value: Any) -> str:
        return values.get(value, value_text(value)) if isinstance(value, str) else value_text(value)

    def word(value: Any) -> str:
        return ", ".join(map(one, value)) if isinstance(value, list) and value else one(value)

    return word


def _town_names(entries: list[AuditEntry]) -> dict[str, str]:
    """The towns' names by their slugs, which the entries about accounts keep: one statement for all towns (they
    are few, and their names public), and none for a page without such an entry."""
    if not any(isinstance(entry.changes, dict) and "towns" in entry.changes for entry in entries):
        return {}
    return {slug: name for slug, name in db.session.execute(select(Town.slug, Town.name))}


def shown_entries(entries: list[AuditEntry], names: dict[int, str]) -> list[ShownEntry]:
    """The entries in the reader's words."""
    titles = object_titles(entries)
    jobs = job_labels()
    values = {
        "columns": _column_names,
        "audience": _worded({value: str(label) for value, label in AUDIENCE_CHOICES}),
        "sort": _worded(sort_labels()),
        "towns": _worded(_town_names(entries)),
    }
    return [
        ShownEntry(
            entry=entry,
            actor=actor_text(entry, names, jobs),
            verb=verb_label(entry.verb),
            subject=object_label(
                entry.object_type,
                entry.object_id,
                titles.get((entry.object_type, entry.object_id)) if entry.object_id is not None else None,
            ),
            changes=change_lines(entry.changes, values),
        )
        for entry in entries
    ]


# Object types written by mistake, found and shown as the type they are: log-outs were filed under the proxy of
# ``current_user`` until the trail named objects through their ``__class__``.
ALIASES = {"local_proxy": "user"}


def object_type_options(chosen: str = "") -> list[tuple[str, str]]:
    """The object types of the entries the reader may see, as (value, label) sorted by label, with the ``chosen``
    one among them; entries about no single object are found by their verb instead."""
    stored = db.session.scalars(select(AuditEntry.object_type).where(in_visible_towns(AuditEntry.town_id)).distinct())
    options = {ALIASES.get(name, name): object_type_label(name) for name in stored if name != NO_OBJECT}
    chosen = ALIASES.get(chosen, chosen)
    if chosen and chosen not in options:  # a type the filter narrows by must show as chosen, never as "all"
        options[chosen] = object_type_label(chosen)
    return sorted(options.items(), key=lambda option: option[1].casefold())


def _day(text: str | None, end: bool = False) -> datetime | None:
    """A day typed into the filter as the start (or end) of that day in Berlin; ValueError if it is none."""
    if not text or not text.strip():
        return None
    moment = datetime.combine(parse_day(text), time(0), tzinfo=BERLIN)
    return moment + timedelta(days=1) if end else moment


def _number(text: str) -> bool:
    """Whether a filter's text is a number of an entry's object or person: ASCII digits (``²`` is a digit to
    Python, but no number), few enough for the column."""
    return text.isascii() and text.isdigit() and len(text) < 10


def audit_filter(args: Any) -> tuple[Select[AuditEntry], dict[str, str]]:
    """The trail's query for the filter typed, and an error per field that was not understood: a filter that
    cannot be read never widens the list silently."""
    query = select(AuditEntry).where(in_visible_towns(AuditEntry.town_id))
    errors: dict[str, str] = {}
    person = args.get("person", "").strip()
    if person and is_admin():  # organizers are offered no person (the trail names staff to admins only)
        if _number(person):
            query = query.where(AuditEntry.actor_user_id == int(person))
        else:
            errors["person"] = _("Bitte wählen Sie eine Person aus der Liste.")
    if object_type := args.get("object_type", "").replace("\x00", "").strip()[:40]:
        names = [object_type, *(old for old, name in ALIASES.items() if name == object_type)]
        query = query.where(AuditEntry.object_type.in_(names))
    object_id = args.get("object_id", "").strip()
    if _number(object_id):
        query = query.where(AuditEntry.object_id == int(object_id))
    elif object_id:
        errors["object_id"] = _("Bitte geben Sie die Nummer in Ziffern an, z. B. 12.")
    if verb := args.get("verb", "").replace("\x00", "").strip()[:60]:
        query = query.where(AuditEntry.verb.startswith(verb, autoescape=True))
    days: dict[str, datetime | None] = {}
    for name, end in (("from", False), ("to", True)):
        try:
            days[name] = moment = _day(args.get(name), end=end)
        except ValueError:
            errors[name] = _("Bitte geben Sie einen Tag wie 27.12.2026 an.")
            continue
        if moment is not None:
            query = query.where(AuditEntry.created_at < moment if end else AuditEntry.created_at >= moment)
    first, last = days.get("from"), days.get("to")
    if first is not None and last is not None and last <= first:
        errors["to"] = _("Der letzte Tag liegt vor dem ersten. Bitte tauschen Sie die beiden Tage.")
    return query, errors
