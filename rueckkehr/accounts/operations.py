"""Account operations: log-in checks, password rules, password reset and e-mail verification."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from .. import actors
from ..actors import acting_as
from ..addresses import normalise_email
from ..audit.operations import record
from ..dates import utcnow
from ..extensions import db
from ..places.models import Town
from . import notifications
from .models import Role, User, hash_password
from .sessions import end_all_sessions
from .tokens import AccountToken, TokenPurpose, issue_token

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
RESET_LIFETIME = timedelta(hours=1)
VERIFY_LIFETIME = timedelta(days=3)
INVITE_LIFETIME = timedelta(days=7)

# The most common passwords of leak lists that pass the length rule; current guidance (NIST SP 800-63B,
# BSI IT-Grundschutz ORP.4) asks for length and a block list, not for composition rules.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "passwort1234",
        "password1234",
        "password12345",
        "passwortpasswort",
        "passwordpassword",
        "qwertzuiopü",
        "qwertyuiop123",
        "qwertzuiop12",
        "aaaaaaaaaaaa",
        "111111111111",
        "000000000000",
        "iloveyou1234",
        "ichliebedich1",
        "hallo1234567",
        "willkommen123",
        "rueckkehrertage",
        "rückkehrertage",
        "senftenberg123",
        "finsterwalde1",
    }
)


def password_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with a new password (empty when it is fine): length and a block list only."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_l("Bitte wählen Sie ein Passwort mit mindestens 12 Zeichen."))
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append(_l("Bitte wählen Sie ein Passwort mit höchstens 128 Zeichen."))
    lowered = password.strip().lower()
    local_part = normalise_email(email).split("@")[0]
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2 or (local_part and lowered == local_part):
        problems.append(_l("Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes."))
    return [str(problem) for problem in problems]


def find_user(email: str) -> User | None:
    """The user with this address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


_DUMMY_HASHES: dict[str, str] = {}  # by hashing method: the work of checking a real password


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None; takes as long whether the address exists or not."""
    user = find_user(email)
    if user is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = hash_password("no such user, no such password")
        check_password_hash(_DUMMY_HASHES[method], password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def needs_verification(user: User) -> bool:
    """Employers log in only after confirming their address."""
    return user.role == Role.EMPLOYER and user.email_verified_at is None


def request_password_reset(email: str, language: str) -> None:
    """Mail a single-use reset link if the address belongs to an active user; do nothing visible otherwise."""
    user = find_user(email)
    if user is None or not user.active:
        return
    token = issue_token(TokenPurpose.RESET_PASSWORD, RESET_LIFETIME, user=user)
    record("user.reset_requested", user)
    notifications.reset_link(user, token, int(RESET_LIFETIME.total_seconds() // 3600), language)


def reset_password(token: AccountToken, password: str) -> User:
    """Set a new password with a reset token and use the token up; a reset also proves the address."""
    now = utcnow()
    user = token.user
    if user is None:
        raise ValueError("the token belongs to no user")
    with acting_as(actors.user(user.id, user.role.value)):  # the link's token proves who it is, as a log-in does
        user.set_password(password)
        end_all_sessions(user)  # whoever knew the old password is logged out everywhere
        if user.email_verified_at is None:
            user.email_verified_at = now
        token.used_at = now
        record("user.password_reset", user)
    return user


def verify_email(token: AccountToken) -> User:
    """Mark the token's user's address as confirmed and use the token up."""
    now = utcnow()
    user = token.user
    if user is None:
        raise ValueError("the token belongs to no user")
    if user.email_verified_at is None:
        user.email_verified_at = now
    token.used_at = now
    with acting_as(actors.user(user.id, user.role.value)):  # the link's token proves who it is, as a log-in does
        record("user.email_verified", user)
    return user


def create_user(email: str, password: str, role: Role, towns: list[Town]) -> User:
    """An account made from the command line: the same password rules as everywhere, organizers bound to towns.

    Raises ValueError with what is wrong (in English, for the command line).
    """
    email = normalise_email(email)
    if "@" not in email or any(char.isspace() for char in email):
        raise ValueError("not an e-mail address")
    if not email.isascii():
        raise ValueError("an umlaut or accent before the @ is refused by most mail servers")
    if find_user(email) is not None:
        raise ValueError(f"a user with the address {email} exists already")
    if role == Role.ORGANIZER and not towns:
        raise ValueError("an organizer needs at least one --town")
    if role != Role.ORGANIZER and towns:
        raise ValueError("only organizers are bound to towns")
    problems = password_problems(password, email)
    if problems:
        raise ValueError(problems[0])
    user = User(email=email, role=role, towns=sorted(towns, key=lambda town: town.sort_order))
    user.set_password(password)
    if role != Role.EMPLOYER:  # whoever ran the command vouches for a staff address: no invitation is pending
        user.email_verified_at = utcnow()
    db.session.add(user)
    db.session.flush()
    record("user.created", user, changes={"role": role.value, "towns": [town.slug for town in user.towns]})
    return user
