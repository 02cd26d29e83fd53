"""Every state change of employers, vacancies and stands; views and the CLI call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from werkzeug.security import generate_password_hash

from ..accounts.models import Role, User
from ..accounts.operations import (
    INVITE_LIFETIME,
    VERIFY_LIFETIME,
    find_user,
    normalise_email,
)
from ..accounts.tokens import AccountToken, TokenPurpose, issue_token
from ..database import BERLIN, utcnow
from ..events.models import Event
from ..extensions import db
from ..mail.outbox import queue_mail
from ..urls import external_url
from . import logos
from .models import (
    Contract,
    Employer,
    EmployerStatus,
    SalaryPeriod,
    SizeBand,
    StandBooking,
    StandStatus,
    Vacancy,
    VacancyStatus,
    VacancyTerm,
)
from .search import weighted_terms

DEFAULT_VALIDITY = timedelta(weeks=8)


class OperationError(Exception):
    """A change that the current state does not allow; the message says why (in English, for logs and the CLI)."""


@dataclass
class CompanyData:
    """What an employer says about itself."""

    name: str
    town_id: int
    street: str
    postal_code: str
    locality: str
    sector_code: str
    size_band: SizeBand
    website: str = ""
    description: str = ""


@dataclass
class VacancyData:
    """The fields of a vacancy as the employer enters them."""

    title: str
    occupation_group_code: str
    skill_level: int
    town_id: int | None
    place_name: str
    place_postal_code: str
    working_times: list[str]
    contract: Contract
    starts_on: date | None
    salary_min: int | None
    salary_max: int | None
    salary_period: SalaryPeriod | None
    description: str
    apply_url: str
    apply_email: str
    valid_until: date


def berlin_today(now: datetime | None = None) -> date:
    """Today's date in the region."""
    return (now or utcnow()).astimezone(BERLIN).date()


def default_valid_until(now: datetime | None = None) -> date:
    """Eight weeks from today."""
    return berlin_today(now) + DEFAULT_VALIDITY


# Employers and their accounts


def sign_up(
    company: CompanyData,
    *,
    contact_name: str,
    email: str,
    password: str,
    language: str,
    logo: bytes | None = None,
) -> None:
    """Create a pending company with its first user and mail a verification link.

    When the address is taken, nothing is created and its owner gets a note instead, so the answer on the page is
    the same either way.
    """
    email = normalise_email(email)
    existing = find_user(email)
    if existing is not None:
        generate_password_hash(password)  # the same work as a new sign-up, so timing reveals nothing
        queue_mail(
            kind="employer.signup_known",
            recipient=existing.email,
            template="employer_signup_known",
            language=language,
            context={
                "login_link": external_url("accounts.login"),
                "reset_link": external_url("accounts.forgot_password"),
            },
        )
        db.session.commit()
        return
    employer = Employer(
        name=company.name,
        town_id=company.town_id,
        street=company.street,
        postal_code=company.postal_code,
        locality=company.locality,
        sector_code=company.sector_code,
        size_band=company.size_band,
        website=company.website,
        description=company.description,
    )
    user = User(email=email, role=Role.EMPLOYER, full_name=contact_name, employer=employer)
    user.set_password(password)
    db.session.add_all([employer, user])
    db.session.flush()
    if logo is not None:
        employer.logo_filename = logos.store_logo(logo, employer.id)
    token = issue_token(TokenPurpose.VERIFY_EMAIL, VERIFY_LIFETIME, user=user)
    queue_mail(
        kind="employer.verify",
        recipient=email,
        recipient_name=contact_name,
        template="employer_verify",
        language=language,
        context={
            "user": user,
            "employer": employer,
            "link": external_url("accounts.verify_email", token=token),
            "days": VERIFY_LIFETIME.days,
        },
    )
    db.session.commit()


def approve_employer(employer_id: int, now: datetime | None = None) -> Employer:
    """Make a company public; its address must have been confirmed."""
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        raise OperationError(f"no employer with id {employer_id}")
    if employer.is_approved:
        return employer
    if not any(user.email_verified_at for user in employer.users):
        raise OperationError("nobody of this employer has confirmed an e-mail address yet")
    employer.status = EmployerStatus.APPROVED
    employer.approved_at = now or utcnow()
    for user in employer.users:
        if user.email_verified_at is None:
            continue
        queue_mail(
            kind="employer.approved",
            recipient=user.email,
            recipient_name=user.full_name or None,
            template="employer_approved",
            language="de",
            context={"user": user, "employer": employer, "link": external_url("employer.dashboard")},
        )
    db.session.commit()
    return employer


def update_profile(employer: Employer, company: CompanyData) -> Employer:
    """Change the company's profile."""
    for name in ("name", "town_id", "street", "postal_code", "locality", "sector_code", "size_band", "website"):
        setattr(employer, name, getattr(company, name))
    employer.description = company.description
    db.session.commit()
    return employer


def replace_logo(employer: Employer, data: bytes | None) -> Employer:
    """Store a new logo (re-encoded, metadata stripped) or remove the logo when ``data`` is None."""
    old = employer.logo_filename
    employer.logo_filename = logos.store_logo(data, employer.id) if data is not None else None
    db.session.commit()
    if old and old != employer.logo_filename:
        logos.delete_logo(old)
    return employer


def invite_colleague(employer: Employer, inviter: User, email: str, language: str) -> None:
    """Mail an invitation to join the company; an address that has an account already gets a note instead."""
    email = normalise_email(email)
    if find_user(email) is not None:
        queue_mail(
            kind="employer.invite_known",
            recipient=email,
            template="employer_invite_known",
            language=language,
            context={"employer": employer, "inviter": inviter},
        )
        db.session.commit()
        return
    token = issue_token(TokenPurpose.INVITE, INVITE_LIFETIME, employer_id=employer.id, email=email)
    queue_mail(
        kind="employer.invite",
        recipient=email,
        template="employer_invite",
        language=language,
        context={
            "employer": employer,
            "inviter": inviter,
            "link": external_url("employer.join", token=token),
            "days": INVITE_LIFETIME.days,
        },
    )
    db.session.commit()


def accept_invitation(token: AccountToken, full_name: str, password: str) -> User:
    """Create the invited colleague's account (its address is proven by the link) and use the token up."""
    now = utcnow()
    if find_user(token.email) is not None or token.employer_id is None:
        raise OperationError("the address has an account already")
    user = User(
        email=token.email,
        role=Role.EMPLOYER,
        full_name=full_name,
        employer_id=token.employer_id,
        email_verified_at=now,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.execute(  # every invitation to this address is used up, so none can bring a removed user back
        update(AccountToken)
        .where(AccountToken.purpose == TokenPurpose.INVITE, AccountToken.email == token.email)
        .values(used_at=now)
    )
    db.session.commit()
    return user


def remove_user(user: User) -> None:
    """Delete a user of a company with their personal data; the company and its vacancies stay."""
    db.session.execute(
        delete(AccountToken).where(or_(AccountToken.user_id == user.id, AccountToken.email == user.email))
    )
    db.session.delete(user)
    db.session.commit()


# Vacancies


def _apply_vacancy_data(vacancy: Vacancy, data: VacancyData) -> None:
    """Copy the form's values onto a vacancy."""
    for name in (
        "title",
        "occupation_group_code",
        "skill_level",
        "town_id",
        "place_name",
        "place_postal_code",
        "contract",
        "starts_on",
        "salary_min",
        "salary_max",
        "salary_period",
        "description",
        "apply_url",
        "apply_email",
        "valid_until",
    ):
        setattr(vacancy, name, getattr(data, name))
    if data.town_id is not None:
        vacancy.place_name = ""
        vacancy.place_postal_code = ""
    vacancy.working_time_list = data.working_times


def index_vacancy(vacancy: Vacancy) -> None:
    """Replace the vacancy's search terms with those of its current title and description."""
    db.session.flush()
    db.session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id == vacancy.id))
    terms = weighted_terms(vacancy.title, vacancy.description)
    if terms:
        db.session.execute(
            VacancyTerm.__table__.insert(),
            [{"token": token, "vacancy_id": vacancy.id, "weight": weight} for token, weight in terms.items()],
        )
    db.session.expire(vacancy, ["terms"])


def create_vacancy(employer: Employer, data: VacancyData) -> Vacancy:
    """A new draft vacancy."""
    vacancy = Vacancy(employer=employer, status=VacancyStatus.DRAFT)
    _apply_vacancy_data(vacancy, data)
    db.session.add(vacancy)
    index_vacancy(vacancy)
    db.session.commit()
    return vacancy


def update_vacancy(vacancy: Vacancy, data: VacancyData) -> Vacancy:
    """Change a draft or submitted vacancy."""
    if not vacancy.is_editable:
        raise OperationError("only drafts and submitted vacancies can be changed")
    _apply_vacancy_data(vacancy, data)
    index_vacancy(vacancy)
    db.session.commit()
    return vacancy


def submit_vacancy(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """Hand a draft to the organizers for approval."""
    if vacancy.status != VacancyStatus.DRAFT:
        raise OperationError("only drafts can be submitted")
    vacancy.status = VacancyStatus.SUBMITTED
    vacancy.submitted_at = now or utcnow()
    db.session.commit()
    return vacancy


def publish_vacancy(vacancy_id: int, now: datetime | None = None) -> Vacancy:
    """Approve a submitted vacancy of an approved employer: it goes on the board."""
    now = now or utcnow()
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise OperationError(f"no vacancy with id {vacancy_id}")
    if vacancy.status != VacancyStatus.SUBMITTED:
        raise OperationError(f"vacancy {vacancy_id} is {vacancy.status}, not submitted")
    if not vacancy.employer.is_approved:
        raise OperationError("the employer is not approved yet")
    if vacancy.valid_until < berlin_today(now):
        raise OperationError("the vacancy's valid-until date has passed")
    vacancy.status = VacancyStatus.PUBLISHED
    vacancy.published_at = now
    db.session.commit()
    return vacancy


def _close(vacancy: Vacancy, status: VacancyStatus, now: datetime | None) -> Vacancy:
    """Take a vacancy off its way to the board."""
    if not vacancy.is_open:
        raise OperationError(f"the vacancy is {vacancy.status} already")
    vacancy.status = status
    vacancy.closed_at = now or utcnow()
    db.session.commit()
    return vacancy


def withdraw_vacancy(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """The employer takes the vacancy back, whatever its state."""
    return _close(vacancy, VacancyStatus.WITHDRAWN, now)


def mark_filled(vacancy: Vacancy, now: datetime | None = None) -> Vacancy:
    """The position is taken."""
    return _close(vacancy, VacancyStatus.FILLED, now)


def expire_vacancies(now: datetime | None = None) -> int:
    """Mark published vacancies whose valid-until day has passed as expired; return how many."""
    now = now or utcnow()
    result = db.session.execute(
        update(Vacancy)
        .where(Vacancy.status == VacancyStatus.PUBLISHED, Vacancy.valid_until < berlin_today(now))
        .values(status=VacancyStatus.EXPIRED, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


# Stands


def request_stand(employer: Employer, event: Event, space_note: str, needs_power: bool) -> StandBooking:
    """Ask for a stand at an event (again, if an earlier request was cancelled)."""
    if not employer.is_approved:
        raise OperationError("only approved employers can book a stand")
    stand = db.session.scalar(
        select(StandBooking).where(StandBooking.employer_id == employer.id, StandBooking.event_id == event.id)
    )
    if stand is not None and stand.status != StandStatus.CANCELLED:
        raise OperationError("a stand at this event is booked already")
    if stand is None:
        stand = StandBooking(employer=employer, event=event)
        db.session.add(stand)
    stand.space_note = space_note
    stand.needs_power = needs_power
    stand.status = StandStatus.REQUESTED
    stand.confirmed_at = None
    db.session.commit()
    return stand


def cancel_stand(stand: StandBooking) -> StandBooking:
    """Call off a stand request or booking."""
    if stand.status == StandStatus.CANCELLED:
        raise OperationError("the stand is cancelled already")
    stand.status = StandStatus.CANCELLED
    db.session.commit()
    return stand


def confirm_stand(stand_id: int, now: datetime | None = None) -> StandBooking:
    """An organizer confirms a requested stand; the employer gets a mail."""
    stand = db.session.get(StandBooking, stand_id)
    if stand is None:
        raise OperationError(f"no stand booking with id {stand_id}")
    if stand.status != StandStatus.REQUESTED:
        raise OperationError(f"stand booking {stand_id} is {stand.status}, not requested")
    stand.status = StandStatus.CONFIRMED
    stand.confirmed_at = now or utcnow()
    for user in stand.employer.users:
        queue_mail(
            kind="employer.stand_confirmed",
            recipient=user.email,
            recipient_name=user.full_name or None,
            template="employer_stand_confirmed",
            language="de",
            context={"user": user, "stand": stand, "event": stand.event, "link": external_url("employer.stands")},
        )
    db.session.commit()
    return stand
