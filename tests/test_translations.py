"""Every user-facing string is in the catalogs, and the English catalog translates all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "rueckkehr" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory: pytest.TempPathFactory) -> set[object]:
    """The message ids found in the code and templates right now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    # The keywords of `make translations-update`: lazily translated strings (form labels, errors) are strings too.
    options = ["-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location"]
    CommandLineInterface().run(["pybabel", "-q", "extract", *options, str(ROOT)])
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_english_catalog_holds_every_string_of_the_code(extracted_ids: set[object]) -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog_ids = {message.id for message in catalog if message.id}
    assert len(extracted_ids) > 50  # the extraction found the templates
    missing = sorted(map(str, extracted_ids - catalog_ids))
    assert missing == [], "run `make translations-update` and translate the new strings"


def test_every_english_string_is_translated_and_not_fuzzy() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (message.fuzzy or not (all(message.string) if isinstance(message.string, tuple) else message.string))
    ]
    assert untranslated == []


def test_the_english_texts_spell_organizer_as_the_role_is_called() -> None:
    """The role is called "organizer" on every page: no text of the catalogue or of the English legal pages says
    "organiser" or "organisation", except the consent to take part, whose wording is versioned proof of what
    people agreed to (a changed text needs a new version)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    texts = [
        " ".join(message.string) if isinstance(message.string, tuple) else message.string
        for message in catalog
        if message.id and not str(message.id).startswith("Ich melde mich zu dieser Veranstaltung an")
    ]
    texts += [page.read_text() for page in (ROOT / "templates" / "legal" / "en").glob("*.html")]
    assert [text for text in texts if "organis" in text.lower()] == []


def test_an_english_mail_sentence_after_the_greeting_begins_with_a_capital() -> None:
    """German goes on in lower case after "Guten Tag Frau Müller,"; English begins a new sentence after "Hello …,"."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    lower = [
        message.string[:50]
        for message in catalog
        if isinstance(message.id, str) and message.id[:1].islower() and message.id.rstrip().endswith((".", ":"))
        if len(message.id) > 40 and message.string[:1].islower()
    ]
    assert lower == []


def test_the_english_texts_name_the_region_as_the_legal_pages_do() -> None:
    """The region ("Regionaler Wachstumskern") is the Regional Growth Centre, in the footer as on the legal pages."""
    with CATALOG.open("rb") as handle:
        catalogue = [str(message.string) for message in read_po(handle, locale="en") if message.id]
    pages = [page.read_text() for page in (ROOT / "templates" / "legal" / "en").glob("*.html")]
    assert [text for text in catalogue + pages if "Growth Core" in text] == []
    assert any("Regional Growth Centre Westlausitz" in text for text in catalogue)  # the footer says it too
