"""Organizer accounts: admins invite by mail, set role and towns, deactivate; the invited person sets a password.

An invited account exists from the invitation on (inactive, with no usable password), so its towns are set before
the first log-in. The second factor is enrolled at that first log-in; a lost one is reset by an admin
(``accounts.second_factor.reset``), never by mail alone.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from .. import actors
from ..accounts.models import Role, User
from ..accounts.operations import find_user
from ..accounts.sessions import end_all_sessions
from ..accounts.tokens import AccountToken, TokenPurpose, issue_token
from ..actors import acting_as
from ..addresses import normalise_email
from ..audit.operations import record
from ..dates import utcnow
from ..extensions import db
from ..mail.dispatch import hand_over
from ..mail.models import OutboxMessage, OutboxStatus
from ..places.models import Town
from . import notifications

STAFF_INVITE_LIFETIME = timedelta(days=7)


class AccountError(ValueError):
    """A change of an account that cannot be made; the message is for the admin."""


def _towns_for(role: Role, towns: list[Town]) -> list[Town]:
    return sorted(towns, key=lambda town: town.sort_order) if role == Role.ORGANIZER else []


def invite_staff(email: str, full_name: str, role: Role, towns: list[Town], language: str) -> User:
    """Create an inactive admin or organizer account and mail the invitation to choose a password."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError("exists")
    user = User(email=email, full_name=full_name, role=role, towns=_towns_for(role, towns), active=False)
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the link sets the first password
    db.session.add(user)
    db.session.flush()
    token = issue_token(TokenPurpose.STAFF_INVITE, STAFF_INVITE_LIFETIME, user=user)
    record(
        "user.invited",
        user,
        changes={"role": role.value, "towns": [town.slug for town in user.towns]},
        personal={"email": email},
    )
    notifications.staff_invitation(user, token, STAFF_INVITE_LIFETIME.days, language)
    return user


def resend_invitation(user: User, language: str) -> None:
    """A fresh invitation link for an account that was never taken up (the old link stops working)."""
    if user.email_verified_at is not None:
        raise AccountError("accepted")
    token = issue_token(TokenPurpose.STAFF_INVITE, STAFF_INVITE_LIFETIME, user=user)
    record("user.invited", user, changes={"again": True})
    notifications.staff_invitation(user, token, STAFF_INVITE_LIFETIME.days, language)


def accept_invitation(token: AccountToken, full_name: str, password: str) -> User:
    """The invited person sets their name and password; the link proves the address and is used up."""
    user = token.user
    if user is None or not user.is_staff:
        raise AccountError("no user")
    now = utcnow()
    user.full_name = full_name
    user.set_password(password)
    user.active = True
    user.email_verified_at = user.email_verified_at or now
    user.session_version += 1
    token.used_at = now
    with acting_as(actors.user(user.id, user.role.value)):  # the link's token proves who it is, as a log-in does
        record("user.invitation_accepted", user)
    return user


def change_role(user: User, role: Role, towns: list[Town], acting_user_id: int) -> User:
    """Set an account's role and towns (admins cannot demote themselves: someone must stay admin)."""
    if user.id == acting_user_id and role != Role.ADMIN:
        raise AccountError("self")
    before = (user.role, [town.slug for town in user.towns])
    user.role = role
    user.towns = _towns_for(role, towns)
    after = (user.role, [town.slug for town in user.towns])
    if before != after:
        end_all_sessions(user)  # what the person may see changed: their sessions begin anew
        record("user.role_changed", user, changes={"role": role.value, "towns": after[1]})
    return user


def set_active(user: User, active: bool, acting_user_id: int) -> User:
    """Deactivate an account (every session ends) or activate it again; an invitation not taken up yet cannot be
    activated (``AccountError``)."""
    if user.id == acting_user_id:
        raise AccountError("self")
    if active and user.email_verified_at is None:
        raise AccountError("invited")  # nobody knows its password yet: the invitation's link activates it
    if user.active != active:
        user.active = active
        end_all_sessions(user)
        record("user.activated" if active else "user.deactivated", user)
    return user


def retry_failed(message: OutboxMessage) -> bool:
    """Queue a failed mail again; return False when it is not failed (sent meanwhile, or queued already)."""
    if message.status != OutboxStatus.FAILED:
        return False
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.last_error = None
    record("outbox_message.retried", message, town_id=message.town_id, profile_id=message.profile_id)
    hand_over(message.id)
    return True
