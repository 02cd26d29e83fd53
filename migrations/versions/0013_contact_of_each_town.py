"""contact of each town

Every mail names the organizing town's contact person for returnees and sends replies there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("towns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=32), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("towns", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_name")
