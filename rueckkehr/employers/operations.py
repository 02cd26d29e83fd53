"""Every state change of a company, its users and its stands; views and the CLI call these.

Vacancies have their own module (``vacancies``). Operations flush and write their audit entry; the unit of work
around them commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update

from .. import actors
from ..accounts.models import Role, User, hash_password
from ..accounts.operations import INVITE_LIFETIME, VERIFY_LIFETIME, find_user
from ..accounts.tokens import AccountToken, TokenPurpose, issue_token
from ..actors import acting_as
from ..addresses import normalise_email
from ..audit.operations import record
from ..dates import utcnow
from ..events.models import Event
from ..extensions import db
from ..transactions import after_commit
from . import logos, notifications
from .models import Employer, EmployerStatus, SizeBand, StandBooking, StandStatus


class OperationError(Exception):
    """A change that the current state does not allow; the message says why (in English, for logs and the CLI)."""


class LastUserError(OperationError):
    """The user is the company's last one: a company always keeps somebody who can log in."""


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


COMPANY_FIELDS = ("name", "town_id", "street", "postal_code", "locality", "sector_code", "size_band", "website")
# What an approved company changes in these goes public only after the organizers' second look: what it says about
# itself and where it links to. Its address, town, sector and size are facts it keeps up to date itself.
REVIEWED_FIELDS = ("name", "description", "website")


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
        hash_password(password)  # the same work as a new sign-up, so timing reveals nothing
        notifications.signup_known(existing, language)
        return
    employer = Employer(**{name: getattr(company, name) for name in COMPANY_FIELDS}, description=company.description)
    db.session.add(employer)
    db.session.flush()
    user = User(email=email, role=Role.EMPLOYER, full_name=contact_name, employer_id=employer.id, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if logo is not None:
        employer.logo_filename = logos.store_logo(logo, employer.id)
    record("employer.signed_up", employer, town_id=employer.town_id)
    record("user.created", user, town_id=employer.town_id, changes={"role": Role.EMPLOYER.value})
    token = issue_token(TokenPurpose.VERIFY_EMAIL, VERIFY_LIFETIME, user=user)
    notifications.verify_address(user, employer, token, language)


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
    record("employer.approved", employer, town_id=employer.town_id)
    for user in employer.users:
        if user.email_verified_at is not None:
            notifications.approved(user, employer)
    return employer


def update_profile(employer: Employer, company: CompanyData, now: datetime | None = None) -> Employer:
    """Change the company's profile; an approved company's edits of ``REVIEWED_FIELDS`` wait for a second look."""
    reviewed = REVIEWED_FIELDS if employer.is_approved else ()
    direct = [name for name in (*COMPANY_FIELDS, "description") if name not in reviewed]
    changed = [name for name in direct if getattr(employer, name) != getattr(company, name)]
    for name in changed:
        setattr(employer, name, getattr(company, name))
    pending = {name: getattr(company, name) for name in reviewed if getattr(company, name) != getattr(employer, name)}
    if pending != (employer.pending_changes or {}):
        employer.pending_changes = pending or None
        _note_submitted(employer, now)
        changed.extend(f"pending:{name}" for name in pending)
    if changed:
        record("employer.updated", employer, town_id=employer.town_id, changes={"fields": sorted(changed)})
    return employer


def _note_submitted(employer: Employer, now: datetime | None) -> None:
    employer.changes_submitted_at = (now or utcnow()) if employer.has_pending_changes else None


def replace_logo(employer: Employer, data: bytes | None, now: datetime | None = None) -> Employer:
    """Store a new logo (re-encoded, metadata stripped), or remove the logo when ``data`` is None.

    An approved company's new logo waits for a second look; removing one needs none. Replaced files go once the
    change is committed, so a failed request never leaves the company without its logo.
    """
    replaced = [employer.pending_logo_filename]
    if data is not None and employer.is_approved:
        employer.pending_logo_filename = logos.store_logo(data, employer.id)
    else:
        replaced.append(employer.logo_filename)
        employer.logo_filename = logos.store_logo(data, employer.id) if data is not None else None
        employer.pending_logo_filename = None
    _note_submitted(employer, now)
    record("employer.logo_replaced", employer, town_id=employer.town_id, changes={"removed": data is None})
    for filename in replaced:
        if filename and filename not in (employer.logo_filename, employer.pending_logo_filename):
            after_commit(logos.delete_logos, filename)
    return employer


def _with_pending_changes(employer_id: int) -> Employer:
    employer = db.session.get(Employer, employer_id)
    if employer is None:
        raise OperationError(f"no employer with id {employer_id}")
    if not employer.has_pending_changes:
        raise OperationError(f"employer {employer_id} has no changes waiting")
    return employer


def approve_profile_changes(employer_id: int) -> Employer:
    """The organizers' second look found the edits fine: they go public, and the company is told."""
    employer = _with_pending_changes(employer_id)
    fields = sorted(employer.pending_changes or {})
    for name, value in (employer.pending_changes or {}).items():
        setattr(employer, name, value)
    if employer.pending_logo_filename is not None:
        if employer.logo_filename:
            after_commit(logos.delete_logos, employer.logo_filename)
        employer.logo_filename, employer.pending_logo_filename = employer.pending_logo_filename, None
        fields.append("logo")
    employer.pending_changes, employer.changes_submitted_at = None, None
    record("employer.changes_approved", employer, town_id=employer.town_id, changes={"fields": fields})
    for user in employer.users:
        notifications.changes_reviewed(user, employer, approved=True, reason="")
    return employer


def decline_profile_changes(employer_id: int, reason: str) -> Employer:
    """The edits do not go public; the company learns why. Its public profile stays as it was."""
    employer = _with_pending_changes(employer_id)
    if employer.pending_logo_filename is not None:
        after_commit(logos.delete_logos, employer.pending_logo_filename)
    employer.pending_changes, employer.pending_logo_filename, employer.changes_submitted_at = None, None, None
    record("employer.changes_declined", employer, town_id=employer.town_id)
    for user in employer.users:
        notifications.changes_reviewed(user, employer, approved=False, reason=reason)
    return employer


def invite_colleague(employer: Employer, inviter: User, email: str, language: str) -> None:
    """Mail an invitation to join the company; an address that has an account already gets a note instead.

    Only approved companies invite: an unchecked sign-up must not turn the platform into a relay for mails that
    carry its own company and contact name.
    """
    if not employer.is_approved:
        raise OperationError("only approved employers invite colleagues")
    email = normalise_email(email)
    record("employer.colleague_invited", employer, town_id=employer.town_id, personal={"email": email})
    if find_user(email) is not None:
        notifications.invitation_for_known_address(email, employer, inviter, language)
        return
    token = issue_token(TokenPurpose.INVITE, INVITE_LIFETIME, employer_id=employer.id, email=email)
    notifications.invitation(email, employer, inviter, token, language)


def accept_invitation(token: AccountToken, full_name: str, password: str, language: str = "de") -> User:
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
        language=language,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.execute(  # every invitation to this address is used up, so none can bring a removed user back
        update(AccountToken)
        .where(AccountToken.purpose == TokenPurpose.INVITE, AccountToken.email == token.email)
        .values(used_at=now)
    )
    db.session.flush()
    with acting_as(actors.user(user.id, user.role.value)):  # the invitation's token proves the address
        record("user.created", user, changes={"role": Role.EMPLOYER.value, "employer_id": token.employer_id})
    return user


def remove_user(user: User) -> None:
    """Delete a user of a company with their personal data; the company and its vacancies stay.

    Raises LastUserError for the company's last user.
    """
    others = select(User.id).where(User.employer_id == user.employer_id, User.id != user.id)
    if user.employer_id is not None and db.session.scalar(others.limit(1)) is None:
        raise LastUserError("a company keeps at least one user")
    db.session.execute(
        delete(AccountToken).where(or_(AccountToken.user_id == user.id, AccountToken.email == user.email))
    )
    record("user.removed", user, changes={"employer_id": user.employer_id})
    db.session.delete(user)


# Stands


def _record_stand(verb: str, stand: StandBooking) -> None:
    record(verb, stand, town_id=stand.event.venue.town_id, changes={"event_id": stand.event_id})


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
    db.session.flush()
    _record_stand("stand.requested", stand)
    return stand


def cancel_stand(stand: StandBooking) -> StandBooking:
    """Call off a stand request or booking."""
    if stand.status == StandStatus.CANCELLED:
        raise OperationError("the stand is cancelled already")
    stand.status = StandStatus.CANCELLED
    _record_stand("stand.cancelled", stand)
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
    _record_stand("stand.confirmed", stand)
    for user in stand.employer.users:
        notifications.stand_confirmed(user, stand)
    return stand
