"""The German message ids an English reader must never meet, the templates a test renders, and an app whose
uploads go to a temporary folder; the world these tests read is ``tests.support.world``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered

from tests.support.german import GermanMessages


@pytest.fixture(scope="session")
def german() -> GermanMessages:
    """The German message ids of the catalogue."""
    return GermanMessages.from_catalog()


@pytest.fixture
def rendered_templates(app: Flask) -> Iterator[list[str]]:
    """The names of the templates the app renders while the test runs (pages and mails)."""
    names: list[str] = []

    def note(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
        names.append(str(template.name))

    template_rendered.connect(note, app)
    yield names
    template_rendered.disconnect(note, app)


@pytest.fixture
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """The test app, its uploads in a temporary folder."""
    app = make_app(UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        yield app
