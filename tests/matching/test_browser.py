"""Matching's pages in real headless Chromium: axe finds nothing on the pool, the contact request, the fair plan
and the preference pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from rueckkehr.employers.models import StandStatus
from rueckkehr.extensions import db
from rueckkehr.matching.links import subscription_token
from rueckkehr.matching.models import AlertSubscription, PoolCard
from rueckkehr.matching.pool import card_entry
from rueckkehr.matching.pool_operations import request_contact, sync_pool_cards
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.links import manage_token
from rueckkehr.returnees.models import ConsentPurpose
from tests.employers.test_browser import log_in
from tests.support.browser import after_submit
from tests.support.units import committed

pytestmark = pytest.mark.browser


def test_axe_finds_no_violations_on_matching_pages(
    page: Any,
    axe_violations: Callable[[Any], list[dict[str, Any]]],
    make_profile: Callable,
    make_employer: Callable,
    make_vacancy: Callable,
    make_event: Callable,
    make_stand: Callable,
) -> None:
    employer = make_employer(name="Elektro Lausitz")
    make_vacancy(employer, title="Elektriker/in")
    event = make_event()
    make_stand(employer, event, status=StandStatus.CONFIRMED)
    both = (ConsentPurpose.JOB_ALERTS, ConsentPurpose.EMPLOYER_POOL)
    partner = {"partner_occupation_group_code": "26", "partner_skill_level": 3}
    profiles = [make_profile(consents=both, wished=("senftenberg",), **partner) for _ in range(6)]
    db.session.add(Registration(profile=profiles[0], event=event, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    committed(sync_pool_cards)
    key = db.session.scalar(select(PoolCard.key).where(PoolCard.profile_id == profiles[0].id))
    request = committed(request_contact, employer, employer.users[0], card_entry(key), "Wir suchen Sie.")
    subscription = AlertSubscription(email="leser@example.org", occupation_group_code="26", text_version="v",
                                     confirmed_at=profiles[0].confirmed_at)  # fmt: skip
    db.session.add(subscription)
    db.session.commit()
    token = manage_token(profiles[0])
    paths = [
        f"/me/{token}",
        f"/me/{token}/alerts",
        f"/me/{token}/matches",
        f"/me/{token}/fair-plan/{event.id}",
        f"/me/{token}/contact/{request.id}",
        "/jobs/alert",
        f"/jobs/alert/{subscription_token(subscription)}",
        f"/jobs/alert/confirm/{subscription_token(subscription)}",
        "/jobs?q=Elektriker",
    ]
    found = {}
    for path in paths:
        page.goto(path)
        if violations := axe_violations(page):
            found[path] = violations
    page.goto("/jobs/alert")
    page.get_by_role("button", name="Job-Alarm bestellen").click()
    after_submit(page)
    if violations := axe_violations(page):
        found["subscribe with errors"] = violations
    log_in(page, employer.users[0].email)
    for path in ["/employer/pool", f"/employer/pool/{key}", "/employer/pool/requests", "/employer/pool?field=43"]:
        page.goto(path)
        if violations := axe_violations(page):
            found[path] = violations
    page.goto(f"/employer/pool/{key}")
    page.get_by_role("button", name="Kontakt anfragen").click()
    after_submit(page)
    if violations := axe_violations(page):
        found["contact request with errors"] = violations
    assert found == {}
