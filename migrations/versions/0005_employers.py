"""employers, vacancies with their search terms, stand bookings, account tokens; users gain name and company

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 07:00:03.697124

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("locality", sa.String(length=120), nullable=False),
        sa.Column("sector_code", sa.String(length=1), nullable=False),
        sa.Column(
            "size_band",
            sa.Enum("1-9", "10-49", "50-249", "250+", name="sizeband", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("logo_filename", sa.String(length=80), nullable=True),
        sa.Column(
            "status",
            sa.Enum("pending", "approved", name="employerstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sector_code"], ["occupation_areas.code"], name=op.f("fk_employers_sector_code_occupation_areas")
        ),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_employers_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_sector_code"), ["sector_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_employers_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_employers_town_id"), ["town_id"], unique=False)

    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("occupation_group_code", sa.String(length=2), nullable=False),
        sa.Column("skill_level", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=True),
        sa.Column("place_name", sa.String(length=120), nullable=False),
        sa.Column("place_postal_code", sa.String(length=10), nullable=False),
        sa.Column("working_times", sa.String(length=100), nullable=False),
        sa.Column(
            "contract",
            sa.Enum("permanent", "fixed_term", name="contract", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("salary_min", sa.Integer(), nullable=True),
        sa.Column("salary_max", sa.Integer(), nullable=True),
        sa.Column(
            "salary_period",
            sa.Enum("hour", "month", "year", name="salaryperiod", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("apply_url", sa.String(length=300), nullable=False),
        sa.Column("apply_email", sa.String(length=254), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "published",
                "expired",
                "filled",
                "withdrawn",
                name="vacancystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_vacancies_employer_id_employers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["occupation_group_code"],
            ["occupation_groups.code"],
            name=op.f("fk_vacancies_occupation_group_code_occupation_groups"),
        ),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_vacancies_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
    )
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.create_index("ix_vacancies_board", ["status", "valid_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancies_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancies_occupation_group_code"), ["occupation_group_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancies_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancies_town_id"), ["town_id"], unique=False)

    op.create_table(
        "account_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("verify_email", "reset_password", "invite", name="tokenpurpose", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_account_tokens_employer_id_employers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_tokens_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "stand_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("space_note", sa.Text(), nullable=False),
        sa.Column("needs_power", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("requested", "confirmed", "cancelled", name="standstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_stand_bookings_employer_id_employers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_stand_bookings_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stand_bookings")),
        sa.UniqueConstraint("employer_id", "event_id", name=op.f("uq_stand_bookings_employer_id")),
    )
    with op.batch_alter_table("stand_bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stand_bookings_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stand_bookings_event_id"), ["event_id"], unique=False)

    op.create_table(
        "vacancy_terms",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancies.id"], name=op.f("fk_vacancy_terms_vacancy_id_vacancies"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token", "vacancy_id", name=op.f("pk_vacancy_terms")),
    )
    with op.batch_alter_table("vacancy_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vacancy_terms_vacancy_id"), ["vacancy_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("full_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("employer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_employer_id"), ["employer_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_users_employer_id_employers"), "employers", ["employer_id"], ["id"], ondelete="CASCADE"
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_employer_id_employers"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_employer_id"))
        batch_op.drop_column("email_verified_at")
        batch_op.drop_column("employer_id")
        batch_op.drop_column("full_name")

    with op.batch_alter_table("vacancy_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vacancy_terms_vacancy_id"))

    op.drop_table("vacancy_terms")
    with op.batch_alter_table("stand_bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stand_bookings_event_id"))
        batch_op.drop_index(batch_op.f("ix_stand_bookings_employer_id"))

    op.drop_table("stand_bookings")
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_account_tokens_employer_id"))

    op.drop_table("account_tokens")
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vacancies_town_id"))
        batch_op.drop_index(batch_op.f("ix_vacancies_published_at"))
        batch_op.drop_index(batch_op.f("ix_vacancies_occupation_group_code"))
        batch_op.drop_index(batch_op.f("ix_vacancies_employer_id"))
        batch_op.drop_index("ix_vacancies_board")

    op.drop_table("vacancies")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employers_town_id"))
        batch_op.drop_index(batch_op.f("ix_employers_status"))
        batch_op.drop_index(batch_op.f("ix_employers_sector_code"))

    op.drop_table("employers")
