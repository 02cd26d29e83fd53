"""What the trail's raw names mean to a reader: one label per verb, per object type, per kind of change and value.

The trail stores its names in English as written when it happened (``registration.confirmed``, ``event``); the
workspace shows these labels in the reader's language. A name without a label is shown as it is, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .change_labels import CHANGE_KEYS, FIELDS, PAIRS, VALUES

Label = Any  # a lazily translated text (see change_labels)

VERBS: dict[str, Label] = {
    "advice_talk.assigned": _l("Beratungsgespräch zugeteilt"),
    "advice_talk.updated": _l("Beratungsgespräch geändert"),
    "alert_preference.updated": _l("Einstellungen der Stellenhinweise geändert"),
    "alert_subscription.confirmed": _l("Stellenhinweise-Abo bestätigt"),
    "alert_subscription.created": _l("Stellenhinweise-Abo angelegt"),
    "alert_subscription.ended": _l("Stellenhinweise-Abo beendet"),
    "alert_subscription.lapsed": _l("Unbestätigtes Stellenhinweise-Abo verfallen"),
    "alert_subscription.replaced": _l("Stellenhinweise-Abo durch ein neues ersetzt"),
    "alert_subscription.updated": _l("Stellenhinweise-Abo geändert"),
    "consent.given": _l("Einwilligung erteilt"),
    "consent.lapsed": _l("Einwilligung abgelaufen"),
    "consent.withdrawn": _l("Einwilligung zurückgezogen"),
    "consent_proof.purged": _l("Nachweise von Einwilligungen gelöscht"),
    "employer.approved": _l("Unternehmen freigegeben"),
    "employer.changes_approved": _l("Änderungen des Unternehmens freigegeben"),
    "employer.changes_declined": _l("Änderungen des Unternehmens abgelehnt"),
    "employer.colleague_invited": _l("Kollegin oder Kollege eingeladen"),
    "employer.declined": _l("Unternehmen abgelehnt"),
    "employer.logo_replaced": _l("Logo des Unternehmens ersetzt"),
    "employer.signed_up": _l("Unternehmen registriert"),
    "employer.updated": _l("Unternehmen geändert"),
    "event.cancelled": _l("Veranstaltung abgesagt"),
    "event.changed": _l("Zeit oder Ort der Veranstaltung geändert"),
    "event.created": _l("Veranstaltung angelegt"),
    "event.deleted": _l("Entwurf gelöscht"),
    "event.duplicated": _l("Veranstaltung kopiert"),
    "event.programme_changed": _l("Programm geändert"),
    "event.published": _l("Veranstaltung veröffentlicht"),
    "event.updated": _l("Veranstaltung geändert"),
    "event_mailing.created": _l("Nachricht an Teilnehmende angelegt"),
    "event_mailing.finished": _l("Nachricht an Teilnehmende verschickt"),
    "event_series.created": _l("Veranstaltungsreihe angelegt"),
    "event_series.updated": _l("Veranstaltungsreihe geändert"),
    "export.made": _l("Daten exportiert"),
    "export_preset.deleted": _l("Exportvorlage gelöscht"),
    "export_preset.saved": _l("Exportvorlage gespeichert"),
    "matching.digests_sent": _l("Stellenhinweise verschickt"),
    "matching.mailed": _l("Passende Stellen nach der Bestätigung geschickt"),
    "news_announcement.created": _l("Neuigkeiten angelegt"),
    "news_announcement.finished": _l("Neuigkeiten verschickt"),
    "outbox_message.retried": _l("E-Mail erneut verschickt"),
    "pool.cards_synced": _l("Talentpool abgeglichen"),
    "pool.contact_accepted": _l("Kontaktanfrage angenommen"),
    "pool.contact_declined": _l("Kontaktanfrage abgelehnt"),
    "pool.contact_requested": _l("Kontakt angefragt"),
    "pool.digests_sent": _l("Übersichten des Talentpools verschickt"),
    "pool_digest.unsubscribed": _l("Übersicht des Talentpools abbestellt"),
    "registration.cancelled": _l("Anmeldung storniert"),
    "registration.check_in_undone": _l("Einlass zurückgenommen"),
    "registration.checked_in": _l("Eingelassen"),
    "registration.companions_changed": _l("Begleitpersonen geändert"),
    "registration.confirmed": _l("Anmeldung bestätigt"),
    "registration.created": _l("Anmeldung eingegangen"),
    "registration.cutoff_notified": _l("Über das Ende der Warteliste informiert"),
    "registration.lapsed": _l("Unbestätigte Anmeldung verfallen"),
    "registration.promoted": _l("Von der Warteliste nachgerückt"),
    "registration.reminded": _l("An die Veranstaltung erinnert"),
    "returnee_profile.code_ended": _l("Bestätigungscode beendet"),
    "returnee_profile.code_failed": _l("Falscher Bestätigungscode"),
    "returnee_profile.code_requested": _l("Bestätigungscode angefordert"),
    "returnee_profile.code_used": _l("Bestätigungscode benutzt"),
    "returnee_profile.consents_reconfirmed": _l("Einwilligungen erneut bestätigt"),
    "returnee_profile.created": _l("Profil angelegt"),
    "returnee_profile.erased": _l("Profil gelöscht"),
    "returnee_profile.exported": _l("Daten des Profils ausgegeben"),
    "returnee_profile.links_revoked": _l("Persönliche Links ungültig gemacht"),
    "returnee_profile.reconfirmation_requested": _l("Erneute Bestätigung der Einwilligungen erbeten"),
    "returnee_profile.updated": _l("Profil geändert"),
    "stand.cancelled": _l("Messestand zurückgezogen"),
    "stand.confirmed": _l("Messestand bestätigt"),
    "stand.declined": _l("Messestand abgelehnt"),
    "stand.requested": _l("Messestand angefragt"),
    "town.updated": _l("Seite der Stadt geändert"),
    "user.activated": _l("Konto aktiviert"),
    "user.created": _l("Konto angelegt"),
    "user.deactivated": _l("Konto deaktiviert"),
    "user.email_verified": _l("E-Mail-Adresse bestätigt"),
    "user.invitation_accepted": _l("Einladung angenommen"),
    "user.invited": _l("Zum Konto eingeladen"),
    "user.logged_in": _l("Am Konto angemeldet"),
    "user.logged_out": _l("Vom Konto abgemeldet"),
    "user.logged_out_everywhere": _l("Überall abgemeldet"),
    "user.password_reset": _l("Passwort neu gesetzt"),
    "user.recovery_code_used": _l("Wiederherstellungscode benutzt"),
    "user.recovery_codes_renewed": _l("Neue Wiederherstellungscodes erzeugt"),
    "user.removed": _l("Konto entfernt"),
    "user.reset_requested": _l("Link zum Zurücksetzen des Passworts angefordert"),
    "user.role_changed": _l("Rolle oder Städte geändert"),
    "user.second_factor_enabled": _l("Zweiten Faktor eingerichtet"),
    "user.second_factor_reset": _l("Zweiten Faktor zurückgesetzt"),
    "vacancy.created": _l("Stelle angelegt"),
    "vacancy.declined": _l("Stelle abgelehnt"),
    "vacancy.deleted": _l("Stelle gelöscht"),
    "vacancy.expired": _l("Stelle abgelaufen"),
    "vacancy.filled": _l("Stelle besetzt"),
    "vacancy.published": _l("Stelle veröffentlicht"),
    "vacancy.submitted": _l("Stelle zur Prüfung eingereicht"),
    "vacancy.updated": _l("Stelle geändert"),
    "vacancy.withdrawn": _l("Stelle zurückgezogen"),
    "venue.created": _l("Veranstaltungsort angelegt"),
    "venue.updated": _l("Veranstaltungsort geändert"),
}

OBJECT_TYPES: dict[str, Label] = {
    "advice_talk": _l("Beratungsgespräch"),
    "alert_preference": _l("Einstellungen der Stellenhinweise"),
    "alert_subscription": _l("Stellenhinweise-Abo"),
    "consent": _l("Einwilligung"),
    "consent_proof": _l("Nachweis einer Einwilligung"),
    "contact_request": _l("Kontaktanfrage"),
    "employer": _l("Unternehmen"),
    "event": _l("Veranstaltung"),
    "event_mailing": _l("Nachricht an Teilnehmende"),
    "event_series": _l("Veranstaltungsreihe"),
    "export_preset": _l("Exportvorlage"),
    "news_announcement": _l("Neuigkeiten"),
    "outbox_message": _l("E-Mail"),
    "registration": _l("Anmeldung"),
    "returnee_profile": _l("Profil einer Rückkehrerin oder eines Rückkehrers"),
    "stand_booking": _l("Messestand"),
    "town": _l("Stadt"),
    "user": _l("Konto"),
    "local_proxy": _l("Konto"),  # log-outs written before the trail named objects by their class
    "vacancy": _l("Stelle"),
    "venue": _l("Veranstaltungsort"),
}

# Verbs whose first part names no object type: the heading of their group in the filter.
VERB_GROUPS: dict[str, Label] = {
    "export": _l("Exporte"),
    "matching": _l("Stellenhinweise"),
    "pool": _l("Talentpool"),
    "pool_digest": _l("Übersicht des Talentpools"),
    "stand": _l("Messestände"),
}

NO_OBJECT = "none"  # what ``record`` writes for an entry about no single object (a round of mails, a purge)


def verb_label(verb: str) -> str:
    """The verb in the reader's language, or the verb itself when it has no label."""
    label = VERBS.get(verb)
    return str(label) if label is not None else str(verb)


def verb_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every labelled verb for the filter, grouped by what it is about: (heading, [(verb, label)]), sorted by
    heading and label; a group's own first option (its prefix, e.g. ``registration.``) stands for all of it."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for verb in VERBS:
        groups.setdefault(verb.partition(".")[0], []).append((verb, verb_label(verb)))
    shown = []
    for prefix, verbs in groups.items():
        heading = str(VERB_GROUPS.get(prefix) or OBJECT_TYPES.get(prefix) or prefix)
        every = (f"{prefix}.", _("%(group)s: alle Vorgänge", group=heading))
        shown.append((heading, [every, *sorted(verbs, key=lambda option: option[1].casefold())]))
    return sorted(shown, key=lambda group: group[0].casefold())


def object_type_label(object_type: str) -> str:
    """The object type in the reader's language; an entry about no single object has none (an empty text)."""
    if object_type == NO_OBJECT:
        return ""
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def object_label(object_type: str, object_id: int | None, title: str | None = None) -> str:
    """The object readably: its type and its title or number (``Veranstaltung „Tag“``, ``Anmeldung Nr. 42``)."""
    kind = object_type_label(object_type)
    if title:
        return str(_("%(kind)s „%(title)s“", kind=kind, title=title)) if kind else title
    if object_id is None:
        return kind
    if not kind:
        return str(_("Nr. %(number)s", number=object_id))
    return str(_("%(kind)s Nr. %(number)s", kind=kind, number=object_id))


def value_text(value: Any, worded: dict[str, Callable[[Any], str]] | None = None) -> str:
    """One value of a change in the reader's words: yes or no, a labelled state, a list or a mapping as text;
    ``worded`` words the values of some keys inside a mapping (an export's filter ``sort``)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nein"))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) if value else "–"
    if isinstance(value, dict):
        words = worded or {}
        return (
            ", ".join(
                f"{change_key_label(key)}: {words[key](item) if key in words else value_text(item, words)}"
                for key, item in sorted(value.items())
            )
            or "–"
        )
    label = VALUES.get(value) if isinstance(value, str) else None
    return str(label) if label is not None else str(value)


def change_key_label(key: str) -> str:
    """The name of a change in the reader's language, or the name itself; ``<name>_op`` is how a filter of an
    export compared that name (``not``: everything but the value)."""
    label = CHANGE_KEYS.get(key)
    if label is None and key.endswith("_op") and key.removesuffix("_op") in CHANGE_KEYS:
        return str(_("%(field)s (Bedingung)", field=CHANGE_KEYS[key.removesuffix("_op")]))
    return str(label) if label is not None else str(key)


def shift_text(minutes: Any) -> str:
    """A move in time as words: ``1 Tag 2 Stunden später``, ``30 Minuten früher`` (``–`` for none)."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not minutes:
        return value_text(minutes or None)
    days, rest = divmod(abs(minutes), 24 * 60)
    hours, rest = divmod(rest, 60)
    parts = [
        ngettext("%(num)d Tag", "%(num)d Tage", days) if days else "",
        ngettext("%(num)d Stunde", "%(num)d Stunden", hours) if hours else "",
        ngettext("%(num)d Minute", "%(num)d Minuten", rest) if rest else "",
    ]
    span = " ".join(part for part in parts if part)
    return str(_("%(span)s später", span=span) if minutes > 0 else _("%(span)s früher", span=span))


# Changes whose value reads better in words of its own than as it is stored.
KEY_VALUES: dict[str, Callable[[Any], str]] = {"programme_shift_minutes": shift_text}


def field_label(name: object) -> str:
    """A changed field's name in the reader's language (a company's edit waiting for review says so)."""
    text = str(name)
    pending = text.startswith("pending:")
    text = text.removeprefix("pending:")
    label = FIELDS.get(text)
    shown = str(label) if label is not None else text
    return str(_("%(field)s (zur Prüfung)", field=shown)) if pending else shown


def change_lines(
    changes: dict[str, Any] | None, values: dict[str, Callable[[Any], str]] | None = None
) -> list[tuple[str, str]]:
    """The changes as (what, how) lines, in a fixed order; a value kept from before reads ``old → new``. ``values``
    words the values of some keys, also inside a mapping (beside ``KEY_VALUES``: what only a higher package knows,
    e.g. export columns, the towns by their names)."""
    if not changes:
        return []
    worded = {**KEY_VALUES, **(values or {})}
    changes = dict(changes)
    lines: list[tuple[str, str]] = []
    for new, old in PAIRS:
        if new in changes and old in changes:
            before, after = changes.pop(old), changes.pop(new)
            lines.append((change_key_label(new), f"{value_text(before)} → {value_text(after)}"))
    for key, value in sorted(changes.items(), key=lambda item: change_key_label(item[0]).casefold()):
        if key == "fields" and isinstance(value, list):
            text = ", ".join(map(field_label, value))
        else:
            text = worded[key](value) if key in worded else value_text(value, worded)
        lines.append((change_key_label(key), text or "–"))
    return lines
