"""registration list indexes, encrypted second factors, news announcements

The organizers' list pages an event's registrations by date, and counts a waiting party's place in line, from
indexes rather than by sorting every registration of the event.

The staff's TOTP secrets are encrypted at rest (Fernet): the column widens for the token and every secret stored in
clear is encrypted with the first of COLUMN_ENCRYPTION_KEYS, or with the key derived from SECRET_KEY. The key
handling is written out here as it stands at this revision, so that later changes to the app cannot change what
this migration does.

Publishing new Rückkehrertage stores a news announcement that ``flask jobs run`` sends to the subscribers in
batches, remembering how far it got.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 12:30:00

"""

import base64

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so; a base32 TOTP secret (A–Z, 2–7) never does
users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _fernet():
    config = current_app.config
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"rueckkehr column encryption")
    derived = Fernet(base64.urlsafe_b64encode(hkdf.derive(str(config["SECRET_KEY"]).encode())))
    keys = [k.strip() for k in (config.get("COLUMN_ENCRYPTION_KEYS") or "").split(",") if k.strip()]
    return MultiFernet([*(Fernet(key.encode()) for key in keys), derived])


def _secrets(connection):
    return connection.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None)))


def upgrade():
    op.create_table(
        "news_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_profile_id", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_announcements")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index("ix_registrations_event_id_created_at", ["event_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_registrations_event_id_status_waitlist_position",
            ["event_id", "status", "waitlist_position"],
            unique=False,
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(64), type_=sa.String(255))
    connection = op.get_bind()
    fernet = _fernet()
    for user_id, secret in list(_secrets(connection)):
        if not secret.startswith(FERNET_PREFIX):
            sealed = fernet.encrypt(secret.encode()).decode("ascii")
            connection.execute(users.update().where(users.c.id == user_id).values(totp_secret=sealed))


def downgrade():
    connection = op.get_bind()
    fernet = _fernet()
    for user_id, secret in list(_secrets(connection)):
        if secret.startswith(FERNET_PREFIX):
            clear = fernet.decrypt(secret.encode("ascii")).decode()  # InvalidToken: wrong keys, stop here
            connection.execute(users.update().where(users.c.id == user_id).values(totp_secret=clear))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(255), type_=sa.String(64))
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_event_id_status_waitlist_position")
        batch_op.drop_index("ix_registrations_event_id_created_at")
    op.drop_table("news_announcements")
