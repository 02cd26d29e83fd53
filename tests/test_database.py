"""The database helpers that both databases must answer alike."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from rueckkehr.database import insert_all_ignoring_conflicts, insert_ignoring_conflict
from rueckkehr.employers.models import SearchWord
from rueckkehr.extensions import db
from tests.support.units import start_writing


def test_inserting_past_a_conflict_says_how_many_rows_went_in(app: Flask) -> None:
    """PostgreSQL's driver reports no row count (-1) for such an insert; the helpers count the rows themselves."""
    start_writing()
    assert (
        insert_ignoring_conflict(SearchWord, {"token": "elektriker", "reversed_token": "rekirtkele"}, ["token"]) is True
    )
    assert (
        insert_ignoring_conflict(SearchWord, {"token": "elektriker", "reversed_token": "rekirtkele"}, ["token"])
        is False
    )
    rows = [{"token": word, "reversed_token": word[::-1]} for word in ("elektriker", "lager", "fahrer")]
    assert insert_all_ignoring_conflicts(SearchWord, rows, ["token"]) == 2
    db.session.rollback()


def test_lower_folds_every_letter_not_ascii_alone(app: Flask) -> None:
    """The searches compare ``lower(column)`` with a text Python lowered: SQLite's own lower() leaves "Ö" as it is
    (the app's is Python's), PostgreSQL's follows the database's ctype (a UTF-8 one folds every letter)."""
    mixed = "ÖMER ÜBERLINGEN Ångström KØBENHAVN Łódź ΑΘΉΝΑ Straße"
    assert db.session.scalar(select(func.lower(mixed))) == mixed.lower()
    assert db.session.scalar(select(func.lower(None))) is None
