"""change times of venues and programme items

Calendars show the venue and the programme of an event, so their versions must follow edits of both.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("programme_items", "venues"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    # Existing rows take the last change of their event (the newest of the venue's events), so calendars that
    # clients hold stay current as far as possible.
    op.execute(
        "UPDATE programme_items SET updated_at = "
        "(SELECT events.updated_at FROM events WHERE events.id = programme_items.event_id)"
    )
    op.execute(
        "UPDATE venues SET updated_at = COALESCE("
        "(SELECT MAX(events.updated_at) FROM events WHERE events.venue_id = venues.id), CURRENT_TIMESTAMP)"
    )
    for table in ("programme_items", "venues"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    for table in ("venues", "programme_items"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")
