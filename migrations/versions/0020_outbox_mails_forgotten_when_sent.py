"""outbox mails forgotten when sent

The calendar cancellation that an erasure sends must outlive the erasure of the returnee's mails, but not stay in
the outbox once it went out (or failed for good).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 11:05:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forget_when_sent", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("forget_when_sent")
