"""search terms covering index

The jobs board sums the weights of a query's tokens per vacancy: with the weight in the index beside the token and
the vacancy, that sum is read from the index alone (no look-up of each term's row on SQLite, an index-only scan on
PostgreSQL).

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-01 12:55:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("vacancy_terms", schema=None) as batch_op:
        batch_op.create_index("ix_vacancy_terms_search", ["token", "vacancy_id", "weight"], unique=False)


def downgrade():
    with op.batch_alter_table("vacancy_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_vacancy_terms_search")
