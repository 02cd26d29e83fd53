"""What the organizer tests share: the objects of Finsterwalde that an organizer of Senftenberg must never reach."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rueckkehr.accounts.models import Role, User
from rueckkehr.advice.models import AdviceTalk
from rueckkehr.dates import utcnow
from rueckkehr.employers.models import EmployerStatus, StandStatus, VacancyStatus
from rueckkehr.events.models import Event, ProgrammeItem
from rueckkehr.exports.models import ExportJob, ExportPreset, ExportStatus
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.models import Registration, RegistrationStatus
from rueckkehr.returnees.models import ReturneeProfile
from tests.support.units import start_writing


@pytest.fixture
def finsterwalde(
    make_event: Callable[..., Event],
    make_venue: Callable[..., Any],
    make_employer: Callable[..., Any],
    make_vacancy: Callable[..., Any],
    make_stand: Callable[..., Any],
    make_series: Callable[..., Any],
    make_staff: Callable[..., User],
    town: Callable[[str], Any],
    app: Any,
    tmp_path: Any,
) -> dict[str, Any]:
    """Objects of Finsterwalde, one of each kind an organizer route names."""
    place = town("finsterwalde")
    venue = make_venue(town=place, name="Aula Finsterwalde", locality="Finsterwalde", postal_code="03238")
    series = make_series("Rückkehrertage Matrix")
    event = make_event(venue=venue, title="Geheimtag Finsterwalde", series=series)
    employer = make_employer(name="Sängerstadt Werke", town=place, status=EmployerStatus.PENDING)
    changed = make_employer(
        name="Geänderte GmbH", town=place, pending_changes={"name": "Neue GmbH"}, changes_submitted_at=datetime.now(UTC)
    )
    vacancy = make_vacancy(changed, title="Geheime Stelle", town=place, status=VacancyStatus.SUBMITTED)
    stand = make_stand(changed, event, status=StandStatus.REQUESTED)
    start_writing()
    item = ProgrammeItem(event_id=event.id, starts_at=event.starts_at, title="Begrüßung Finsterwalde")
    profile = ReturneeProfile(
        email="geheim@example.org",
        first_name="Greta",
        last_name="Geheim",
        postal_code="03238",
        city="Finsterwalde",
        country="DE",
        interests=["advice"],
        confirmed_at=datetime.now(UTC),
    )
    db.session.add(profile)
    registration = Registration(
        profile=profile,
        event_id=event.id,
        status=RegistrationStatus.WAITING,
        waitlist_position=1,
        confirmed_at=datetime.now(UTC),
    )
    talk = AdviceTalk(profile=profile, town_id=place.id)
    mail = OutboxMessage(
        kind="test",
        recipient="geheim@example.org",
        subject="Geheime Mail",
        message_id="<matrix@test>",
        raw=b"x",
        status=OutboxStatus.FAILED,
        town_id=place.id,
        profile_id=None,
    )
    db.session.add_all([item, registration, talk, mail])
    db.session.commit()
    admin_target = make_staff(role=Role.ORGANIZER, towns=[place], email="orga@finsterwalde.example")
    start_writing()
    preset = ExportPreset(town_id=place.id, name="Geheime Vorlage", columns=["last_name"])
    app.config["EXPORT_FOLDER"] = str(tmp_path)
    (tmp_path / "export-matrix.csv").write_bytes(b"\xef\xbb\xbfNachname\r\n")
    job = ExportJob(
        user_id=admin_target.id,
        town_id=place.id,
        scope="event",
        scope_id=event.id,
        event_ids=[event.id],
        file_format="csv",
        purpose="event",
        status=ExportStatus.DONE,
        filename="export-matrix.csv",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add_all([preset, job])
    db.session.commit()
    return {
        "preset_id": preset.id,
        "job_id": job.id,
        "event_id": event.id,
        "item_id": item.id,
        "series_id": series.id,
        "venue_id": venue.id,
        "registration_id": registration.id,
        "message_id": mail.id,
        "user_id": admin_target.id,
        "talk_id": talk.id,
        "slug": "finsterwalde",
        "action": "deactivate",
        "kinds": {"employers": employer.id, "vacancies": vacancy.id, "stands": stand.id, "profiles": changed.id},
        "profile_id": profile.id,
        "town_id": place.id,
    }
