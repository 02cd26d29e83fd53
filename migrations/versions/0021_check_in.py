"""check-in

Each registration gets the random secret its ticket's QR code holds (existing ones too) and the time its party was
let in; the scans that reached the server are kept by their nonce, so a scan uploaded twice counts once.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 12:30:00

"""

import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as rueckkehr.registrations.tickets, frozen here


def _secret():
    return "".join(secrets.choice(ALPHABET) for _ in range(32))


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_secret", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    registrations = sa.table("registrations", sa.column("id", sa.Integer), sa.column("ticket_secret", sa.String))
    for (registration_id,) in connection.execute(sa.select(registrations.c.id)).all():
        connection.execute(
            registrations.update().where(registrations.c.id == registration_id).values(ticket_secret=_secret())
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.alter_column("ticket_secret", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_registrations_ticket_secret"), ["ticket_secret"])

    op.create_table(
        "check_in_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.Enum("in", "undo", name="scanaction", native_enum=False, length=20), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "checked_in",
                "already",
                "undone",
                "not_checked_in",
                "not_seated",
                "ambiguous",
                "unknown",
                name="scanoutcome",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_check_in_scans_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_check_in_scans_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_check_in_scans_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_scans")),
        sa.UniqueConstraint("nonce", name=op.f("uq_check_in_scans_nonce")),
    )
    with op.batch_alter_table("check_in_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_in_scans_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_in_scans_registration_id"), ["registration_id"], unique=False)


def downgrade():
    with op.batch_alter_table("check_in_scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_scans_registration_id"))
        batch_op.drop_index(batch_op.f("ix_check_in_scans_event_id"))
    op.drop_table("check_in_scans")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_registrations_ticket_secret"), type_="unique")
        batch_op.drop_column("checked_in_at")
        batch_op.drop_column("ticket_secret")
