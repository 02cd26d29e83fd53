"""Every mail of the employers package: sign-up, approval, colleagues and stands, queued in the outbox."""

from __future__ import annotations

from ..accounts.models import User
from ..accounts.notifications import home_town
from ..accounts.operations import INVITE_LIFETIME, VERIFY_LIFETIME
from ..mail.outbox import queue_mail
from ..places.models import Town
from ..urls import mail_url
from .models import Employer, StandBooking, Vacancy


def _to_user(
    kind: str, user: User, template: str, language: str, town: Town, *, answer: bool = False, **context: object
) -> None:
    """A mail to a user of a company, signed by the contact person of the company's (or the event's) town, with the
    link to the company's area below (unless it answers the user's own action just now)."""
    queue_mail(
        kind=kind,
        recipient=user.email,
        recipient_name=user.full_name or None,
        template=template,
        language=language,
        context={"user": user, "account_url": None if answer else account_url(language), **context},
        town=town,
        answer=answer,
    )


def account_url(language: str) -> str:
    """The company area, where a company's users manage their profile, vacancies, stands and colleagues."""
    return mail_url("company_area.dashboard", language)


def signup_known(user: User, language: str) -> None:
    """Someone signed up with an address that has an account: its owner learns how to log in instead, signed by the
    town the account belongs to."""
    queue_mail(
        kind="employer.signup_known",
        answer=True,
        recipient=user.email,
        town=home_town(user),
        template="employer_signup_known",
        language=language,
        context={
            "login_link": mail_url("accounts.login", language),
            "reset_link": mail_url("accounts.forgot_password", language),
        },
    )


def verify_address(user: User, employer: Employer, token: str, language: str) -> None:
    """The link that confirms a new company's first address."""
    _to_user(
        "employer.verify",
        user,
        "employer_verify",
        language,
        employer.town,
        answer=True,
        employer=employer,
        link=mail_url("accounts.verify_email", language, token=token),
        days=VERIFY_LIFETIME.days,
    )


def approved(user: User, employer: Employer) -> None:
    """The organizers made the company public."""
    _to_user(
        "employer.approved",
        user,
        "employer_approved",
        user.language,
        employer.town,
        employer=employer,
        link=mail_url("company_area.dashboard", user.language),
    )


def invitation(email: str, employer: Employer, inviter: User, token: str, language: str) -> None:
    """An invitation to join the company's account."""
    queue_mail(
        kind="employer.invite",
        invitation=True,
        recipient=email,
        template="employer_invite",
        language=language,
        town=employer.town,
        context={
            "employer": employer,
            "inviter": inviter,
            "link": mail_url("company_area.join", language, token=token),
            "days": INVITE_LIFETIME.days,
        },
    )


def invitation_for_known_address(email: str, employer: Employer, inviter: User, language: str) -> None:
    """An invitation to an address that has an account already: a note instead of a link."""
    queue_mail(
        kind="employer.invite_known",
        invitation=True,
        recipient=email,
        template="employer_invite_known",
        language=language,
        town=employer.town,
        context={"employer": employer, "inviter": inviter},
    )


def changes_reviewed(user: User, employer: Employer, *, approved: bool, reason: str) -> None:
    """The organizers' second look at the company's edits: public now, or not, and why."""
    _to_user(
        "employer.changes_approved" if approved else "employer.changes_declined",
        user,
        "employer_changes_approved" if approved else "employer_changes_declined",
        user.language,
        employer.town,
        employer=employer,
        reason=reason,
        link=mail_url("company_area.profile", user.language),
    )


def stand_confirmed(user: User, stand: StandBooking) -> None:
    """The organizers confirmed a stand."""
    _to_user(
        "employer.stand_confirmed",
        user,
        "employer_stand_confirmed",
        user.language,
        stand.event.venue.town,
        stand=stand,
        event=stand.event,
        link=mail_url("company_area.stands", user.language),
    )


def vacancy_published(user: User, vacancy: Vacancy) -> None:
    """The organizers put a vacancy on the board."""
    _to_user(
        "employer.vacancy_published",
        user,
        "employer_vacancy_published",
        user.language,
        vacancy.employer.town,
        vacancy=vacancy,
        link=mail_url("jobs_board.detail", user.language, vacancy_id=vacancy.id),
        area_link=mail_url("company_area.vacancy", user.language, vacancy_id=vacancy.id),
    )


def declined(user: User, employer: Employer, what: str, name: str, reason: str) -> None:
    """The organizers declined a company, a vacancy, a stand or a profile change, with their reason.

    :param what: ``employer``, ``vacancy``, ``stand`` or ``profile``; ``name`` is what it was called.
    """
    _to_user(
        "employer.declined",
        user,
        "employer_declined",
        user.language,
        employer.town,
        employer=employer,
        what=what,
        name=name,
        reason=reason,
        link=mail_url("company_area.dashboard", user.language),
    )
