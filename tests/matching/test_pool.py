"""The anonymous pool: only consenting returnees and only consented fields, small cells suppressed (by
subtraction too), contact requests limited, screened, answered through the returnee's link, all in the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from rueckkehr.audit.models import AuditEntry
from rueckkehr.extensions import db
from rueckkehr.matching.models import PoolCard
from rueckkehr.matching.pool_operations import sync_pool_cards
from rueckkehr.matching.suppression import suppress
from rueckkehr.returnees.links import manage_token
from rueckkehr.returnees.models import ConsentPurpose
from tests.support.pages import visible_text
from tests.support.registrations import link_in
from tests.support.smtp import SMTPServer
from tests.support.units import committed

POOL = (ConsentPurpose.EMPLOYER_POOL,)


def test_small_cells_are_hidden_and_so_is_what_would_give_them_away() -> None:
    assert suppress({"a": 30, "b": 7}, 37) == {"a": 30, "b": 7}
    assert suppress({"a": 30, "b": 2}, 32) == {"a": None, "b": None}  # 32 − 30 would give the 2 away
    assert suppress({"a": 30, "b": 10, "c": 2}, 42) == {"a": 30, "b": None, "c": None}  # b + c = 12, not each
    assert suppress({"a": 30, "b": 3, "c": 1}, 34) == {"a": None, "b": None, "c": None}  # b + c = 4 is small too
    assert suppress({"a": 30, "b": 2}) == {"a": 30, "b": None}  # no known total: nothing to subtract from
    assert suppress({"a": 30, "b": 8}, 40, unshown=2) == {"a": 30, "b": None}  # 40 − 30 − 8 would give the 2 away


@pytest.fixture
def employer_client(client: FlaskClient, make_employer: Callable, login: Callable) -> tuple[FlaskClient, Any]:
    employer = make_employer(name="Elektro Lausitz")
    login(client, employer.users[0].email)
    return client, employer


def card_text(page: str) -> str:
    """The visible text of the result cards only (the filters name every town and group)."""
    found = re.search(r'<ul class="result-list">(.*?)</ul>', page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1) if found else "")).strip()


def cards(page: str) -> list[str]:
    return [key for key in re.findall(r'href="/employer/pool/([\w-]+)"', page) if key != "requests"]


def test_only_consenting_returnees_and_only_consented_fields_show(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable
) -> None:
    client, _employer = employer_client
    for number in range(5):
        make_profile(consents=POOL, wished=("senftenberg",), postal_code=f"8{number:04d}", reason="Geheim")
    make_profile(consents=(ConsentPurpose.JOB_ALERTS,), wished=("senftenberg",), last_name="Ohnepool")
    committed(sync_pool_cards)
    page = client.get("/employer/pool")
    text = card_text(page.get_data(as_text=True))
    assert len(cards(page.get_data(as_text=True))) == 5
    assert "26 Mechatronik-, Energie- und Elektroberufe" in text and "Senftenberg" in text and "Fachkraft" in text
    for secret in ("Jana", "Muster", "Ohnepool", "@example.org", "80000", "Geheim", "Oslo", "Lauchhammer", "Vollzeit"):
        assert secret not in text  # name, contact, PLZ, free text, where they live, hometown, working time


def test_rare_groups_and_towns_fold_into_the_area_and_lausitz_and_small_searches_show_a_hint(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable
) -> None:
    client, _employer = employer_client
    for _ in range(5):
        make_profile(consents=POOL, wished=("senftenberg",), occupation_group_code="26")
    for _ in range(2):
        make_profile(consents=POOL, wished=("schipkau",), occupation_group_code="25")
    committed(sync_pool_cards)
    html = client.get("/employer/pool").get_data(as_text=True)
    on_cards = card_text(html)
    assert "25 Maschinen" not in on_cards  # two cards: the Berufsbereich instead
    assert on_cards.count("Rohstoffgewinnung, Produktion und Fertigung") == 2
    assert "Schipkau" not in on_cards and on_cards.count("Lausitz") == 2
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Schipkau (2)" not in text
    assert "Rohstoffgewinnung, Produktion und Fertigung (7)" in text
    assert "26 Mechatronik-, Energie- und Elektroberufe (5)" not in text  # 7 − 5 would give the 2 away
    assert "26 Mechatronik-, Energie- und Elektroberufe" in text
    small = client.get("/employer/pool?field=25")
    assert "weniger als fünf Profile" in visible_text(small) and cards(small.get_data(as_text=True)) == []
    assert "weniger als fünf Profile" in visible_text(client.get("/employer/pool?town=schipkau"))


def field_options(page: str) -> list[str]:
    """The visible names of the field filter's options."""
    found = re.search(r'<select[^>]*id="pool-field".*?</select>', page, flags=re.S)
    return [
        re.sub(r"\s+", " ", option).strip() for option in re.findall(r"<option[^>]*>(.*?)</option>", found.group(0))
    ]


def test_the_field_filter_offers_only_fields_that_five_profiles_share(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable
) -> None:
    client, _employer = employer_client
    for _ in range(5):
        make_profile(consents=POOL, occupation_group_code="26")
    for _ in range(2):
        make_profile(consents=POOL, occupation_group_code="25")
    for _ in range(3):
        make_profile(consents=POOL, occupation_group_code="81")
    committed(sync_pool_cards)
    german = field_options(client.get("/employer/pool").get_data(as_text=True))
    assert german[1:3] == [
        "Rohstoffgewinnung, Produktion und Fertigung",
        "– 26 Mechatronik-, Energie- und Elektroberufe",
    ]
    assert len(german) == 3  # neither 25 (two profiles) nor the area of 81 (three) is offered
    english = field_options(client.get("/employer/pool?lang=en").get_data(as_text=True))
    assert english[1:] == [
        "Extraction of raw materials, production and manufacturing",
        "– 26 Mechatronics, energy and electrical occupations",
    ]


def test_a_withdrawn_consent_takes_the_card_away_at_once(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable
) -> None:
    from rueckkehr.returnees.operations import withdraw_consent

    client, _employer = employer_client
    profiles = [make_profile(consents=POOL) for _ in range(6)]
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == profiles[0].id))
    assert client.get(f"/employer/pool/{key}").status_code == 200
    committed(withdraw_consent, profiles[0], ConsentPurpose.EMPLOYER_POOL)
    assert client.get(f"/employer/pool/{key}").status_code == 404
    assert len(cards(client.get("/employer/pool").get_data(as_text=True))) == 5


def test_the_pool_is_for_approved_employers_only(client: FlaskClient, make_employer: Callable, login: Callable) -> None:
    from rueckkehr.employers.models import EmployerStatus

    assert client.get("/employer/pool").status_code == 302  # log in first
    pending = make_employer(status=EmployerStatus.PENDING, approved_at=None)
    login(client, pending.users[0].email)
    for path in ("/employer/pool", "/employer/pool/requests"):
        page = client.get(path)
        assert page.status_code == 403
        text = visible_text(page)
        assert "Der Rückkehrer-Pool öffnet sich, sobald die Organisatoren Ihr Unternehmen freigegeben haben." in text
        assert "Zugriff nicht erlaubt" not in text and "neu laden" not in text
        assert 'href="/employer"' in page.get_data(as_text=True)  # back to the company area
    english = visible_text(client.get("/employer/pool?lang=en"))
    assert "The returnee pool opens once the organizers have approved your company." in english


def test_a_contact_request_is_screened_mailed_answered_and_audited(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable, smtp: SMTPServer
) -> None:
    client, employer = employer_client
    profiles = [make_profile(consents=POOL, phone="+4935731234567") for _ in range(5)]
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == profiles[0].id))
    for message in ("Mehr unter https://evil.example", "Schreiben Sie an chef@firma.de", "www.firma.de",
                    "=?utf-8?q?=0D=0ABcc:_x@y.z?=", "Hallo\x00"):  # fmt: skip
        refused = client.post(f"/employer/pool/{key}", data={"message": message})
        assert refused.status_code == 422, message
        assert "ohne Links" in visible_text(refused) or "Steuerzeichen" in visible_text(refused)
    sent = client.post(f"/employer/pool/{key}", data={"message": "Wir suchen Elektriker in Lauchhammer."})
    assert sent.status_code == 303
    mail = smtp.wait_for(1)[0]
    assert mail.envelope_to == [profiles[0].email]
    assert "Elektro Lausitz" in mail.text_body() and "Wir suchen Elektriker in Lauchhammer." in mail.text_body()
    answer = link_in(mail, f"/me/{manage_token(profiles[0])}/contact/")
    page = client.get(answer)
    assert "Zustimmen und teilen" in visible_text(page)
    nothing = client.post(answer, data={"answer": "accept"})  # agreed, but to share nothing
    assert nothing.status_code == 422
    assert "Bitte wählen Sie, was das Unternehmen erfahren darf, oder lehnen Sie ab." in visible_text(nothing)
    assert client.post(answer, data={"action": "accept", "share_email": "y"}).status_code == 400  # no known answer
    english = client.post(answer + "?lang=en", data={"answer": "accept"})
    assert "Please choose what the company may learn, or decline." in visible_text(english)
    assert client.post(answer, data={"answer": "accept", "share_email": "y"}).status_code == 303
    accepted = smtp.wait_for(2)[1]
    assert accepted.envelope_to == [employer.users[0].email]
    assert profiles[0].email in accepted.text_body()
    assert "Muster" not in accepted.text_body() and "3573" not in accepted.text_body()  # not shared
    db.session.rollback()
    verbs = set(db.session.scalars(select(AuditEntry.verb)))
    assert {"pool.contact_requested", "pool.contact_accepted"} <= verbs
    assert all("Elektriker" not in str(entry.changes) for entry in db.session.scalars(select(AuditEntry)))


def test_a_declined_request_tells_the_employer_nothing(
    employer_client: tuple[FlaskClient, Any], make_profile: Callable, smtp: SMTPServer
) -> None:
    client, _employer = employer_client
    profiles = [make_profile(consents=POOL) for _ in range(5)]
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == profiles[1].id))
    client.post(f"/employer/pool/{key}", data={"message": "Guten Tag, wir suchen Verstärkung."})
    answer = link_in(smtp.wait_for(1)[0], "/me/")
    assert client.post(answer, data={"answer": "decline"}).status_code == 303
    assert "abgelehnt" in visible_text(client.get("/employer/pool/requests"))
    db.session.rollback()
    assert "pool.contact_declined" in set(db.session.scalars(select(AuditEntry.verb)))
    assert len(smtp.messages) == 1


def test_contact_requests_are_limited_per_employer_and_day(
    make_app: Callable[..., Flask], make_profile: Callable, make_employer: Callable, login: Callable
) -> None:
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_POOL_CONTACT="2 per day")
    with limited.app_context():
        employer = make_employer()
        profiles = [make_profile(consents=POOL) for _ in range(5)]
        committed(sync_pool_cards)
        keys = [db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == p.id)) for p in profiles]
        email = employer.users[0].email
    client = limited.test_client()
    login(client, email)
    assert client.post(f"/employer/pool/{keys[0]}", data={"message": ""}).status_code == 422  # not counted
    statuses = [client.post(f"/employer/pool/{key}", data={"message": "Hallo!"}).status_code for key in keys[:3]]
    assert statuses == [303, 303, 429]
