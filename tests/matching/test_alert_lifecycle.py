"""The rest of the alerts' life through the real SMTP server: the employers' weekly pool digest and its way out,
a subscriber who ends the alert, subscriptions nobody confirmed lapsing, and a digest in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from rueckkehr.audit.models import AuditEntry
from rueckkehr.extensions import db
from rueckkehr.matching.links import subscription_url
from rueckkehr.matching.models import AlertSubscription, Frequency, PoolCard, PoolDigestOptOut
from rueckkehr.matching.operations import confirm_subscription, purge_unconfirmed_subscriptions, subscribe
from rueckkehr.matching.pool_operations import send_pool_digests, sync_pool_cards
from rueckkehr.matching.rounds import send_digests
from rueckkehr.returnees.models import ConsentPurpose
from tests.support.smtp import SMTPServer
from tests.support.units import committed

BASE = "http://rueckkehr.test"
POOL = (ConsentPurpose.EMPLOYER_POOL,)


def path_of(url: str) -> str:
    return url.removeprefix(BASE)


def verbs() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.verb).order_by(AuditEntry.id)))


def test_employers_get_links_to_new_matching_cards_weekly_and_can_stop_them_with_one_click(
    app: Flask, client: FlaskClient, smtp: SMTPServer, make_employer: Callable, make_vacancy: Callable,
    make_profile: Callable,
) -> None:  # fmt: skip
    employer = make_employer(name="Elektro Lausitz")
    user_email = employer.users[0].email
    make_vacancy(employer, title="Elektroniker/in", occupation_group_code="26", skill_level=2)
    clinic = make_employer(name="Klinikum Lausitz")
    make_vacancy(clinic, title="Pflegefachkraft", occupation_group_code="81", skill_level=2)  # another Berufsbereich
    for _ in range(5):
        make_profile(consents=POOL, occupation_group_code="26", skill_level=2, first_name="Geheimname")
    committed(sync_pool_cards)
    keys = set(db.session.scalars(select(PoolCard.key)))
    assert committed(send_pool_digests) == 1  # only the employer whose vacancy the cards fit
    mail = smtp.wait_for(1)[0]
    assert mail.envelope_to == [user_email]
    text = mail.text_body()
    linked = set(re.findall(r"/employer/pool/([\w-]+)", text))
    assert linked == keys  # a link to every new card, and nothing else of the returnees
    assert "Geheimname" not in text and "@example.org" not in text and "Oslo" not in text
    assert "26 Mechatronik-, Energie- und Elektroberufe" in text
    unsubscribe = mail.message["List-Unsubscribe"].strip("<>")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(path_of(unsubscribe)).status_code == 200  # a page with a button: still subscribed
    english = client.get(path_of(unsubscribe) + "?lang=en").get_data(as_text=True)
    assert "<title>Unsubscribe" in english and "Log out" not in english.split("<main", 1)[1]
    assert db.session.scalar(select(func.count()).select_from(PoolDigestOptOut)) == 0
    assert client.post(path_of(unsubscribe), data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.rollback()
    assert "pool_digest.unsubscribed" in verbs()
    make_profile(consents=POOL, occupation_group_code="26", skill_level=2)
    committed(sync_pool_cards)
    assert committed(send_pool_digests) == 0  # a new card, but the only user said no more
    assert len(smtp.messages) == 1


def test_no_pool_digest_when_no_card_is_new_this_week(
    app: Flask, smtp: SMTPServer, make_employer: Callable, make_vacancy: Callable, make_profile: Callable
) -> None:
    make_vacancy(make_employer(), occupation_group_code="26")
    for _ in range(5):
        make_profile(consents=POOL, occupation_group_code="26")
    committed(sync_pool_cards)
    assert committed(send_pool_digests, now=datetime.now(UTC) + timedelta(days=8)) == 0
    assert smtp.messages == []


def confirmed_subscription(language: str = "de") -> AlertSubscription:
    subscription = committed(subscribe, "leser@example.org", language, "26", 2, ["senftenberg"], Frequency.WEEKLY)
    committed(confirm_subscription, db.session.get(AlertSubscription, subscription.id))
    return db.session.get(AlertSubscription, subscription.id)


def test_a_subscriber_ends_the_alert_on_its_page_and_gets_nothing_more(
    app: Flask, client: FlaskClient, smtp: SMTPServer, make_vacancy: Callable
) -> None:
    subscription = confirmed_subscription()
    page = path_of(subscription_url("alerts.preferences", subscription))
    smtp.wait_for(1)  # the confirmation mail
    assert "Job-Alarm beenden" in client.get(page).get_data(as_text=True)
    ended = client.post(page, data={"end": "1"})
    assert ended.status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
    assert "alert_subscription.ended" in verbs()
    make_vacancy(title="Elektriker/in", published_at=datetime.now(UTC) + timedelta(minutes=1))
    counts = committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))
    assert counts["subscribers"] == 0
    assert len(smtp.messages) == 1  # only the confirmation
    assert client.get(page).status_code == 404  # the old link names nobody any more


def test_the_one_click_link_of_a_digest_ends_a_subscription(
    app: Flask, client: FlaskClient, smtp: SMTPServer, make_vacancy: Callable
) -> None:
    confirmed_subscription()
    make_vacancy(title="Elektriker/in", published_at=datetime.now(UTC) + timedelta(minutes=1))
    assert committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))["subscribers"] == 1
    digest = smtp.wait_for(2)[1]
    unsubscribe = path_of(digest.message["List-Unsubscribe"].strip("<>"))
    assert client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AlertSubscription)) == 0
    make_vacancy(title="Elektriker/in neu", published_at=datetime.now(UTC) + timedelta(days=9))
    assert committed(send_digests, now=datetime.now(UTC) + timedelta(days=16))["subscribers"] == 0
    assert len(smtp.messages) == 2


def test_subscriptions_nobody_confirmed_lapse_after_the_confirmation_time(
    app: Flask, client: FlaskClient, smtp: SMTPServer
) -> None:
    hours = app.config["CONFIRMATION_HOURS"]
    stale = committed(subscribe, "vergessen@example.org", "de", "26", None, [], Frequency.WEEKLY)
    kept = confirmed_subscription()
    confirm_link = path_of(subscription_url("alerts.confirm", db.session.get(AlertSubscription, stale.id)))
    stale_id, kept_id = stale.id, kept.id
    assert committed(purge_unconfirmed_subscriptions, now=datetime.now(UTC) + timedelta(hours=hours - 1)) == 0
    assert committed(purge_unconfirmed_subscriptions, now=datetime.now(UTC) + timedelta(hours=hours + 1)) == 1
    assert db.session.get(AlertSubscription, stale_id) is None
    assert db.session.get(AlertSubscription, kept_id) is not None  # a confirmed one stays, however old
    assert "alert_subscription.lapsed" in verbs()
    assert client.get(confirm_link).status_code == 404  # the late link confirms nothing


def test_an_english_subscriber_gets_the_digest_in_english(app: Flask, smtp: SMTPServer, make_vacancy: Callable) -> None:
    confirmed_subscription(language="en")
    assert smtp.wait_for(1)[0].message["Content-Language"] == "en"  # the confirmation, in English too
    make_vacancy(title="Elektriker/in", published_at=datetime.now(UTC) + timedelta(minutes=1))
    assert committed(send_digests, now=datetime.now(UTC) + timedelta(days=8))["subscribers"] == 1
    digest = smtp.wait_for(2)[1]
    text = digest.text_body()
    assert digest.message["Subject"] == "New vacancies that match you"
    assert digest.message["Content-Language"] == "en"
    assert text.startswith("Hello,")
    assert "same occupational field: Mechatronics, energy and electrical occupations" in text
    assert "gleiches Berufsfeld" not in text and "Guten Tag" not in text


def test_an_english_returnee_gets_the_digest_in_english(
    app: Flask, smtp: SMTPServer, make_profile: Callable, make_vacancy: Callable
) -> None:
    make_profile(language="en")
    make_vacancy(title="Elektriker/in")
    assert committed(send_digests)["returnees"] == 1
    digest = smtp.wait_for(1)[0]
    text = digest.text_body()
    assert digest.message["Subject"] == "New vacancies that match you"
    assert "same occupational field: Mechatronics, energy and electrical occupations" in text
    assert (
        ",\r\n\r\nSince our last e-mail, these vacancies from the region that match you are new." in text
    )  # a sentence of its own after "Hello …,"


def test_a_subscriber_who_changes_the_alert_finds_every_change_in_the_trail(
    app: Flask, client: FlaskClient, smtp: SMTPServer
) -> None:
    subscription = confirmed_subscription()
    page = path_of(subscription_url("alerts.preferences", subscription))
    form = {
        "occupation_group": "81",
        "skill_level": "3",
        "towns": ["lauchhammer"],
        "frequency": "daily",
        "language": "en",
    }
    assert client.post(page, data=form).status_code == 303
    db.session.rollback()
    changed = db.session.get(AlertSubscription, subscription.id)
    assert (changed.language, changed.occupation_group_code, changed.skill_level) == ("en", "81", 3)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.verb == "alert_subscription.updated"))
    assert entry.changes == {
        "group": "81", "level": 3, "towns": ["lauchhammer"], "frequency": "daily", "language": "en"
    }  # fmt: skip
