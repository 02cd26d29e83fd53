"""The migrations build the schema the models describe, and go down and up again."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from rueckkehr.employers.models import Vacancy
from rueckkehr.extensions import db
from rueckkehr.occupations.models import OccupationArea, OccupationGroup
from rueckkehr.occupations.working_times import WorkingTime, offers
from rueckkehr.places.models import Town
from rueckkehr.returnees.models import ReturneeProfile


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


def test_working_times_become_one_vocabulary_and_come_back(app: Flask, make_employer: Any) -> None:
    """0012 turns the vacancies' padded strings and the profiles' JSON lists into the same set of bits."""
    employer_id = make_employer().id
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0011")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO vacancies (employer_id, title, occupation_group_code, skill_level, place_name,"
                " place_postal_code, working_times, contract, description, apply_url, apply_email, valid_until,"
                " status, created_at, updated_at) VALUES (:employer, 'Schlosser/in', '24', 2, '', '',"
                " ' full_time shifts ', 'permanent', 'Text', '', 'a@b.de', '2027-01-31', 'draft', :now, :now)"
            ),
            {"employer": employer_id, "now": datetime.now(UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO returnee_profiles (email, language, first_name, last_name, postal_code, city, country,"
                " working_times, interests, link_key, link_generation, created_at, updated_at) VALUES"
                " ('p@example.org', 'de', 'P', 'Q', '01968', 'Senftenberg', 'DE', :times, '[]', 'k', 0, :now, :now)"
            ),
            {"times": json.dumps(["part_time", "remote"]), "now": datetime.now(UTC)},
        )
    upgrade()
    assert db.session.scalars(select(Vacancy.working_times)).one() == [WorkingTime.FULL_TIME, WorkingTime.SHIFTS]
    assert db.session.scalars(select(ReturneeProfile.working_times)).one() == [
        WorkingTime.PART_TIME,
        WorkingTime.REMOTE,
    ]
    part_time = select(Vacancy.id).where(offers(Vacancy.working_times, WorkingTime.SHIFTS))
    assert len(db.session.scalars(part_time).all()) == 1
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0011")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT working_times FROM vacancies")).scalar_one() == " full_time shifts "
        stored = connection.execute(text("SELECT working_times FROM returnee_profiles")).scalar_one()
        assert (stored if isinstance(stored, list) else json.loads(stored)) == ["part_time", "remote"]  # PG: JSON
    upgrade()


def test_second_factors_stored_in_clear_are_encrypted_and_come_back(app: Flask, make_staff: Any) -> None:
    """0024 encrypts every TOTP secret the column held in clear; going down gives the clear secrets back."""
    from rueckkehr.accounts.models import User

    user_id = make_staff().id
    secret = db.session.get(User, user_id).totp_secret
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0020")

    def stored() -> str:
        with db.engine.connect() as connection:
            return str(
                connection.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar()
            )

    assert stored() == secret  # in clear, as before 0024
    upgrade()
    assert stored().startswith("gAAAAA") and secret not in stored()
    assert db.session.get(User, user_id).totp_secret == secret
    assert pending_differences() == []


def test_registrations_get_their_people_s_sort_names(app: Flask, make_event: Any) -> None:
    """0026 gives every registration its person's names as the list sorts them (case and accents folded)."""
    from rueckkehr.registrations.models import Registration, RegistrationStatus

    event = make_event()
    profile = ReturneeProfile(
        email="oe@example.org",
        first_name="Åsa",
        last_name="Özdemir-Straß",
        postal_code="0150",
        city="Oslo",
        country="NO",
    )
    db.session.add(Registration(profile=profile, event_id=event.id, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0025")
    with db.engine.connect() as connection:
        assert "sort_last_name" not in {column["name"] for column in inspect(connection).get_columns("registrations")}
    upgrade()
    with db.engine.connect() as connection:
        names = connection.execute(text("SELECT sort_last_name, sort_first_name FROM registrations")).all()
    assert [tuple(row) for row in names] == [("ozdemir-strass", "asa")]
    assert pending_differences() == []


def test_staff_made_on_the_command_line_before_0028_count_as_confirmed(app: Flask) -> None:
    """0028: an active admin or organizer without a confirmed address came from ``flask create-user``; an invited one
    (inactive until the link is used) and an employer who has not confirmed yet stay unconfirmed."""
    from rueckkehr.accounts.models import Role, User

    made = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    people = {
        "cli@rwk.test": (Role.ADMIN, True),
        "invited@rwk.test": (Role.ORGANIZER, False),
        "firma@rwk.test": (Role.EMPLOYER, True),
    }
    for email, (role, active) in people.items():
        user = User(email=email, role=role, active=active, created_at=made)
        user.set_password("lausitz-rueckkehr-2026")
        db.session.add(user)
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0027")
    upgrade()
    confirmed = {user.email: user.email_verified_at for user in db.session.scalars(select(User))}
    assert confirmed["cli@rwk.test"] == made
    assert confirmed["invited@rwk.test"] is None and confirmed["firma@rwk.test"] is None


def test_addresses_at_domains_with_umlauts_are_stored_in_idna_from_0030(app: Flask) -> None:
    """0030 rewrites a domain with umlauts into the form mail servers read, where that form is not taken already."""
    from rueckkehr.accounts.models import Role, User

    for email in ("chef@müller.de", "a@xn--mller-kva.de", "a@müller.de"):
        user = User(email=email, role=Role.ADMIN)
        user.set_password("lausitz-rueckkehr-2026")
        db.session.add(user)
    db.session.add(ReturneeProfile(email="jana@bäcker.de", first_name="Jana", last_name="B", postal_code="0150",
                                   city="Oslo", country="NO"))  # fmt: skip
    town = db.session.scalar(select(Town).where(Town.slug == "senftenberg"))
    town.contact_email = "info@städte.de"
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    downgrade(revision="0029")
    upgrade()
    assert set(db.session.scalars(select(text("email")).select_from(text("users")))) == {
        "chef@xn--mller-kva.de", "a@xn--mller-kva.de", "a@müller.de"  # the last one's form is taken: it stays
    }  # fmt: skip
    assert db.session.scalar(select(ReturneeProfile.email)) == "jana@xn--bcker-gra.de"
    assert db.session.scalar(select(Town.contact_email).where(Town.slug == "senftenberg")) == "info@xn--stdte-hra.de"
