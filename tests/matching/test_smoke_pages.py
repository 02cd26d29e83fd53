"""Every page of matching answers, logged out and in, with data behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from rueckkehr.employers.models import StandStatus
from rueckkehr.matching.pool_operations import sync_pool_cards
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.extensions import db
from rueckkehr.returnees.links import manage_token
from rueckkehr.returnees.models import ConsentPurpose
from tests.support.pages import visible_text
from tests.support.units import committed


def test_pages_answer(client: FlaskClient, make_profile: Callable, make_vacancy: Callable, make_event: Callable,
                      make_stand: Callable, login: Callable) -> None:
    vacancy = make_vacancy(title="Elektriker/in", town=None) if False else make_vacancy(title="Elektriker/in")
    event = make_event()
    make_stand(vacancy.employer, event, status=StandStatus.CONFIRMED)
    profiles = [make_profile(consents=(ConsentPurpose.JOB_ALERTS, ConsentPurpose.EMPLOYER_POOL), wished=("senftenberg",)) for _ in range(6)]
    profile = profiles[0]
    db.session.add(Registration(profile=profile, event=event, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    committed(sync_pool_cards)
    token = manage_token(profile)
    for path in [f"/me/{token}", f"/me/{token}/alerts", f"/me/{token}/matches", f"/me/{token}/fair-plan/{event.id}", "/jobs/alert", "/jobs/alert?q=Schreiner"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[-3000:])
        print(path, visible_text(response)[:1500])
    login(client, vacancy.employer.users[0].email)
    for path in ["/employer/pool", "/employer/pool/requests"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[-3000:])
        print(path, visible_text(response)[:1500])
