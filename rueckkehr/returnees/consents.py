"""The consent texts, each with a version; a changed text gets a new version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ConsentPurpose

CONSENT_VERSION = "2026-11-25"

CONSENT_TEXTS = {
    ConsentPurpose.PARTICIPATION: _l(
        "Ich melde mich zu dieser Veranstaltung an und willige ein, dass meine Angaben dafür verarbeitet werden: "
        "zur Organisation, für E-Mails zu meiner Anmeldung und zur Einlasskontrolle. Meine Daten werden nach der "
        "Veranstaltung gelöscht, wenn ich nicht in weitere Zwecke einwillige."
    ),
    ConsentPurpose.JOB_ALERTS: _l(
        "Ich möchte E-Mails mit Stellenangeboten aus der Region erhalten, die zu meinem Berufsfeld passen. "
        "Abmelden kann ich mich jederzeit über den Link in jeder E-Mail."
    ),
    ConsentPurpose.EMPLOYER_POOL: _l(
        "Arbeitgeber der Region dürfen mein Profil ohne Namen und Kontaktdaten finden (Berufsfeld, Niveau, "
        "Wunschorte, frühester Rückkehrtermin). Kontakt entsteht nur, wenn ich zustimme."
    ),
    ConsentPurpose.NEWS: _l("Ich möchte über künftige Rückkehrertage per E-Mail informiert werden."),
}
