"""registration list indexes

The organizers' list pages an event's registrations by date, and counts a waiting party's place in line, from
indexes rather than by sorting every registration of the event.

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-01 12:30:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index("ix_registrations_event_id_created_at", ["event_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_registrations_event_id_status_waitlist_position",
            ["event_id", "status", "waitlist_position"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_event_id_status_waitlist_position")
        batch_op.drop_index("ix_registrations_event_id_created_at")
