"""one working time vocabulary

Vacancies kept their working times as a padded string (" full_time shifts "), profiles as a JSON list; both now
hold the same set of ``WorkingTime`` members as an integer of bits (see ``occupations.working_times``), converted
row by row.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00

"""

import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Fixed here, as the migration must not change when the application's enum does.
BITS = {"full_time": 1, "part_time": 2, "shifts": 4, "remote": 8, "mini_job": 16}


def _to_bits(names):
    return sum(bit for name, bit in BITS.items() if name in set(names))


def _from_bits(bits):
    return [name for name, bit in BITS.items() if (bits or 0) & bit]


def _json_list(value):
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)


def _padded(names):
    return " " + " ".join(names) + " "


def _convert(table, old_type, new_type, convert):
    """Add a new column, fill it from the old one row by row, drop the old one and give the new one its name."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_times_new", new_type, nullable=True))
    rows = sa.table(
        table,
        sa.column("id", sa.Integer),
        sa.column("working_times", old_type),
        sa.column("working_times_new", new_type),
    )
    connection = op.get_bind()
    for row_id, value in connection.execute(sa.select(rows.c.id, rows.c.working_times)).all():
        connection.execute(rows.update().where(rows.c.id == row_id).values(working_times_new=convert(value)))
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column("working_times")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(
            "working_times_new", new_column_name="working_times", existing_type=new_type, nullable=False
        )


def upgrade():
    _convert("vacancies", sa.String(100), sa.Integer(), lambda value: _to_bits((value or "").split()))
    _convert("returnee_profiles", sa.JSON(), sa.Integer(), lambda value: _to_bits(_json_list(value)))


def downgrade():
    _convert("vacancies", sa.Integer(), sa.String(100), lambda bits: _padded(_from_bits(bits)))
    _convert("returnee_profiles", sa.Integer(), sa.JSON(), _from_bits)
