"""erased invite step

Each event keeps the highest own step of the calendar invitations of registrations erased since (their CANCEL
outlives them): a later registration from the same address starts its invitation above it, where it started at 0
and calendars ignored it as older than the CANCEL. Empty for every existing event: nothing is known of the
registrations erased before.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 09:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("erased_invite_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("erased_invite_step")
