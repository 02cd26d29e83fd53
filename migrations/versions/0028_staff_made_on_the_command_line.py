"""staff made on the command line

Admins and organizers made with ``flask create-user`` before this revision kept no confirmed address, so the
workspace listed them as "invited" and offered to send them an invitation again. An active staff account without a
confirmed address can only come from the command line (an invited account stays inactive until its link sets the
password, which confirms the address; one activated by hand while its invitation was still open keeps waiting for
it), so such accounts count as confirmed since they were made.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03 12:30:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE users SET email_verified_at = created_at "
        "WHERE role IN ('admin', 'organizer') AND active AND email_verified_at IS NULL AND NOT EXISTS ("
        "SELECT 1 FROM account_tokens WHERE account_tokens.user_id = users.id "
        "AND account_tokens.purpose = 'staff_invite' AND account_tokens.used_at IS NULL)"
    )


def downgrade():
    pass  # which accounts were confirmed this way is not recorded; they stay confirmed
