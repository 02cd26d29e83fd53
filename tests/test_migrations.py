"""The migrations build the schema the models describe, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from rueckkehr.extensions import db
from rueckkehr.occupations.models import OccupationArea, OccupationGroup
from rueckkehr.places.models import Town


def pending_differences() -> list[object]:
    """What autogenerate would still write: nothing when models and migrations agree."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app: Flask) -> None:
    assert pending_differences() == []


def test_reference_data_is_loaded_by_the_migrations(app: Flask) -> None:
    slugs = db.session.scalars(select(Town.slug).order_by(Town.sort_order)).all()
    assert slugs == ["finsterwalde", "grossraeschen", "lauchhammer", "schwarzheide", "senftenberg", "schipkau"]
    assert db.session.get(Town, 6).postal_code_list == ["01968", "01993", "01994", "01998"]
    assert db.session.scalar(select(func.count()).select_from(OccupationArea)) == 10
    assert db.session.scalar(select(func.count()).select_from(OccupationGroup)) == 37
    assert db.session.get(OccupationGroup, "81").area.name == "Gesundheit, Soziales, Lehre und Erziehung"


def test_downgrade_to_base_and_upgrade_again(app: Flask) -> None:
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert pending_differences() == []
    assert db.session.scalar(select(func.count()).select_from(Town)) == 6
