"""The audit trail on screen reads as plain words for the towns' staff, in German and English: what happened, to
which object, what changed; raw names are left only for what has no label, and odd filters never break the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.audit.labels import VERBS, change_key_label, field_label
from rueckkehr.audit.models import AuditEntry
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.jobs.registry import registered_jobs
from rueckkehr.registrations.listing import FILTER_FIELDS
from tests.support.audit_scan import written_change_keys, written_field_names
from tests.support.pages import table_column, visible_text
from tests.support.units import start_writing


@pytest.fixture
def trail(town: Callable, make_event: Callable[..., Event]) -> Event:
    """A few entries of Senftenberg, of the kinds the trail holds; returns the event they name."""
    event = make_event(title="Rückkehrertag Senftenberg")
    senftenberg = town("senftenberg").id
    start_writing()
    rows = [
        ("registration.confirmed", "registration", 42, {"event_id": event.id, "status": "confirmed", "companions": 0}),
        ("event.published", "event", event.id, {}),
        ("registration.companions_changed", "registration", 43, {"event_id": event.id, "status": "confirmed",
                                                                 "companions": 2, "before": 1}),
        ("event.updated", "event", event.id, {"fields": ["title", "capacity"], "capacity": 80}),
        ("pool.digests_sent", "none", None, {"mails": 3}),
        ("test.something_new", "mystery_thing", 5, {"odd_key": True}),
    ]  # fmt: skip
    for minute, (verb, object_type, object_id, changes) in enumerate(rows):
        db.session.add(
            AuditEntry(actor_kind="system", actor_label="job x", verb=verb, object_type=object_type,
                       object_id=object_id, town_id=senftenberg, changes=changes,
                       created_at=datetime(2026, 12, 2, 9, minute, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()
    return event


SOURCE = Path(__file__).parents[2] / "rueckkehr"


def cells(page: str, column: int) -> list[str]:
    """The visible text of one column of the entries' table."""
    return table_column(page, column)


def test_verbs_objects_and_changes_read_as_words_in_german_and_english(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, trail: Event
) -> None:
    staff_login(client, make_staff())
    german = client.get("/organizer/audit").get_data(as_text=True)
    verbs, objects, changes = cells(german, 2), cells(german, 3), cells(german, 4)
    assert "Anmeldung bestätigt" in verbs and "Veranstaltung veröffentlicht" in verbs
    assert "test.something_new" in verbs  # no label: the verb as it is, not an error
    assert "Anmeldung Nr. 42" in objects
    assert "Veranstaltung „Rückkehrertag Senftenberg“" in objects  # its title, not its number
    assert "" in objects  # a round of mails names no object, and no "none"
    assert "mystery_thing Nr. 5" in objects
    assert not any("registration" in text or "none" in text for text in objects + verbs[1:])
    assert "Begleitpersonen: 1 → 2" in changes[3]  # newest first: the change with a value from before
    assert "Status: bestätigt" in changes[3]
    assert "Geänderte Felder: Titel, Plätze" in changes[2]
    assert "odd_key: ja" in changes[0]
    assert not any("{" in text or '"' in text for text in changes)  # no JSON

    english = client.get("/organizer/audit?lang=en").get_data(as_text=True)
    verbs, objects, changes = cells(english, 2), cells(english, 3), cells(english, 4)
    assert "Registration confirmed" in verbs and "Event published" in verbs
    assert "Registration no. 42" in objects and "Event “Rückkehrertag Senftenberg”" in objects
    assert "Companions: 1 → 2" in changes[3] and "Status: confirmed" in changes[3]
    assert "Changed fields: Title, Places" in changes[2]


def test_the_filters_offer_labels_and_odd_values_never_break_the_page(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, trail: Event
) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    page = client.get("/organizer/audit").get_data(as_text=True)
    types = re.search(r'<select[^>]*id="object_type"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', types))
    assert options["registration"] == "Anmeldung" and options["event"] == "Veranstaltung"
    assert "none" not in options and "none" not in options.values()
    english = client.get("/organizer/audit?lang=en").get_data(as_text=True)
    verbs = re.search(r'<select[^>]*id="verb"[^>]*>(.*?)</select>', english, re.S).group(1)
    assert '<option value="registration.confirmed">Registration confirmed</option>' in verbs
    assert '<option value="registration.">Registrations' in verbs or 'value="registration."' in verbs

    by_type = cells(client.get("/organizer/audit?object_type=registration").get_data(as_text=True), 2)
    assert by_type and all(verb.startswith("Anmeldung") or verb == "Begleitpersonen geändert" for verb in by_type)
    by_group = cells(client.get("/organizer/audit?verb=event.").get_data(as_text=True), 2)
    assert sorted(by_group) == ["Veranstaltung geändert", "Veranstaltung veröffentlicht"]
    chosen = client.get("/organizer/audit?verb=registration.confirmed").get_data(as_text=True)
    assert '<option value="registration.confirmed" selected>' in chosen
    assert cells(chosen, 2) == ["Anmeldung bestätigt"]
    typed = client.get("/organizer/audit?verb=regis").get_data(as_text=True)  # an older link's prefix still works
    assert '<option value="regis" selected>regis</option>' in typed and len(cells(typed, 2)) == 2
    for odd in ("object_type=none", "object_type=%00", "object_type=" + "x" * 500, "verb=%00%00", "verb=<b>",
                "object_type=event&object_id=-1", "person=abc", "page=-3", "verb=" + "ü" * 300):  # fmt: skip
        response = client.get(f"/organizer/audit?{odd}")
        assert response.status_code in (200, 404), odd
    assert "Keine Einträge." in visible_text(client.get("/organizer/audit?verb=%3Cb%3E"))


def test_every_verb_the_code_writes_has_a_label() -> None:
    """A new verb without a label would show staff its raw name: the labels list every verb the code writes."""
    written: set[str] = set()
    calls = re.compile(r'(?:record|_record|record_change|_record_stand)\(\s*"([a-z_]+\.[a-z_]+)"')
    either = re.compile(r'record\(\s*"([a-z_]+\.[a-z_]+)" if [^\n]+ else "([a-z_]+\.[a-z_]+)"')
    assigned = re.compile(r'verb = "([a-z_]+\.[a-z_]+)"')
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written.update(calls.findall(text), assigned.findall(text), *either.findall(text))
    assert len(written) > 80
    assert sorted(written - set(VERBS)) == []


def test_every_change_and_field_the_code_writes_has_a_label() -> None:
    """A change or changed field without a label would show staff its raw name (``programme_shift_minutes: 1440``):
    the labels list every key of ``changes`` the code writes, directly or through a helper that passes its keywords
    on, every key of the export's filters, and every field name that goes into ``changes["fields"]``."""
    keys = written_change_keys()
    assert {"programme_shift_minutes", "partner_list", "kind", "walk_in", "nothing_new", "repeat_of"} <= keys
    keys |= {*FILTER_FIELDS, "sort"}  # an export keeps the registration list's filters
    assert sorted(key for key in keys if change_key_label(key) == key) == []
    assert sorted(key for key in FILTER_FIELDS if change_key_label(f"{key}_op") == f"{key}_op") == []

    names = written_field_names()
    assert {"salutation", "occupation_group_code", "hometown", "language", "page_intro", "outcome", "logo"} <= names
    assert sorted(name for name in names if field_label(name) == name) == []


def test_the_changes_of_a_moved_event_and_an_export_read_as_words(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, trail: Event
) -> None:
    start_writing()
    for minute, (verb, object_type, changes) in enumerate([
        ("event.changed", "event", {"time": True, "venue_id": None, "programme_moved": [7, 8],
                                    "programme_shift_minutes": 1440 + 150}),
        ("event.changed", "event", {"time": True, "venue_id": None, "programme_moved": [],
                                    "programme_shift_minutes": -60}),
        ("export.made", "event", {"format": "csv", "purpose": "participation", "rows": 3,
                                  "columns": ["last_name", "working_times", "partner_skill_level"],
                                  "filters": {"status": "confirmed", "status_op": "not", "sort": "-name"}}),
        ("matching.mailed", "registration", {"kind": "after_confirmation", "vacancies": 2}),
        ("alert_preference.updated", "alert_preference", {"frequency": "weekly", "partner_list": True}),
    ]):  # fmt: skip
        db.session.add(
            AuditEntry(actor_kind="system", actor_label="job x", verb=verb, object_type=object_type, object_id=trail.id,
                       town_id=trail.venue.town_id, changes=changes,
                       created_at=datetime(2026, 12, 3, 9, minute, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()
    staff_login(client, make_staff())
    german = cells(client.get("/organizer/audit").get_data(as_text=True), 4)
    preference, mailed, export, earlier, later = german[:5]
    assert "Verschiebung: 1 Tag 2 Stunden 30 Minuten später" in later
    assert "Mitverschobene Programmpunkte Nr.: 7, 8" in later
    assert "Verschiebung: 1 Stunde früher" in earlier
    assert "Spalten: Nachname, Gewünschte Arbeitszeit, Anforderungsniveau Partner/in" in export
    assert "Status (Bedingung): ausgeschlossen" in export and "Sortierung: Name Z–A" in export
    assert "Art: nach der Bestätigung" in mailed and "Liste für die Partnerin oder den Partner: ja" in preference
    english = cells(client.get("/organizer/audit?lang=en").get_data(as_text=True), 4)
    preference, mailed, export, earlier, later = english[:5]
    assert "Shift: 1 day 2 hours 30 minutes later" in later and "Shift: 1 hour earlier" in earlier
    assert "Columns: Last name, Preferred working time, Partner's skill level" in export
    assert "Type: after confirmation" in mailed and "List for the partner: yes" in preference
    raw = ("programme_", "partner_list", "kind", "after_confirmation", "last_name", "_op", "sort:")
    assert not [text for text in german[:5] + english[:5] if any(name in text for name in raw)]


def test_the_trail_names_an_object_by_its_title_only_to_whom_may_see_it_now(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    town: Callable,
    make_venue: Callable,
    make_event: Callable[..., Event],
    make_employer: Callable,
    make_series: Callable,
) -> None:
    """An object can leave the town its entries were written for (an event moved to another town's venue, a venue
    or a company whose town changed): the trail of Senftenberg then names it by its number, not by its title."""
    senftenberg, schipkau = town("senftenberg"), town("schipkau")
    here = make_event(title="Offener Tag Senftenberg")
    moved = make_event(title="Geheimer Entwurf Schipkau", venue=make_venue(name="Halle Schipkau", town=schipkau))
    venue = moved.venue
    employer = make_employer(name="Schipkauer Werk GmbH", town=schipkau)
    series = make_series(title="Geheime Reihe")
    start_writing()
    rows = [("event", here.id), ("event", moved.id), ("venue", venue.id), ("employer", employer.id),
            ("town", schipkau.id), ("town", senftenberg.id), ("event_series", series.id)]  # fmt: skip
    for minute, (object_type, object_id) in enumerate(rows):
        db.session.add(
            AuditEntry(actor_kind="system", actor_label="job x", verb=f"{object_type}.updated", object_type=object_type,
                       object_id=object_id, town_id=senftenberg.id, changes={},
                       created_at=datetime(2026, 12, 2, 9, minute, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()

    staff_login(client, make_staff())
    assert client.get(f"/organizer/events/{moved.id}").status_code == 404
    page = client.get("/organizer/audit").get_data(as_text=True)
    objects = cells(page, 3)
    assert "Veranstaltung „Offener Tag Senftenberg“" in objects and "Stadt „Senftenberg“" in objects
    assert f"Veranstaltung Nr. {moved.id}" in objects and f"Veranstaltungsort Nr. {venue.id}" in objects
    assert f"Unternehmen Nr. {employer.id}" in objects and f"Stadt Nr. {schipkau.id}" in objects
    assert f"Veranstaltungsreihe Nr. {series.id}" in objects  # a series has no town: titled for admins only
    for secret in ("Geheimer Entwurf", "Halle Schipkau", "Schipkauer Werk", "Geheime Reihe", "Schipkau“"):
        assert secret not in page, secret

    client.post("/logout")
    staff_login(client, make_staff(role=Role.ADMIN))
    objects = cells(client.get("/organizer/audit").get_data(as_text=True), 3)
    assert "Veranstaltung „Geheimer Entwurf Schipkau“" in objects and "Veranstaltungsort „Halle Schipkau“" in objects
    assert "Unternehmen „Schipkauer Werk GmbH“" in objects and "Stadt „Schipkau“" in objects
    assert "Veranstaltungsreihe „Geheime Reihe“" in objects


def test_the_english_trail_speaks_of_vacancies_as_the_employers_mails_do(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, trail: Event
) -> None:
    start_writing()
    for minute, (verb, object_type, object_id, changes) in enumerate([
        ("vacancy.submitted", "vacancy", 9, {"status": "submitted"}),
        ("matching.mailed", "registration", 44, {"kind": "after_confirmation", "vacancies": 2}),
        ("registration.created", "registration", 45, {"event_id": trail.id, "status": "confirmed", "walk_in": True,
                                                      "over_capacity": True}),
        ("returnee_profile.exported", "returnee_profile", 3, {}),
    ]):  # fmt: skip
        db.session.add(
            AuditEntry(actor_kind="system", actor_label="job x", verb=verb, object_type=object_type,
                       object_id=object_id, town_id=trail.venue.town_id, changes=changes,
                       created_at=datetime(2026, 12, 4, 9, minute, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()
    staff_login(client, make_staff())
    english = client.get("/organizer/audit?lang=en").get_data(as_text=True)
    verbs, objects, changes = cells(english, 2)[:4], cells(english, 3)[:4], cells(english, 4)[:4]
    assert verbs == ["Profile data exported", "Registration received", "Matching vacancies sent after confirmation",
                     "Vacancy submitted for review"]  # fmt: skip
    assert objects[3] == "Vacancy no. 9"
    assert "Number of vacancies: 2" in changes[2] and "Type: after confirmation" in changes[2]
    assert "Over capacity: yes" in changes[1]
    verb_filter = re.search(r'<select[^>]*id="verb"[^>]*>(.*?)</select>', english, re.S).group(1)
    assert "Vacancy withdrawn" in verb_filter and not re.search(r">Jobs?\b(?! alert)", verb_filter)


def test_stored_values_and_periodic_jobs_read_as_words(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable, trail: Event
) -> None:
    """An audience, towns by their slugs, an export's sort and the job that acted are shown as the pages name them."""
    start_writing()
    senftenberg = town("senftenberg")
    rows = [
        ("job registrations.mailings", "event_mailing.created", "event_mailing",
         {"event_id": trail.id, "audience": "all", "total": 3}),
        ("job registrations.mailings", "event_mailing.created", "event_mailing",
         {"event_id": trail.id, "audience": "waiting", "total": 1}),
        ("job matching.pool_digests", "user.invited", "user", {"role": "organizer", "towns": ["finsterwalde",
                                                                                          "senftenberg", "gone"]}),
        ("job some.unknown_job", "export.made", "event", {"rows": 2, "filters": {"sort": "-name"}}),
    ]  # fmt: skip
    for minute, (label, verb, object_type, changes) in enumerate(rows):
        db.session.add(
            AuditEntry(actor_kind="system", actor_label=label, verb=verb, object_type=object_type, object_id=7,
                       town_id=senftenberg.id, changes=changes, created_at=datetime(2026, 12, 5, 9, minute, tzinfo=UTC))
        )  # fmt: skip
    db.session.commit()
    staff_login(client, make_staff(role=Role.ADMIN))
    german = client.get("/organizer/audit").get_data(as_text=True)
    who, changes = cells(german, 1)[1:5], cells(german, 4)[1:5]  # after the admin's own log-in, the newest
    assert who[0] == "regelmäßige Aufgabe: some.unknown_job"  # no label: the code name
    assert who[1] == "regelmäßige Aufgabe: Übersichten des Talentpools verschicken"
    assert who[2] == who[3] == "regelmäßige Aufgabe: Mails an Angemeldete versenden"
    assert "Sortierung: Name Z–A" in changes[0]
    assert "Städte: Finsterwalde, Senftenberg, gone" in changes[1]  # a town since removed: its slug
    assert "Empfänger: nur die Warteliste" in changes[2]
    assert "Empfänger: alle mit bestätigter Adresse (Plätze und Warteliste)" in changes[3]

    english = client.get("/organizer/audit?lang=en").get_data(as_text=True)
    who, changes = cells(english, 1)[1:5], cells(english, 4)[1:5]
    assert who[0] == "Scheduled job: some.unknown_job"
    assert who[1] == "Scheduled job: Send the talent pool digests"
    assert who[2] == "Scheduled job: Send messages to attendees"
    assert "Sort by: Name Z–A" in changes[0] and "Towns: Finsterwalde, Senftenberg, gone" in changes[1]
    assert "Recipients: the waiting list only" in changes[2]
    raw = ("-name", "finsterwalde", "registrations.mailings", "pool_digests", ": all", ": waiting")
    assert not [text for text in who + changes for name in raw if name in text]


def test_every_periodic_job_has_a_label_for_the_trail(app: Flask) -> None:
    """A job acts in the trail under its label: every job the app registers has one, in German and English."""
    with app.test_request_context("/?lang=en"):
        jobs = registered_jobs()
        assert len(jobs) > 15
        assert [job.name for job in jobs if job.label is None] == []


def test_an_unreadable_person_narrows_nothing_and_says_so(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, trail: Event
) -> None:
    admin = make_staff(role=Role.ADMIN)
    staff_login(client, admin)
    for odd in ("-1", "abc", "99999999999", "1.5", "%2B5", "²"):
        response = client.get(f"/organizer/audit?person={odd}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, odd
        assert cells(page, 1) == [], odd  # no entry at all, rather than every one
        assert 'id="person-error"' in page and 'aria-invalid="true"' in page, odd
        assert "Bitte wählen Sie eine Person aus der Liste." in visible_text(response)
    odd_number = client.get("/organizer/audit?object_id=²")
    assert odd_number.status_code == 200 and 'id="object_id-error"' in odd_number.get_data(as_text=True)
    english = client.get("/organizer/audit?person=abc&lang=en")
    assert "Please choose a person from the list." in visible_text(english)
    mine = cells(client.get(f"/organizer/audit?person={admin.id}").get_data(as_text=True), 1)
    assert mine and set(mine) == {admin.email}  # the admin's own log-in


def test_an_organizer_is_offered_only_the_object_types_of_their_towns(
    app: Flask, make_staff: Callable[..., User], staff_login: Callable, town: Callable, trail: Event
) -> None:
    start_writing()
    db.session.add(
        AuditEntry(actor_kind="system", actor_label="job x", verb="venue.updated", object_type="venue", object_id=3,
                   town_id=town("schipkau").id, changes={}, created_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    )  # fmt: skip
    db.session.commit()
    organizer, admin = make_staff(), make_staff(role=Role.ADMIN)
    for reader, expected in ((organizer, False), (admin, True)):
        client = app.test_client()
        staff_login(client, reader)
        page = client.get("/organizer/audit").get_data(as_text=True)
        select_html = page[page.index('id="object_type"') : page.index("</select>", page.index('id="object_type"'))]
        options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html))
        assert ("venue" in options) is expected  # Schipkau's venue: only the admin's trail holds it
        assert options["registration"] == "Anmeldung" and "event" in options


def test_log_outs_filed_under_the_proxy_read_and_filter_as_the_account(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, town: Callable
) -> None:
    """Log-outs written before the trail named objects by their class carry ``local_proxy``: they read as the
    account and are found by its filter, and the filter offers no such type."""
    admin = make_staff(role=Role.ADMIN)
    start_writing()
    db.session.add(
        AuditEntry(actor_kind="user", actor_label="admin", actor_user_id=admin.id, verb="user.logged_out",
                   object_type="local_proxy", object_id=admin.id, created_at=datetime(2026, 12, 2, 9, tzinfo=UTC))
    )  # fmt: skip
    db.session.commit()
    staff_login(client, admin)
    page = client.get("/organizer/audit?object_type=user").get_data(as_text=True)
    assert f"Konto Nr. {admin.id}" in cells(page, 3)
    assert "Vom Konto abgemeldet" in cells(page, 2)
    assert 'value="local_proxy"' not in page and "local_proxy" not in visible_text(client.get("/organizer/audit"))
    old_link = client.get("/organizer/audit?object_type=local_proxy").get_data(as_text=True)
    assert '<option value="user" selected>Konto</option>' in old_link  # the filter shows what it narrows by
