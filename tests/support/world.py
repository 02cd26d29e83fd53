"""A world to read and to click through: events in every state, a returnee (English) with registrations, a
company with vacancies and a stand, the contact persons of the six towns, and the links a mail would bring."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from rueckkehr.accounts.models import Role, User
from rueckkehr.accounts.operations import INVITE_LIFETIME, RESET_LIFETIME, VERIFY_LIFETIME
from rueckkehr.accounts.tokens import TokenPurpose, issue_token
from rueckkehr.employers.models import Employer, EmployerStatus, Vacancy, VacancyStatus
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.places.models import Town
from rueckkehr.registrations.links import confirm_url, registration_url
from rueckkehr.registrations.models import Registration
from rueckkehr.registrations.operations import confirm, register
from rueckkehr.returnees.links import manage_url, unsubscribe_url
from rueckkehr.returnees.models import ConsentPurpose, ReturneeProfile
from rueckkehr.returnees.operations import ProfileData
from tests.support.registrations import form_data
from tests.support.units import committed

BASE = "http://rueckkehr.test"
CONTACTS = {
    "finsterwalde": ("Katrin Lehmann", "rueckkehr@finsterwalde.example", "+4935315000"),
    "grossraeschen": ("Sven Richter", "rueckkehr@grossraeschen.example", ""),
    "lauchhammer": ("Ines Wagner", "rueckkehr@lauchhammer.example", ""),
    "schwarzheide": ("Jens Krüger", "rueckkehr@schwarzheide.example", ""),
    "senftenberg": ("Anja Schulze", "rueckkehr@senftenberg.example", "+4935733010"),
    "schipkau": ("Maik Hoffmann", "rueckkehr@schipkau.example", ""),
}


def give_every_town_a_contact(town: Callable[[str], Town]) -> None:
    """The contact persons for returnees, as `flask seed-demo` fills them."""

    def fill() -> None:
        for slug, (name, email, phone) in CONTACTS.items():
            place = town(slug)
            place.contact_name, place.contact_email, place.contact_phone = name, email, phone

    committed(fill)


def english_client(app: Flask) -> FlaskClient:
    """A visitor who chose English with the language switch."""
    client = app.test_client()
    assert client.post("/sprache", data={"lang": "en", "next": "/"}).status_code == 303
    return client


def png(size: tuple[int, int] = (60, 30)) -> bytes:
    """A small PNG logo."""
    output = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(output, format="PNG")
    return output.getvalue()


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    """A file as a form sends it."""
    return io.BytesIO(data), name


def path_of(url: str) -> str:
    """A link of a mail without the site's address and without its query (``en`` adds the language again)."""
    return url.removeprefix(BASE).split("?")[0]


def en(path: str) -> str:
    """A path that asks for English, as the links in an English reader's mails do."""
    return f"{path}{'&' if '?' in path else '?'}lang=en"


@dataclass
class World:
    """Everything the English pages test opens."""

    open_event: Event
    full_event: Event
    cancelled_event: Event
    past_event: Event
    early_event: Event
    closed_event: Event
    profile: ReturneeProfile
    manage: str
    confirmed_id: int
    waiting_id: int
    calendar_link: str
    confirm_link: str
    unsubscribe_link: str
    employer: Employer
    user: User
    published: Vacancy
    draft: Vacancy
    verify_token: str
    reset_token: str
    invite_token: str


PROFILE = ProfileData(
    first_name="Jana",
    last_name="Müller",
    postal_code="0150",
    city="Oslo",
    country="NO",
    hometown_slug="senftenberg",
    working_times=[],
)


@pytest.fixture
def world(
    app: Flask,
    make_event: Callable[..., Event],
    make_employer: Callable[..., Employer],
    make_vacancy: Callable[..., Vacancy],
    make_stand: Callable[..., Any],
    make_user: Callable[..., User],
    town: Callable[[str], Town],
) -> World:
    """Events in every state, a returnee (English) with a confirmed and a waiting registration, a company."""
    give_every_town_a_contact(town)
    now = datetime.now(UTC).replace(microsecond=0)
    # Names only, no German text. Not a lone "Lausitz": that is also a message of the catalogue (the pool's region,
    # "Lusatia" in English), and an organizer's description is no message an English page must translate.
    make_event = partial(make_event, summary="Lausitz 2026", description="Lausitz 2026")
    open_event = make_event(title="Rückkehrertag Senftenberg", capacity=5)
    full_event = make_event(title="Brunch im Kurmärker", capacity=0)
    cancelled_event = make_event(title="Abgesagter Rückkehrertag", status=EventStatus.CANCELLED)
    past_event = make_event(title="Rückkehrertag 2025", starts_at=now - timedelta(days=30))
    early_event = make_event(title="Rückkehrertag im Sommer", registration_opens_at=now + timedelta(days=5))
    closed_event = make_event(title="Rückkehrertag morgen", registration_closes_at=now - timedelta(hours=1))

    def sign_up(event: Event, companions: int = 1) -> int:
        register(event.id, email="jana@example.org", language="en", profile_data=PROFILE, companions=companions,
                 optional_consents=[ConsentPurpose.JOB_ALERTS])  # fmt: skip
        return db.session.scalars(select(Registration.id).order_by(Registration.id.desc())).first()

    confirmed_id = committed(sign_up, open_event)
    committed(confirm, confirmed_id)
    waiting_id = committed(sign_up, full_event)
    committed(confirm, waiting_id)
    unconfirmed_id = committed(sign_up, make_event(title="Rückkehrertag Lauchhammer", capacity=5), 0)
    confirmed = db.session.get(Registration, confirmed_id)
    unconfirmed = db.session.get(Registration, unconfirmed_id)
    profile = confirmed.profile

    employer = make_employer(name="Lausitzer Elektrotechnik GmbH")
    user = employer.users[0]
    published = make_vacancy(employer, title="Elektrikerin / Elektriker")
    draft = make_vacancy(employer, title="Mechatronikerin (Entwurf)", status=VacancyStatus.DRAFT)
    make_stand(employer, open_event)
    pending = make_employer(name="Neue Firma GmbH", status=EmployerStatus.PENDING, approved_at=None, verified=False)

    def tokens() -> tuple[str, str, str]:
        return (
            issue_token(TokenPurpose.VERIFY_EMAIL, VERIFY_LIFETIME, user=pending.users[0]),
            issue_token(TokenPurpose.RESET_PASSWORD, RESET_LIFETIME, user=user),
            issue_token(TokenPurpose.INVITE, INVITE_LIFETIME, employer_id=employer.id, email="neu@example.org"),
        )

    verify_token, reset_token, invite_token = committed(tokens)
    make_user(role=Role.ADMIN)
    return World(
        open_event=open_event,
        full_event=full_event,
        cancelled_event=cancelled_event,
        past_event=past_event,
        early_event=early_event,
        closed_event=closed_event,
        profile=profile,
        manage=path_of(manage_url(profile)),
        confirmed_id=confirmed_id,
        waiting_id=waiting_id,
        calendar_link=path_of(registration_url(confirmed)),
        confirm_link=confirm_url(unconfirmed).removeprefix(BASE),
        unsubscribe_link=path_of(unsubscribe_url(profile, ConsentPurpose.JOB_ALERTS)),
        employer=employer,
        user=user,
        published=published,
        draft=draft,
        verify_token=verify_token,
        reset_token=reset_token,
        invite_token=invite_token,
    )


def registration_form(**overrides: Any) -> dict[str, Any]:
    """A complete registration as the form sends it."""
    return form_data(**overrides)


PAGE_TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "templates"


def page_templates() -> set[str]:
    """Every template that is a page of its own (not a mail, a partial, a layout or another language's text)."""
    names = set()
    for path in PAGE_TEMPLATES_ROOT.rglob("*.html"):
        name = path.relative_to(PAGE_TEMPLATES_ROOT).as_posix()
        if name.startswith(("email/", "legal/de/")) or path.name.startswith("_") or name == "base.html":
            continue
        names.add(name)
    return names
