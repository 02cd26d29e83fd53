"""The registration list (search, filters that include or exclude, sorting, pages), one person's page, walk-ins,
cancelling and moving up, and the mails to the attendees with their preview, test mail and batches."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.accounts.models import User
from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.places.models import Town
from rueckkehr.registrations.mailings import send_mailing_batches
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.links import manage_url
from rueckkehr.returnees.models import Consent, ConsentMethod, ReturneeProfile
from rueckkehr.returnees.operations import ProfileData, update_profile
from tests.support.pages import form_value, visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed, start_writing
from tests.support.waiting import wait_until

PEOPLE = [
    # last name, hometown slug, occupation group, level, interests, status, language
    ("Albrecht", "senftenberg", "81", 2, ["housing"], RegistrationStatus.CONFIRMED, "de"),
    ("Bauer", "finsterwalde", "43", 3, ["advice"], RegistrationStatus.CONFIRMED, "en"),
    ("Conrad", "senftenberg", "43", 2, ["advice", "childcare"], RegistrationStatus.WAITING, "de"),
    ("Dietrich", None, "26", 1, [], RegistrationStatus.UNCONFIRMED, "de"),
    ("Engel", "lauchhammer", "81", 4, ["partner_job"], RegistrationStatus.CANCELLED, "de"),
]


def fill(event: Event, towns: dict[str, Town]) -> dict[str, Registration]:
    start_writing()
    made = {}
    for number, (last, hometown, group, level, interests, status, language) in enumerate(PEOPLE):
        profile = ReturneeProfile(
            email=f"{last.lower()}@example.org",
            first_name="Kim",
            last_name=last,
            postal_code="0150",
            city="Oslo",
            country="NO",
            hometown=towns[hometown] if hometown else None,
            occupation_group_code=group,
            skill_level=level,
            interests=interests,
            language=language,
            confirmed_at=datetime.now(UTC),
        )
        registration = Registration(
            profile=profile,
            event_id=event.id,
            status=status,
            waitlist_position=number if status == "waiting" else None,
            confirmed_at=None if status == RegistrationStatus.UNCONFIRMED else datetime.now(UTC),
            created_at=datetime.now(UTC) - timedelta(days=10 - number),
        )
        db.session.add(registration)
        made[last] = registration
    db.session.commit()
    return made


def add_confirmed(event: Event, last_names: list[str]) -> None:
    """A confirmed registration of a Kim of each last name."""
    start_writing()
    for number, last in enumerate(last_names):
        profile = ReturneeProfile(
            email=f"p{number:03}@example.org",
            first_name="Kim",
            last_name=last,
            postal_code="01968",
            city="Senftenberg",
            country="DE",
        )
        db.session.add(Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED))
    db.session.commit()


def names(response: object) -> list[str]:
    return re.findall(r">([A-Z][a-z]+), Kim<", response.get_data(as_text=True))  # type: ignore[attr-defined]


def test_search_filters_that_include_or_exclude_and_sorting(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, town: Callable
) -> None:
    event = make_event()
    fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    staff_login(client, make_staff())
    base = f"/organizer/events/{event.id}/registrations"
    assert names(client.get(base)) == ["Albrecht", "Bauer", "Conrad", "Dietrich", "Engel"]
    assert names(client.get(f"{base}?sort=-name")) == ["Engel", "Dietrich", "Conrad", "Bauer", "Albrecht"]
    assert names(client.get(f"{base}?hometown=senftenberg")) == ["Albrecht", "Conrad"]
    assert names(client.get(f"{base}?hometown=senftenberg&hometown_op=not")) == ["Bauer", "Dietrich", "Engel"]
    assert names(client.get(f"{base}?status=confirmed")) == ["Albrecht", "Bauer"]
    assert names(client.get(f"{base}?status=cancelled&status_op=not&field=43")) == ["Bauer", "Conrad"]
    assert names(client.get(f"{base}?level=2")) == ["Albrecht", "Conrad"]
    assert names(client.get(f"{base}?interest=advice")) == ["Bauer", "Conrad"]
    assert names(client.get(f"{base}?interest=advice&interest_op=not")) == ["Albrecht", "Dietrich", "Engel"]
    assert names(client.get(f"{base}?q=ALBR")) == ["Albrecht"]
    assert names(client.get(f"{base}?q=%25")) == []  # a percent sign is a character, not a wildcard
    page = client.get(f"{base}?hometown=senftenberg&hometown_op=not")
    assert "3 Anmeldungen" in visible_text(page)
    assert re.search(r'<option value="not" selected>', page.get_data(as_text=True))  # the filter stays chosen
    everyone = ["Albrecht", "Bauer", "Conrad", "Dietrich", "Engel"]
    for odd in ("field=99", "level=abc", "interest=flying", "hometown=atlantis", "level=2x&field=43"):
        expected = ["Bauer", "Conrad"] if odd.endswith("field=43") else everyone  # not "any" matching nobody
        assert names(client.get(f"{base}?{odd}")) == expected, odd


def test_names_sort_as_german_lists_do_and_a_renamed_person_moves(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    """Case and accents do not count (DIN 5007): "Özdemir" and "Ørsted" stand among the O's, not after the Z's."""
    event = make_event()
    add_confirmed(event, ["Zander", "Özdemir", "ostermann", "Peters", "Ärmel", "Ørsted"])
    staff_login(client, make_staff())
    base = f"/organizer/events/{event.id}/registrations"

    def listed(path: str) -> list[str]:
        return re.findall(r">([^<>,]+), Kim<", client.get(path).get_data(as_text=True))

    assert listed(base) == ["Ärmel", "Ørsted", "ostermann", "Özdemir", "Peters", "Zander"]
    assert listed(f"{base}?sort=-name") == ["Zander", "Peters", "Özdemir", "ostermann", "Ørsted", "Ärmel"]
    profile = db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.last_name == "Zander")).one()
    data = ProfileData(first_name="Kim", last_name="Adler", postal_code="0150", city="Oslo", country="NO")
    committed(update_profile, profile, data, "de")  # what the self-service page and a confirmed registration do
    assert listed(base) == ["Adler", "Ärmel", "Ørsted", "ostermann", "Özdemir", "Peters"]


def test_a_list_asked_in_english_links_each_person_to_their_page_in_english(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, town: Callable
) -> None:
    event = make_event()
    made = fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    staff_login(client, make_staff())
    html = client.get(f"/organizer/events/{event.id}/registrations?lang=en").get_data(as_text=True)
    person = f"/organizer/events/{event.id}/registrations/{made['Albrecht'].id}?lang=en"
    assert f'href="{person}"' in html  # not the list's address with the id after its query
    assert "Consents" in visible_text(client.get(person))


def test_the_organizer_reads_a_persons_place_of_residence_where_the_returnee_was_asked_for_their_town(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, town: Callable
) -> None:
    event = make_event()
    made = fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    asked = visible_text(client.get(f"/events/{event.id}/register?lang=en"))
    assert "Town where you live" in asked
    staff_login(client, make_staff())
    for path in (f"/organizer/events/{event.id}/registrations", f"/organizer/events/{event.id}/registrations/"
                 f"{made['Albrecht'].id}", f"/organizer/events/{event.id}/registrations/walk-in"):  # fmt: skip
        shown = visible_text(client.get(f"{path}?lang=en"))
        assert "Place of residence" in shown and "Town where you live" not in shown, path


def test_pages_of_fifty(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event(capacity=200)
    add_confirmed(event, [f"Name{number:03}" for number in range(120)])
    staff_login(client, make_staff())
    base = f"/organizer/events/{event.id}/registrations"
    first = client.get(base).get_data(as_text=True)
    assert first.count("Name0") == 50 and "Seite 1 von 3" in first
    last = client.get(f"{base}?page=3").get_data(as_text=True)
    assert "Name119" in last and "Name099" not in last
    assert "Name119" in client.get(f"{base}?page=99").get_data(as_text=True)  # beyond the end: the last page
    assert "Name119" in client.get(f"{base}?page=99999999999999999999999").get_data(as_text=True)  # far beyond
    searched = client.get(f"{base}?q=name1&page=99")  # a filter that reads the people, beyond its last page
    found = re.findall(r">(Name\d+), Kim<", searched.get_data(as_text=True))
    assert found == [f"Name{number}" for number in range(100, 120)] and "20 Anmeldungen" in visible_text(searched)
    nothing = client.get(f"{base}?q=niemand&page=3")
    assert "0 Anmeldungen" in visible_text(nothing) and "Name0" not in nothing.get_data(as_text=True)


def test_the_list_of_a_whole_series_with_its_filters(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_series: Callable,
    town: Callable,
) -> None:
    towns = {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")}
    series = make_series("Rückkehrertage 2027")
    first = make_event(series=series, title="Tag im Sommer")
    second = make_event(series=series, title="Tag im Winter", starts_at=first.starts_at + timedelta(days=30))
    elsewhere = make_event(title="Tag ohne Reihe")
    made = fill(first, towns)
    start_writing()
    for last, event in (("Friedrich", second), ("Gerber", elsewhere)):
        profile = ReturneeProfile(
            email=f"{last.lower()}@example.org", first_name="Kim", last_name=last, postal_code="0150", city="Oslo",
            country="NO", hometown=towns["senftenberg"], confirmed_at=datetime.now(UTC),
        )  # fmt: skip
        db.session.add(Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    staff_login(client, make_staff())
    series_page = client.get(f"/organizer/series/{series.id}")
    path = f"/organizer/series/{series.id}/registrations"
    assert f'href="{path}"' in series_page.get_data(as_text=True)  # reachable from the series

    page = client.get(path)
    assert names(page) == ["Albrecht", "Bauer", "Conrad", "Dietrich", "Engel", "Friedrich"]
    text = visible_text(page)
    assert "6 Anmeldungen" in text and "Aus 2 Veranstaltungen in Ihren Städten." in text
    assert "Tag im Sommer" in text and "Tag im Winter" in text and "Gerber" not in text
    html = page.get_data(as_text=True)
    assert f'href="/organizer/events/{first.id}/registrations/{made["Albrecht"].id}"' in html
    assert names(client.get(f"{path}?hometown=senftenberg&hometown_op=not")) == ["Bauer", "Dietrich", "Engel"]
    assert names(client.get(f"{path}?hometown=senftenberg&status=confirmed")) == ["Albrecht", "Friedrich"]
    assert names(client.get(f"{path}?sort=-registered&q=Oslo&status=waiting&status_op=not")) == [
        "Friedrich", "Engel", "Dietrich", "Bauer", "Albrecht",
    ]  # fmt: skip


def test_a_person_page_shows_consents_and_mail_subjects_but_no_body(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    submit: Callable,
    make_event: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event()
    assert submit(event.id).status_code == 303
    smtp.wait_for(1)
    db.session.rollback()
    registration = db.session.scalar(select(Registration))
    staff_login(client, make_staff())
    page = client.get(f"/organizer/events/{event.id}/registrations/{registration.id}")
    text = visible_text(page)
    assert "Jana Müller" in text and "Bitte bestätigen" in text
    assert "/confirm/" not in page.get_data(as_text=True)  # never a live link from a mail
    assert "Noch keine (die Adresse ist nicht bestätigt)." in text


def test_walk_ins_with_and_without_an_address(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event(capacity=0)
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/registrations/walk-in"
    data = {
        "first_name": "Willi",
        "last_name": "Walk",
        "email": "",
        "postal_code": "01968",
        "city": "Senftenberg",
        "country": "DE",
        "companions": "1",
    }
    missing = client.post(path, data=data)
    assert missing.status_code == 422 and "Bitte geben Sie an, wie eingewilligt wurde." in visible_text(missing)
    assert client.post(path, data={**data, "consent_method": "paper"}).status_code == 303
    assert (
        client.post(
            path, data={**data, "first_name": "Wanda", "email": "wanda@example.org", "consent_method": "oral"}
        ).status_code
        == 303
    )
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["wanda@example.org"] and "/me/" in mail.text_body()
    db.session.rollback()
    walk_ins = list(db.session.scalars(select(Registration).where(Registration.walk_in.is_(True))))
    assert [r.status for r in walk_ins] == [RegistrationStatus.CONFIRMED] * 2  # seated although it was full
    assert {c.method for c in db.session.scalars(select(Consent))} == {ConsentMethod.PAPER, ConsentMethod.ORAL}
    assert db.session.scalar(select(ReturneeProfile).where(ReturneeProfile.first_name == "Willi")).email is None
    again = client.post(path, data={**data, "email": "wanda@example.org", "consent_method": "oral"})
    assert again.status_code == 422 and "schon eine Anmeldung" in visible_text(again)


def test_cancel_and_move_up(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    towns = {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")}
    full = make_event(capacity=3)  # two confirmed and one unconfirmed hold all three seats
    people = fill(full, towns)
    staff_login(client, make_staff())
    base = f"/organizer/events/{full.id}/registrations"
    refused = client.post(f"{base}/{people['Conrad'].id}/move-up", follow_redirects=True)
    assert "nicht genug Plätze frei" in visible_text(refused)
    db.session.rollback()
    assert db.session.get(Registration, people["Conrad"].id).status == RegistrationStatus.WAITING

    person = client.get(f"{base}/{people['Albrecht'].id}").get_data(as_text=True)
    assert f'href="{base}/{people["Albrecht"].id}/cancel"' in person  # a question first, not the act
    asked = visible_text(client.get(f"{base}/{people['Albrecht'].id}/cancel"))
    assert "Die Anmeldung von Kim Albrecht zu Rückkehrertag Senftenberg wird storniert." in asked
    assert "Die Person erhält eine E-Mail darüber" in asked and "Nein, Anmeldung behalten" in asked
    english = visible_text(client.get(f"{base}/{people['Albrecht'].id}/cancel?lang=en"))
    assert "Yes, cancel the registration" in english and "No, keep the registration" in english
    db.session.rollback()
    assert db.session.get(Registration, people["Albrecht"].id).status == RegistrationStatus.CONFIRMED  # asked only
    client.post(f"{base}/{people['Albrecht'].id}/cancel")  # frees a seat: Conrad moves up by themselves
    db.session.rollback()
    assert db.session.get(Registration, people["Albrecht"].id).status == RegistrationStatus.CANCELLED
    assert db.session.get(Registration, people["Conrad"].id).status == RegistrationStatus.CONFIRMED
    assert {mail.envelope_to[0] for mail in smtp.wait_for(2)} == {"albrecht@example.org", "conrad@example.org"}
    again = client.post(f"{base}/{people['Albrecht'].id}/cancel", follow_redirects=True)  # a page from before
    assert "lässt sich nicht mehr stornieren; niemand wurde benachrichtigt" in visible_text(again)
    assert len(smtp.wait_for(2)) == 2


def test_moving_up_out_of_turn_when_seats_are_free(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event(capacity=4)
    people = fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    staff_login(client, make_staff())
    moved = client.post(
        f"/organizer/events/{event.id}/registrations/{people['Conrad'].id}/move-up", follow_redirects=True
    )
    assert "Die Person hat einen Platz und ist benachrichtigt." in visible_text(moved)
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["conrad@example.org"]


def test_a_mail_to_the_attendees_preview_test_mail_and_batches(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event()
    fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    organizer = make_staff(email="orga@senftenberg.example")
    staff_login(client, organizer)
    path = f"/organizer/events/{event.id}/mail"
    form = {
        "audience": "all",
        "subject_de": "Parken am Rathaus",
        "body_de": "Bitte parken Sie am Markt.\n\nDanke!",
        "subject_en": "Parking",
        "body_en": "Please park at the market square.",
    }
    page = client.get(path)
    assert "alle mit bestätigter Adresse (Plätze und Warteliste) (3)" in visible_text(page)
    preview = client.post(path, data={**form, "step": "preview"})
    text = visible_text(preview)
    assert "Guten Tag Vorname Nachname" in text and "Please park at the market square." in text
    assert "Jetzt senden" in text
    token = form_value(client.post(path, data={**form, "step": "test"}), "preview_token")
    tests = smtp.wait_for(2)
    german_test = next(mail for mail in tests if str(mail.message["Subject"]) == "Parken am Rathaus")
    closing = next(line for line in german_test.text_body().splitlines() if line.startswith("Ihr Team der "))
    assert closing.startswith("Ihr Team der Rückkehrertage in "), closing
    assert closing in text, "the preview closes as the mail that is sent"
    assert {mail.envelope_to[0] for mail in tests} == {"orga@senftenberg.example"}
    assert all("/me/" not in mail.text_body() for mail in tests)
    smtp.clear()

    app.config["MAILING_BATCH_SIZE"] = 2
    assert client.post(path, data={**form, "step": "send", "preview_token": token}).status_code == 303
    assert committed(send_mailing_batches) == 2
    assert committed(send_mailing_batches) == 1
    assert committed(send_mailing_batches) == 0
    mails = {mail.envelope_to[0]: mail for mail in smtp.wait_for(3)}
    assert set(mails) == {"albrecht@example.org", "bauer@example.org", "conrad@example.org"}
    assert str(mails["bauer@example.org"].message["Subject"]) == "Parking"  # chose English
    assert "Please park" in mails["bauer@example.org"].text_body()
    assert "Bitte parken Sie am Markt." in mails["albrecht@example.org"].text_body()
    assert all("/me/" in mail.text_body() for mail in mails.values())
    assert "3 von 3 verschickt" in visible_text(client.get(path))
    db.session.rollback()
    kinds = {row.kind for row in db.session.scalars(select(OutboxMessage))}
    assert "registration.message" in kinds


def test_every_attendee_mail_carries_its_own_link_and_a_refused_one_is_listed_and_sent_again(
    client: FlaskClient,
    app: Flask,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    town: Callable,
    smtp: SMTPServer,
) -> None:
    event = make_event()
    fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    smtp.refused.add("bauer@example.org")  # "550 No such user": a misspelt address
    staff_login(client, make_staff(email="orga@senftenberg.example"))
    path, form = (
        f"/organizer/events/{event.id}/mail",
        {"audience": "all", "subject_de": "Parken", "body_de": "Bitte am Markt parken."},
    )
    token = form_value(client.post(path, data={**form, "step": "preview"}), "preview_token")
    assert client.post(path, data={**form, "step": "send", "preview_token": token}).status_code == 303
    assert committed(send_mailing_batches) == 3
    mails = {mail.envelope_to[0]: mail for mail in smtp.wait_for(2)}
    assert set(mails) == {"albrecht@example.org", "conrad@example.org"}
    assert len({mail.peer for mail in mails.values()}) == 1  # one connection, the refused address included
    db.session.rollback()
    links = {}
    for address, mail in mails.items():
        profile = db.session.scalar(select(ReturneeProfile).where(ReturneeProfile.email == address))
        link = manage_url(profile)
        assert link in mail.text_body() and f'href="{link}"' in mail.html_body(), address  # each its own link
        links[address] = link
    assert links["albrecht@example.org"] != links["conrad@example.org"]

    refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "bauer@example.org"))
    assert refused.status == OutboxStatus.FAILED and refused.attempts == 1  # failed at once, not in 17 hours
    page = visible_text(client.get("/organizer/mails"))
    assert "bauer@example.org" in page and "No such user here" in page and "Parken" in page
    assert "1 E-Mail konnte nicht zugestellt werden." in visible_text(client.get("/organizer"))

    smtp.refused.clear()  # the address works again (the mail server's fault, or the person's mailbox is back)
    assert client.post(f"/organizer/mails/{refused.id}/retry").status_code == 303
    [again] = [mail for mail in smtp.wait_for(3) if mail.envelope_to == ["bauer@example.org"]]
    bauer = db.session.scalar(select(ReturneeProfile).where(ReturneeProfile.email == "bauer@example.org"))
    assert manage_url(bauer) in again.text_body()
    wait_until(lambda: db.session.get(OutboxMessage, refused.id).status == OutboxStatus.SENT)
    assert "Keine fehlgeschlagenen E-Mails." in visible_text(client.get("/organizer/mails"))


def test_sorted_by_state_each_state_lists_its_people_by_name(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    event = make_event()
    add_confirmed(event, ["Zander", "Adler", "Meyer"])
    staff_login(client, make_staff())
    assert names(client.get(f"/organizer/events/{event.id}/registrations?sort=status")) == ["Adler", "Meyer", "Zander"]


def test_cancelling_a_walk_in_without_an_address_says_no_mail_tells_them(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, smtp: SMTPServer
) -> None:
    event = make_event()
    start_writing()
    profile = ReturneeProfile(email=None, first_name="Kim", last_name="Ohnepost", postal_code="01968",
                              city="Senftenberg", country="DE")  # fmt: skip
    registration = Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED, walk_in=True)
    db.session.add(registration)
    db.session.commit()
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/registrations/{registration.id}/cancel"
    assert "Die Person hat keine E-Mail-Adresse und erfährt es nicht." in visible_text(client.get(path))
    done = visible_text(client.post(path, follow_redirects=True))
    assert "Die Anmeldung ist storniert. Die Person hat keine E-Mail-Adresse und erfährt es nicht." in done
    assert smtp.wait_for(0) == []


def test_what_a_returnee_typed_is_shown_as_text_in_the_list(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable
) -> None:
    """Names, places and a hometown outside the region reach the list's cells as text, never as markup (the row's
    values are escaped a cell at a time)."""
    event = make_event()
    start_writing()
    profile = ReturneeProfile(
        email="typed@example.org",
        first_name='Kim"><b>',
        last_name="<script>alert(1)</script>",
        postal_code="01968 & Co",
        city="<i>Oslo</i>",
        country="NO",
        hometown_other="Ruhland <img src=x onerror=alert(2)>",
    )
    db.session.add(Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    staff_login(client, make_staff())
    html = client.get(f"/organizer/events/{event.id}/registrations").get_data(as_text=True)
    row = re.search(r'<tbody class="kern-table__body">(.*?)</tbody>', html, re.S)
    assert row is not None
    cells = row[1]
    assert "<script>" not in cells and "<b>" not in cells and "<i>" not in cells and "<img" not in cells
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, Kim&#34;&gt;&lt;b&gt;</a>" in cells
    assert "01968 &amp; Co &lt;i&gt;Oslo&lt;/i&gt; (NO)" in cells
    assert "Ruhland &lt;img src=x onerror=alert(2)&gt;" in cells


def test_a_persons_page_shows_only_the_consents_and_mails_of_the_readers_towns(
    client: FlaskClient,
    make_staff: Callable[..., User],
    staff_login: Callable,
    make_event: Callable,
    make_venue: Callable,
    town: Callable,
) -> None:
    """Someone registered in Finsterwalde and, at the door, in Senftenberg: each town's organizer reads on the
    person's page the consents and mails of their own town's day (and the region's optional consents), never the
    other town's; an admin reads all."""
    from rueckkehr.accounts.models import Role
    from rueckkehr.returnees.models import ConsentPurpose

    finsterwalde = town("finsterwalde")
    days = {
        "senftenberg": make_event(title="Tag Senftenberg"),
        "finsterwalde": make_event(title="Tag Finsterwalde", venue=make_venue(town=finsterwalde, name="Aula")),
    }
    start_writing()
    profile = ReturneeProfile(email="paul@example.org", first_name="Paul", last_name="Wolf", postal_code="0150",
                              city="Oslo", country="NO", confirmed_at=datetime.now(UTC))  # fmt: skip
    seats = {}
    for slug, event in days.items():
        seats[slug] = Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED)
        db.session.add(seats[slug])
    db.session.flush()
    given = {
        "senftenberg": datetime(2026, 11, 2, 12, tzinfo=UTC),
        "finsterwalde": datetime(2026, 10, 5, 12, tzinfo=UTC),
    }
    for slug, seat in seats.items():
        method = ConsentMethod.PAPER if slug == "senftenberg" else ConsentMethod.ONLINE
        db.session.add(Consent(profile=profile, registration_id=seat.id, purpose=ConsentPurpose.PARTICIPATION,
                               method=method, text_version=f"text-{slug}", given_at=given[slug]))  # fmt: skip
        db.session.add(OutboxMessage(kind="test", recipient="paul@example.org", subject=f"Hinweis aus {slug}",
                                     message_id=f"<{slug}@test>", raw=b"x", status=OutboxStatus.SENT,
                                     town_id=days[slug].venue.town_id, profile_id=profile.id))  # fmt: skip
    db.session.add(Consent(profile=profile, purpose=ConsentPurpose.NEWS, text_version="text-news"))
    db.session.commit()
    readers = {
        "senftenberg": make_staff(),
        "finsterwalde": make_staff(towns=[finsterwalde], email="orga@finsterwalde.example"),
    }
    for slug, reader in readers.items():
        other = "finsterwalde" if slug == "senftenberg" else "senftenberg"
        staff_login(client, reader)
        shown = visible_text(client.get(f"/organizer/events/{days[slug].id}/registrations/{seats[slug].id}"))
        assert f"text-{slug}" in shown and f"Hinweis aus {slug}" in shown, shown
        assert "text-news" in shown  # the region's own consents
        assert f"text-{other}" not in shown and f"Hinweis aus {other}" not in shown, shown
        client.post("/logout")
    staff_login(client, make_staff(role=Role.ADMIN, email="admin@rwk.example"))
    shown = visible_text(
        client.get(f"/organizer/events/{days['senftenberg'].id}/registrations/{seats['senftenberg'].id}")
    )
    assert all(f"text-{slug}" in shown and f"Hinweis aus {slug}" in shown for slug in days), shown


def test_a_waiting_persons_page_names_the_waiting_list_once(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable, town: Callable
) -> None:
    event = make_event()
    made = fill(event, {slug: town(slug) for slug in ("senftenberg", "finsterwalde", "lauchhammer")})
    staff_login(client, make_staff())
    path = f"/organizer/events/{event.id}/registrations/{made['Conrad'].id}"
    german = visible_text(client.get(path))
    assert "Warteliste Platz 1 E-Mail-Adresse" in german, german[german.find("Anmeldungen:") :][:300]
    shown = visible_text(client.get(f"{path}?lang=en"))
    assert "Waiting list Place 1 E-mail address" in shown, shown[shown.find("Registrations:") :][:300]
