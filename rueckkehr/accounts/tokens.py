"""Single-use, expiring tokens for e-mail verification, password reset and invitations (colleagues, staff).

Only a SHA-256 hash of each token is stored: a leaked database holds no usable link.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model, db
from .models import User


class TokenPurpose(enum.StrEnum):
    """What a token lets its holder do."""

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 (a purpose, not a password)
    INVITE = "invite"
    STAFF_INVITE = "staff_invite"


class AccountToken(Model):
    """A hashed single-use token with an expiry."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(string_enum(TokenPurpose))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="", doc="The invited address (invitations only)")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Not used yet and not expired."""
        return self.used_at is None and self.expires_at > now


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    purpose: TokenPurpose,
    lifetime: timedelta,
    *,
    user: User | None = None,
    employer_id: int | None = None,
    email: str = "",
) -> str:
    """Create a token, retire earlier unused ones of the same purpose and user, and return its plain text."""
    now = utcnow()
    if user is not None and user.id is not None:
        db.session.execute(
            update(AccountToken)
            .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
            .values(used_at=now)
        )
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            token_hash=hash_token(token),
            purpose=purpose,
            user=user,
            employer_id=employer_id,
            email=email,
            expires_at=now + lifetime,
        )
    )
    return token


def find_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The usable token of this purpose, or None when it is unknown, used or expired."""
    if not token or len(token) > 100:
        return None
    found = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    )
    if found is None or not found.is_usable(utcnow()):
        return None
    return found
