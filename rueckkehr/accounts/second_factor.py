"""The second factor of admins and organizers: TOTP (RFC 6238), ten single-use recovery codes, a remembered device.

A code works once (the last time step used is stored), recovery codes are stored as keyed hashes only, and a
remembered device is a signed cookie bound to the user and to the factor's version: when an admin resets a lost
factor, the version rises and every remembered device is forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .. import actors
from ..actors import acting_as
from ..audit.operations import record
from ..database import UNREADABLE, UTCDateTime
from ..dates import utcnow
from ..extensions import Model, db
from .models import User
from .sessions import end_all_sessions

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
REMEMBER_DAYS = 30
REMEMBER_COOKIE = "rk_device"
ISSUER = "Rückkehrertage RWK Westlausitz"


class RecoveryCode(Model):
    """One single-use recovery code, stored as a keyed hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def new_secret() -> str:
    """A fresh TOTP secret (160 bits, base32)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The QR code of an address as inline SVG (no external request, no inline style)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)  # noqa: S704 (segno writes the SVG; the address is URL-encoded inside it)


def grouped(secret: str) -> str:
    """The secret in groups of four, to type into an app by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now, or one step either side for clock drift) whose code this is, or None."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()) or secret == UNREADABLE:  # a key lost: no code matches
        return None
    totp = pyotp.TOTP(secret)
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            return int(totp.timecode(moment))
    return None


def code_is_valid(secret: str, code: str, now: datetime | None = None) -> bool:
    """Whether the code belongs to the secret right now (for the enrolment, before anything is stored)."""
    return _matching_step(secret, code, now or utcnow()) is not None


def _recovery_digest(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    normalised = "".join(code.lower().split()).replace("-", "")
    return hmac.new(key, f"recovery:{normalised}".encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten fresh ones; return them in plain text (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_digest(raw)))
    return codes


def enable(user: User, secret: str, code: str, now: datetime | None = None) -> list[str] | None:
    """Store a confirmed secret (the first code proves the app has it); return the recovery codes, or None when
    the code is wrong."""
    now = now or utcnow()
    step = _matching_step(secret, code, now)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = now
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    with acting_as(actors.user(user.id, user.role.value)):  # the password and the first code proved who it is
        record("user.second_factor_enabled", user)
    return codes


def verify(user: User, code: str, now: datetime | None = None) -> bool:
    """Check a code of the user's app; each code works once (a replayed or older step is refused)."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now or utcnow())
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def use_recovery_code(user: User, code: str, now: datetime | None = None) -> bool:
    """Spend one recovery code; a used or unknown one is refused."""
    found = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return False
    found.used_at = now or utcnow()
    with acting_as(actors.user(user.id, user.role.value)):  # the password and the code proved who it is
        record("user.recovery_code_used", user)
    return True


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


def renew_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_renewed", user)
    return codes


def reset(user: User) -> None:
    """An admin resets a lost factor: the secret, the codes and every remembered device go, every session ends.

    The user enrols again at the next log-in, after the password; a mail alone never resets a factor.
    """
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.second_factor_version += 1
    end_all_sessions(user)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record("user.second_factor_reset", user)


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="rueckkehr.remembered-device")


def remember_token(user: User) -> str:
    """The value of the cookie that lets this browser skip the code for 30 days."""
    return str(_device_signer().dumps({"u": user.id, "v": user.second_factor_version}))


def is_remembered(user: User, token: str | None) -> bool:
    """Whether the cookie was made for this user, for the factor as it is now, at most 30 days ago."""
    if not token or user.totp_secret is None:
        return False
    try:
        data = _device_signer().loads(token, max_age=REMEMBER_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == user.id and data.get("v") == user.second_factor_version
