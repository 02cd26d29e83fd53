"""What the trail's raw names mean to a reader: one label per verb, per object type, per kind of change and value.

The trail stores its names in English as written when it happened (``registration.confirmed``, ``event``); the
workspace shows these labels in the reader's language. A name without a label is shown as it is, never an error.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

Label = Any  # a lazily translated text (flask_babel ships no types): str() gives it in the reader's language

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

CHANGE_KEYS: dict[str, Label] = {
    "action": _l("Aktion"),
    "added_item_id": _l("Neuer Programmpunkt Nr."),
    "again": _l("Erneut"),
    "approved": _l("Freigegeben"),
    "audience": _l("Empfänger"),
    "by": _l("Ersetzt durch Nr."),
    "by_organizer": _l("Durch das Organisationsteam"),
    "capacity": _l("Plätze"),
    "columns": _l("Spalten"),
    "companions": _l("Begleitpersonen"),
    "contact_user_id": _l("Ansprechperson Nr."),
    "count": _l("Anzahl"),
    "email": _l("E-Mail-Adresse"),
    "employer_id": _l("Unternehmen Nr."),
    "english": _l("Auch auf Englisch"),
    "event_id": _l("Veranstaltung Nr."),
    "event_ids": _l("Veranstaltungen Nr."),
    "fields": _l("Geänderte Felder"),
    "filters": _l("Filter"),
    "format": _l("Format"),
    "frequency": _l("Häufigkeit"),
    "group": _l("Berufsgruppe"),
    "listed": _l("Aufgenommen"),
    "mails": _l("E-Mails"),
    "method": _l("Art der Einwilligung"),
    "name": _l("Name"),
    "nothing_new": _l("Ohne Neues"),
    "over_capacity": _l("Über die Plätze hinaus"),
    "party_size": _l("Personen"),
    "position": _l("Platz auf der Warteliste"),
    "purpose": _l("Zweck"),
    "reason": _l("Grund"),
    "removed": _l("Entfernt"),
    "removed_item_id": _l("Entfernter Programmpunkt Nr."),
    "repeat_of": _l("Wiederholung von Nr."),
    "returnees": _l("Rückkehrende"),
    "role": _l("Rolle"),
    "rows": _l("Zeilen"),
    "sent": _l("Verschickt"),
    "sessions": _l("Sitzungen"),
    "shared": _l("Daten geteilt"),
    "source_event_id": _l("Kopiert von Veranstaltung Nr."),
    "status": _l("Status"),
    "subscribers": _l("Abonnierende"),
    "time": _l("Zeit geändert"),
    "total": _l("Empfänger insgesamt"),
    "towns": _l("Städte"),
    "vacancies": _l("Stellen"),
    "venue_id": _l("Neuer Veranstaltungsort Nr."),
    "waiting": _l("Auf der Warteliste"),
    "walk_in": _l("Ohne Anmeldung vor Ort"),
    "was_published": _l("War veröffentlicht"),
    "was_waiting": _l("War auf der Warteliste"),
    "with_invite": _l("Mit Einladung"),
}

# A change that keeps the value before beside the value after: (key of the new value, key of the old one).
PAIRS = (("companions", "before"),)

# The names of changed fields (``changes["fields"]``); ``pending:<name>`` is a company's edit that waits for review.
FIELDS: dict[str, Label] = {
    "capacity": _l("Plätze"),
    "city": _l("Wohnort der Person"),
    "contact_email": _l("E-Mail-Adresse der Ansprechperson"),
    "contact_name": _l("Name der Ansprechperson"),
    "contact_phone": _l("Telefon der Ansprechperson"),
    "country": _l("Land"),
    "description": _l("Beschreibung"),
    "first_name": _l("Vorname"),
    "last_name": _l("Nachname"),
    "latitude": _l("Breitengrad"),
    "locality": _l("Ort"),
    "longitude": _l("Längengrad"),
    "name": _l("Name"),
    "contact_user_id": _l("Ansprechperson"),
    "outcome": _l("Ergebnis"),
    "status": _l("Status"),
    "page_childcare": _l("Text zur Kinderbetreuung"),
    "page_housing": _l("Text zum Wohnen"),
    "page_intro": _l("Einleitung"),
    "page_leisure": _l("Text zur Freizeit"),
    "page_work": _l("Text zur Arbeit"),
    "phone": _l("Telefon"),
    "postal_code": _l("Postleitzahl"),
    "registration_closes_at": _l("Ende der Anmeldung"),
    "registration_opens_at": _l("Beginn der Anmeldung"),
    "sector_code": _l("Branche"),
    "series_id": _l("Veranstaltungsreihe"),
    "size_band": _l("Größe"),
    "street": _l("Straße"),
    "summary": _l("Kurzbeschreibung"),
    "title": _l("Titel"),
    "town_id": _l("Stadt"),
    "website": _l("Website"),
}

VALUES: dict[str, Label] = {
    "accepted": _l("angenommen"),
    "admin": _l("Admin"),
    "approved": _l("freigegeben"),
    "assigned": _l("zugeteilt"),
    "cancelled": _l("storniert"),
    "confirmed": _l("bestätigt"),
    "daily": _l("täglich"),
    "declined": _l("abgelehnt"),
    "done": _l("erledigt"),
    "draft": _l("Entwurf"),
    "due": _l("fällig"),
    "employer": _l("Arbeitgeberkonto"),
    "employer_pool": _l("Talentpool"),
    "erasure": _l("Löschung"),
    "expired": _l("abgelaufen"),
    "filled": _l("besetzt"),
    "job_alerts": _l("Stellenhinweise"),
    "news": _l("Neuigkeiten"),
    "online": _l("online"),
    "open": _l("offen"),
    "oral": _l("mündlich"),
    "organizer": _l("Organisator/in"),
    "paper": _l("auf Papier"),
    "participation": _l("Teilnahme"),
    "pending": _l("in Prüfung"),
    "published": _l("veröffentlicht"),
    "requested": _l("angefragt"),
    "submitted": _l("eingereicht"),
    "unconfirmed": _l("unbestätigt"),
    "waiting": _l("auf der Warteliste"),
    "weekly": _l("wöchentlich"),
    "withdrawn": _l("zurückgezogen"),
}


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


def value_text(value: Any) -> str:
    """One value of a change in the reader's words: yes or no, a labelled state, a list or a mapping as text."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nein"))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) if value else "–"
    if isinstance(value, dict):
        return ", ".join(f"{change_key_label(key)}: {value_text(item)}" for key, item in sorted(value.items())) or "–"
    label = VALUES.get(value) if isinstance(value, str) else None
    return str(label) if label is not None else str(value)


def change_key_label(key: str) -> str:
    """The name of a change in the reader's language, or the name itself."""
    label = CHANGE_KEYS.get(key)
    return str(label) if label is not None else str(key)


def field_label(name: object) -> str:
    """A changed field's name in the reader's language (a company's edit waiting for review says so)."""
    text = str(name)
    pending = text.startswith("pending:")
    text = text.removeprefix("pending:")
    label = FIELDS.get(text)
    shown = str(label) if label is not None else text
    return str(_("%(field)s (zur Prüfung)", field=shown)) if pending else shown


def change_lines(changes: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The changes as (what, how) lines, in a fixed order; a value kept from before reads ``old → new``."""
    if not changes:
        return []
    changes = dict(changes)
    lines: list[tuple[str, str]] = []
    for new, old in PAIRS:
        if new in changes and old in changes:
            before, after = changes.pop(old), changes.pop(new)
            lines.append((change_key_label(new), f"{value_text(before)} → {value_text(after)}"))
    for key, value in sorted(changes.items(), key=lambda item: change_key_label(item[0]).casefold()):
        text = ", ".join(map(field_label, value)) if key == "fields" and isinstance(value, list) else value_text(value)
        lines.append((change_key_label(key), text or "–"))
    return lines
