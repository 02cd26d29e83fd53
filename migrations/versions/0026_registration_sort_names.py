"""registration sort names

Each registration keeps its person's last and first name as the organizers' list sorts them (without case and
accents, DIN 5007 variant 1), with an index on the event and these names: a page of an event's list sorted by name
is read from the index instead of joining and sorting all of the event's people. The names of the existing
registrations are folded here as the app folds them at this revision, so that later changes to the app cannot
change what this migration does. The names are compared character by character on both databases (collation "C"
on PostgreSQL). The index is built in the migration's transaction, so registrations wait while it builds (seconds
for some hundred thousand rows): run it outside a day's opening.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 21:30:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


registrations = sa.table(
    "registrations",
    sa.column("id", sa.Integer),
    sa.column("profile_id", sa.Integer),
    sa.column("sort_last_name", sa.String),
    sa.column("sort_first_name", sa.String),
)
profiles = sa.table(
    "returnee_profiles",
    sa.column("id", sa.Integer),
    sa.column("first_name", sa.String),
    sa.column("last_name", sa.String),
)


UNACCENTED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
SORT_NAME = sa.String(length=100).with_variant(sa.String(length=100, collation="C"), "postgresql")


def _sort_key(name):
    folded = unicodedata.normalize("NFKD", (name or "").casefold().translate(UNACCENTED))
    return "".join(char for char in folded if not unicodedata.combining(char))[:100]


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sort_last_name", SORT_NAME, nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sort_first_name", SORT_NAME, nullable=False, server_default=""))
    connection = op.get_bind()
    names = [
        {"profile": profile_id, "last": _sort_key(last_name), "first": _sort_key(first_name)}
        for profile_id, first_name, last_name in connection.execute(
            sa.select(profiles.c.id, profiles.c.first_name, profiles.c.last_name).where(
                sa.exists().where(registrations.c.profile_id == profiles.c.id)
            )
        )
    ]
    if names:  # one statement executed for every profile
        connection.execute(
            registrations.update()
            .where(registrations.c.profile_id == sa.bindparam("profile"))
            .values(sort_last_name=sa.bindparam("last"), sort_first_name=sa.bindparam("first")),
            names,
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.alter_column("sort_last_name", existing_type=SORT_NAME, server_default=None)
        batch_op.alter_column("sort_first_name", existing_type=SORT_NAME, server_default=None)
        batch_op.create_index(
            "ix_registrations_event_id_sort_name",
            ["event_id", "sort_last_name", "sort_first_name", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_event_id_sort_name")
        batch_op.drop_column("sort_first_name")
        batch_op.drop_column("sort_last_name")
