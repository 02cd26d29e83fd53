"""German search normaliser: one function that turns text into tokens, for indexing and for queries alike.

Neither database's own German stemming finds "Elektrikerin" for "Elektriker" or "Arzt" for "Ärztin", so the app
folds gendered forms ("/in", ":in", "*in", Binnen-I, -in, -innen), stems with the Snowball German stemmer and folds
umlauts; vacancies store the resulting tokens in ``vacancy_terms`` and a query looks them up by index.

German glues words together ("Lagerlogistik", "Berufskraftfahrer"), so a query word also finds the compounds that
begin or end with it: every token ever indexed is kept once in ``search_words``, forwards and reversed, and a query
word's compounds are two index ranges there (``QueryTerm.matches_part`` then refuses parts that only look like one,
such as "fahr" in "Erfahrung"). Everyday names of occupations find the official ones through the shared synonym
table (``occupations.synonyms``); a town named in the query becomes the town filter.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..occupations.synonyms import SYNONYMS

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


# A compound part must be this long, and what stands before a final part must be a word, not a prefix that makes a
# new word of it ("Er-fahrung", "Ver-fahren", "An-fahrt").
MIN_PART_LENGTH = 4
MIN_LEFTOVER_LENGTH = 3
BOUND_PREFIXES = frozenset(
    {"be", "ge", "er", "ver", "zer", "ent", "emp", "miss", "an", "ab", "auf", "aus", "ein", "um", "zu", "vor", "nach"}
    | {"mit", "bei", "uber", "unter", "durch", "wider", "hinter", "weg", "los", "fort", "heim", "dar", "her", "hin"}
)


def folded_word(word: str) -> str:
    """A lower-case word with its feminine ending and umlauts folded, but not stemmed."""
    return fold_feminine(word).translate(UMLAUTS)


def reversed_token(token: str) -> str:
    """The token backwards: a compound's last part becomes a prefix, which an index finds."""
    return token[::-1]


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query: its token, the tokens that count as the same word (its synonyms' official names), and
    the stems that compounds containing it begin (``prefix``) or end (``suffix``) with."""

    token: str
    same: tuple[str, ...]
    prefix: str | None
    suffix: str | None

    def matches_part(self, candidate: str) -> bool:
        """Whether an indexed token is a compound that begins or ends with this word."""
        if candidate in self.same:
            return False
        if self.prefix and candidate.startswith(self.prefix):
            return True
        if self.suffix and candidate.endswith(self.suffix):
            leftover = candidate[: -len(self.suffix)]
            return len(leftover) >= MIN_LEFTOVER_LENGTH and leftover not in BOUND_PREFIXES
        return False


@lru_cache(maxsize=1)
def _synonym_tokens() -> dict[str, tuple[tuple[str, ...], str]]:
    """Everyday token → the official tokens and the Berufshauptgruppe (the first entry naming a word wins)."""
    table: dict[str, tuple[tuple[str, ...], str]] = {}
    for synonym in SYNONYMS:
        official = tuple(dict.fromkeys(token for name in synonym.official for token in tokens(name)))
        for name in synonym.everyday:
            for token in tokens(name):
                table.setdefault(token, (official, synonym.group))
    return table


def synonym_group(query: str) -> str | None:
    """The KldB Berufshauptgruppe of the first everyday occupation named in a query (for the alert form)."""
    table = _synonym_tokens()
    return next((table[token][1] for token in query_tokens(query) if token in table), None)


def query_term(word: str) -> QueryTerm:
    """A query word as a term (``word`` lower-case, as ``tokens`` splits text)."""
    token = normalise_word(word)
    official = _synonym_tokens().get(token, ((), ""))[0]
    folded = folded_word(word)[:MAX_TOKEN_LENGTH]
    if len(token) >= MIN_PART_LENGTH:
        prefix = token
    elif len(folded) >= MIN_PART_LENGTH and folded.startswith(token):
        prefix = folded  # "Lager" stems to "lag": its compounds begin with "lager", not with "lage"
    else:
        prefix = None
    suffix = token if len(token) >= MIN_PART_LENGTH else None
    return QueryTerm(token, tuple(dict.fromkeys((token, *official))), prefix, suffix)


def parse_query(query: str, places: dict[str, str]) -> tuple[list[QueryTerm], str | None]:
    """The terms of a query and the place it names.

    :param places: token of a place name → its key (the towns' slugs); the first place named is taken out of the
        terms and returned.
    """
    text = unicodedata.normalize("NFC", query[:300])
    text = BINNEN_I.sub("", GENDER_SUFFIX.sub("", text))
    terms: dict[str, QueryTerm] = {}
    place = None
    for word in WORD.findall(text.casefold()):
        if len(word) < 2 or word in STOPWORDS:
            continue
        token = normalise_word(word)
        if len(token) < 2:
            continue
        if token in places and place is None:
            place = places[token]
        elif token not in terms and token not in places:
            terms[token] = query_term(word)
    return list(terms.values())[:MAX_QUERY_TOKENS], place


def place_tokens(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Token → key for place names given as (key, name); a name of several words counts by its last one."""
    return {tokens(name)[-1]: key for key, name in names if tokens(name)}
