"""Users and their roles; organizers are bound to towns."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import EncryptedString, UTCDateTime, string_enum
from ..dates import utcnow
from ..extensions import Model, db
from ..places.models import Town


def hash_password(password: str) -> str:
    """A hash of the password by the method the configuration names: werkzeug's scrypt at its own cost by default;
    the tests name scrypt at a lower cost, since they make and check thousands of hashes."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class Role(enum.StrEnum):
    """What a user may do: admins see every town, organizers their towns, employers their company."""

    ADMIN = "admin"
    ORGANIZER = "organizer"
    EMPLOYER = "employer"


organizer_towns = Table(
    "organizer_towns",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("town_id", ForeignKey("towns.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Model):
    """A person who logs in: admin, organizer or employer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(
        String(8), default="de", server_default="de", doc="The language the user's mails are written in"
    )
    session_version: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Raised to end every session, e.g. on a reset"
    )
    totp_secret: Mapped[str | None] = mapped_column(
        EncryptedString,
        deferred=True,  # read (and decrypted) only where a code is checked, not on every request's log-in check
        doc="The second factor's TOTP secret (base32), stored encrypted",
    )
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(doc="The last time step used: a code works once")
    second_factor_version: Mapped[int] = mapped_column(
        default=0, server_default="0", doc="Raised when the factor is reset: remembered devices are forgotten"
    )

    towns: Mapped[list[Town]] = relationship(secondary=organizer_towns, order_by="Town.sort_order")

    @property
    def is_staff(self) -> bool:
        """Admins and organizers: they work in the organizer workspace, behind a second factor."""
        return self.role in (Role.ADMIN, Role.ORGANIZER)

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in."""
        return self.active

    def get_id(self) -> str:
        """The session's user id, bound to the session version: raising it logs the user out everywhere."""
        return f"{self.id}.{self.session_version}"

    def set_password(self, password: str) -> None:
        """Hash and store a password (``hash_password``)."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Whether the given password matches."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
