"""Data lives only as long as its purpose: purges after the retention period, yearly consent confirmation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.registrations.jobs import expire_unconfirmed
from rueckkehr.registrations.models import Registration
from rueckkehr.registrations.operations import confirm, register
from rueckkehr.registrations.retention import purge_expired_profiles
from rueckkehr.returnees.models import ConsentProof, ConsentPurpose, ReturneeProfile
from rueckkehr.returnees.operations import ProfileData
from rueckkehr.returnees.retention import purge_consent_proofs, request_reconfirmations
from rueckkehr.transactions import unit_of_work
from tests.support.pages import visible_text
from tests.support.smtp import SMTPServer
from tests.support.units import committed

PROFILE = ProfileData(first_name="Ole", last_name="Nordmann", postal_code="0150", city="Oslo", country="NO")


def confirmed_profile(event: Event, email: str, consents: list[ConsentPurpose], now: datetime) -> ReturneeProfile:
    """A profile registered and confirmed for ``event`` at ``now``."""
    with unit_of_work():
        register(
            event.id,
            email=email,
            language="de",
            profile_data=PROFILE,
            companions=0,
            optional_consents=consents,
            now=now,
        )
    profile = db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.email == email)).one()
    registration_id = db.session.scalars(select(Registration.id).where(Registration.profile_id == profile.id)).one()
    with unit_of_work():
        confirm(registration_id, now=now)
    return profile


def profile_emails() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(select(ReturneeProfile.email)))


def test_profiles_go_after_the_retention_period_unless_a_consent_runs(
    app: Flask, make_event: Callable[..., Event]
) -> None:
    now = datetime.now(UTC)
    event = make_event(starts_at=now + timedelta(days=3))
    confirmed_profile(event, "only-event@example.org", [], now)
    confirmed_profile(event, "job-alerts@example.org", [ConsentPurpose.JOB_ALERTS], now)
    after_event = event.ends_at + timedelta(days=89)
    assert committed(purge_expired_profiles, after_event) == 0
    after_retention = event.ends_at + timedelta(days=91)
    assert committed(purge_expired_profiles, after_retention) == 1
    assert profile_emails() == {"job-alerts@example.org"}
    proofs = db.session.scalars(select(ConsentProof)).all()
    assert [proof.purpose for proof in proofs] == ["participation"]
    assert committed(purge_consent_proofs, after_retention + timedelta(days=3 * 365 + 1)) == 1
    assert db.session.scalar(select(func.count()).select_from(ConsentProof)) == 0


def test_never_confirmed_profiles_go_once_their_registrations_lapsed(
    app: Flask, make_event: Callable[..., Event]
) -> None:
    now = datetime.now(UTC)
    event = make_event(starts_at=now + timedelta(days=30))
    with unit_of_work():
        register(
            event.id, email="typo@example.org", language="de", profile_data=PROFILE, companions=0,
            optional_consents=[ConsentPurpose.NEWS], now=now,
        )  # fmt: skip
    assert committed(purge_expired_profiles, now + timedelta(hours=1)) == 0  # the registration may still be confirmed
    with unit_of_work():
        expire_unconfirmed(now + timedelta(hours=48))
    assert committed(purge_expired_profiles, now + timedelta(hours=49)) == 1
    assert profile_emails() == set()


def test_consents_are_reconfirmed_once_a_year_or_end(
    app: Flask, client: FlaskClient, make_event: Callable[..., Event], smtp: SMTPServer, runner: FlaskCliRunner
) -> None:
    now = datetime.now(UTC)
    event = make_event(starts_at=now + timedelta(days=3))
    confirmed_profile(event, "stays@example.org", [ConsentPurpose.NEWS], now)
    confirmed_profile(event, "silent@example.org", [ConsentPurpose.JOB_ALERTS], now)
    a_year_later = now + timedelta(days=366)
    assert committed(request_reconfirmations, a_year_later) == 2
    assert committed(request_reconfirmations, a_year_later) == 0  # asked once
    runner.invoke(args=["outbox", "send"])
    asks = [m for m in smtp.wait_for(6) if m.message["Subject"] == "Sollen Ihre Einwilligungen weiter gelten?"]
    assert sorted(m.envelope_to[0] for m in asks) == ["silent@example.org", "stays@example.org"]
    ask = next(m for m in asks if m.envelope_to == ["stays@example.org"])
    path = re.search(r"http://rueckkehr\.test(/me/\S+/reconfirm)", ask.text_body()).group(1)
    page = client.get(path)
    assert "Ja, weiterhin einverstanden" in visible_text(page)
    client.post(path)

    with unit_of_work():
        request_reconfirmations(a_year_later + timedelta(days=31))  # the grace period has passed
    db.session.rollback()
    stays = db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.email == "stays@example.org")).one()
    silent = db.session.scalars(select(ReturneeProfile).where(ReturneeProfile.email == "silent@example.org")).one()
    assert stays.active_consent(ConsentPurpose.NEWS) is not None
    assert silent.active_consent(ConsentPurpose.JOB_ALERTS) is None
    assert committed(purge_expired_profiles, a_year_later + timedelta(days=31)) == 1
    assert profile_emails() == {"stays@example.org"}
