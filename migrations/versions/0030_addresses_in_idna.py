"""addresses in idna

Addresses are stored and compared with their domain in the ASCII form mail servers read (IDNA): ``jana@müller.de``
is stored as ``jana@xn--mller-kva.de``, as browsers send it from an e-mail field. An address stored before with its
domain in Unicode is rewritten into that form, so that the log-in, the reset and the link forms find it and its
mails (a town's contact address stands in the Reply-To of every mail of the town) can be sent. Where the rewritten
form is taken already by another row, the row is left as it is.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03 13:20:00

"""

import idna
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

COLUMNS = [("users", "email", True), ("returnee_profiles", "email", True), ("alert_subscriptions", "email", False),
           ("towns", "contact_email", False)]  # fmt: skip


def ascii_form(address: str) -> str | None:
    """The address with its domain in IDNA, or None when it needs no change (or has no domain to encode)."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return None
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return None


def upgrade():
    connection = op.get_bind()
    for table, column, unique in COLUMNS:
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()  # noqa: S608
        taken = {address for _id, address in rows}
        for row_id, address in rows:
            rewritten = ascii_form(address)
            if rewritten is None or (unique and rewritten in taken):
                continue
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :address WHERE id = :id"),  # noqa: S608
                {"address": rewritten, "id": row_id},
            )
            taken.add(rewritten)


def downgrade():
    pass  # the ASCII form is the same address; nothing to give back
