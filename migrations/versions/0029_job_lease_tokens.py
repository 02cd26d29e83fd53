"""job lease tokens

A run of a periodic job holds its lease by a token of its own, renews it while it runs and frees only its own: a
run longer than the ten minutes of the lease was started a second time by the next `flask jobs run`, and the first
run's end freed the second one's lease as well. Empty for every existing lease: a run still holding one when this
migration ran finishes without the token and its lease passes as before.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03 13:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job_runs") as batch:
        batch.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("lease_token")
