"""German search normaliser: one function that turns text into tokens, for indexing and for queries alike.

Neither database's own German stemming finds "Elektrikerin" for "Elektriker" or "Arzt" for "Ärztin", so the app
folds gendered forms ("/in", ":in", "*in", Binnen-I, -in, -innen), stems with the Snowball German stemmer and folds
umlauts; vacancies store the resulting tokens in ``vacancy_terms`` and a query looks them up by index.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

MAX_QUERY_TOKENS = 8
MAX_TOKEN_LENGTH = 64
TITLE_WEIGHT = 5

# Words ending in -in or -innen that are not feminine forms.
NOT_FEMININE = frozenset(
    {
        "medizin",
        "termin",
        "berlin",
        "benzin",
        "vitamin",
        "disziplin",
        "magazin",
        "kamin",
        "protein",
        "insulin",
        "penicillin",
        "delfin",
        "terpentin",
        "kerosin",
        "admin",
        "login",
        "linkedin",
    }
)
STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "und",
        "oder",
        "für",
        "fur",
        "mit",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "im",
        "in",
        "an",
        "am",
        "auf",
        "aus",
        "bei",
        "als",
        "ist",
        "sind",
        "wir",
        "sie",
        "ihr",
        "ihre",
        "ihren",
        "unser",
        "unsere",
        "uns",
        "sich",
        "es",
        "auch",
        "nicht",
        "noch",
        "nach",
        "über",
        "uber",
        "wie",
        "so",
        "m",
        "w",
        "d",
    ]
)
GENDER_SUFFIX = re.compile(r"(?<=\w)(?:[/:*_]|\(|/-)(?:in|innen)\)?(?!\w)", re.IGNORECASE)
BINNEN_I = re.compile(r"(?<=[a-zäöüß])(In|Innen)(?![a-zäöüß])")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    """The Snowball German stemmer (built once)."""
    return snowballstemmer.stemmer("german")


def fold_feminine(word: str) -> str:
    """Strip a feminine ending: "ärztin" → "ärzt", "elektrikerinnen" → "elektriker"; leave other words alone."""
    if word in NOT_FEMININE:
        return word
    if word.endswith("innen") and len(word) >= 9:
        return word[:-5]
    if word.endswith("in") and len(word) >= 6 and word[-3] not in "aeiouäöü":
        return word[:-2]
    return word


@lru_cache(maxsize=50_000)
def normalise_word(word: str) -> str:
    """One lower-case word as a search token: feminine ending folded, stemmed, umlauts folded."""
    folded = fold_feminine(word)
    stem = str(_stemmer().stemWord(folded)).translate(UMLAUTS)
    return stem[:MAX_TOKEN_LENGTH]


def tokens(text: str) -> list[str]:
    """Every search token of a text, in order, repeated as often as it occurs."""
    text = unicodedata.normalize("NFC", text or "")
    text = GENDER_SUFFIX.sub("", text)
    text = BINNEN_I.sub("", text)
    result = []
    for word in WORD.findall(text.casefold()):
        if len(word) < 2 or word in STOPWORDS:
            continue
        token = normalise_word(word)
        if len(token) >= 2:
            result.append(token)
    return result


def query_tokens(query: str) -> list[str]:
    """The distinct tokens of a search query (at most a few, so a query stays cheap)."""
    distinct = list(dict.fromkeys(tokens(query[:300])))
    return distinct[:MAX_QUERY_TOKENS]


def weighted_terms(title: str, description: str) -> dict[str, int]:
    """Tokens of a vacancy with weights: a word in the title counts more than one in the description."""
    weights: Counter[str] = Counter()
    for token in tokens(title):
        weights[token] += TITLE_WEIGHT
    for token in tokens(description):
        weights[token] += 1
    return dict(weights)
