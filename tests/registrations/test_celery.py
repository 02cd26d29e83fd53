"""With CELERY_BROKER_URL set, mail goes through a real Celery worker on Redis, and a broker that is down loses
nothing: the registration is committed and its mail waits in the outbox."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask
from sqlalchemy import select

from rueckkehr.events.models import Event
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.models import Registration
from tests.support.celery import BROKER, CeleryWorker, start_worker, stop_worker, worker_environment
from tests.support.registrations import form_data, link_in
from tests.support.services import require_redis
from tests.support.smtp import SMTPServer


def test_a_celery_worker_delivers_the_registration_mails(
    celery_worker: CeleryWorker, make_app: Callable[..., Flask], make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    app = make_app(**celery_worker.settings)
    event_id = make_event().id
    client = app.test_client()
    assert client.post(f"/events/{event_id}/register", data=form_data()).status_code == 303
    request = smtp.wait_for(1, timeout=30)[0]
    assert request.message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
    client.post(link_in(request, "/confirm/"))
    confirmation = smtp.wait_for(2, timeout=30)[1]
    assert confirmation.message["Subject"].startswith("Anmeldung bestätigt")
    assert len(smtp.messages) == 2


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_broker_that_is_down_loses_no_registration_and_no_mail(
    make_app: Callable[..., Flask], make_event: Callable[..., Event], smtp: SMTPServer
) -> None:
    app = make_app(CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    with app.app_context():
        event_id = make_event().id
    response = app.test_client().post(f"/events/{event_id}/register", data=form_data())
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Registration)).one().event_id == event_id
        queued = db.session.scalars(select(OutboxMessage)).one()
        assert queued.status == OutboxStatus.QUEUED  # `flask jobs run` delivers it
        assert app.test_cli_runner().invoke(args=["outbox", "send"]).output.startswith("sent 1")
    assert smtp.wait_for(1)[0].message["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")


def test_units_committed_before_the_worker_runs_queue_one_run_that_delivers_all_their_mails(
    base_settings: dict[str, Any],
    migrated_database: object,
    make_app: Callable[..., Flask],
    make_event: Callable[..., Event],
    smtp: SMTPServer,
) -> None:
    require_redis(BROKER)
    queue = f"rueckkehr-test-once-{os.getpid()}-{time.monotonic_ns()}"  # no worker listens yet
    app = make_app(CELERY_BROKER_URL=BROKER, CELERY_QUEUE=queue)
    event_id = make_event().id
    client = app.test_client()
    broker = redis.Redis.from_url(BROKER)
    try:
        for number in range(3):
            data = form_data(email=f"p{number}@example.org")
            assert client.post(f"/events/{event_id}/register", data=data).status_code == 303
        assert broker.llen(queue) == 1  # one run for three committed units, not one per mail
        worker = start_worker(worker_environment(base_settings, BROKER, queue), queue)
        try:
            arrived = smtp.wait_for(3, timeout=30)
            assert sorted(mail.envelope_to[0] for mail in arrived) == [f"p{n}@example.org" for n in range(3)]
            # That run has started (and cleared its flag): a unit committed now hands on a run of its own.
            data = form_data(email="p3@example.org")
            assert client.post(f"/events/{event_id}/register", data=data).status_code == 303
            assert smtp.wait_for(4, timeout=30)[3].envelope_to == ["p3@example.org"]
        finally:
            stop_worker(worker)
        assert len(smtp.messages) == 4
    finally:
        broker.delete(queue)
        broker.close()
