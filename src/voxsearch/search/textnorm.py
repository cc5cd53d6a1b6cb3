"""Text normalization shared by indexing and querying, and carrier-phrase stripping of queries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from voxsearch.search.phonetic import phonetic_key
from voxsearch.search.phrases import CARRIER_PREFIXES, CARRIER_SUFFIXES, STOP_WORDS
from voxsearch.text.normalize import JoinLetterRuns
from voxsearch.text.spoken import say_written

# Letters that NFKD does not decompose into a base letter plus accent.
_FOLD = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ı": "i", "ħ": "h"}
)
_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NON_WORD = re.compile(r"[\W_]+")
_JOIN_LETTERS = JoinLetterRuns()


def normalize_text(text: str) -> str:
    """Casefold, strip diacritics, drop apostrophes, turn other punctuation into spaces."""
    # casefold between two decompositions: "𝓐" decomposes to "A", and "İ" casefolds to "i" + a dot
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", bare)).split())


def spoken_text(text: str) -> str:
    """`text` normalized as it is said: numbers, model codes and acronyms in words (text/spoken), so a
    title's "Galaxy S24" and a recognizer's "galaxy s twenty four" meet."""
    return normalize_text(say_written(text))


def indexed_text(text: str) -> str:
    """`spoken_text` with spelled letters joined as scoring joins them ("r t x forty ninety" -> "rtx forty
    ninety"): a code weighs as one word, and a query's letters ("r t x", "rtx") meet it as a joined run."""
    return _JOIN_LETTERS(spoken_text(text))


def tokenize(text: str) -> list[str]:
    return spoken_text(text).split()


def _phrase_table(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Token tuples, longest first, so "directions to" wins over "directions"."""
    tables = {tuple(p.split()) for p in phrases}
    return tuple(sorted(tables, key=len, reverse=True))


_PREFIXES = _phrase_table(CARRIER_PREFIXES)
_SUFFIXES = _phrase_table(CARRIER_SUFFIXES)


@dataclass(frozen=True)
class QueryText:
    """A query split into what was searched for (`tokens`) and the carrier words around it."""

    raw: str
    tokens: tuple[str, ...]
    carriers: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def content_tokens(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if t not in STOP_WORDS) or self.tokens


def parse_query(query: str) -> QueryText:
    """Normalize `query` and strip carrier phrases ("directions to", "play", ... "please") at both ends.

    A phrase is stripped only if a content word (not a stop word) remains after it.
    """
    tokens = tokenize(query)
    carriers: list[str] = []
    changed = True
    while changed:
        changed = False
        for phrase in _PREFIXES:
            n = len(phrase)
            if tuple(tokens[:n]) == phrase and _has_content(tokens[n:]):
                carriers.append(" ".join(phrase))
                tokens = tokens[n:]
                changed = True
                break
        for phrase in _SUFFIXES:
            n = len(phrase)
            if len(tokens) > n and tuple(tokens[-n:]) == phrase and _has_content(tokens[:-n]):
                carriers.append(" ".join(phrase))
                tokens = tokens[:-n]
                changed = True
                break
    if not carriers:
        tokens, carriers = _strip_misheard_carrier(tokens)
    return QueryText(raw=query, tokens=tuple(tokens), carriers=tuple(carriers))


# Carriers ending in a function word, and the function words a recognizer swaps for one another.
_MISHEARD_LINKS = frozenset("in and an on to too two at the into of for".split())
_MIN_CARRIER_WORD_SIMILARITY = 0.8


def _strip_misheard_carrier(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Strip a carrier the recognizer misheard ("whether in", "hotels and"): its words sound or are spelled
    alike and it ends in any function word. Only multi-word carriers qualify, so a lone word is never taken."""
    for phrase in _PREFIXES:
        n = len(phrase)
        if n < 2 or phrase[-1] not in _MISHEARD_LINKS or len(tokens) <= n or tokens[n - 1] not in _MISHEARD_LINKS:
            continue
        if all(_sounds_alike(said, word) for said, word in zip(tokens[: n - 1], phrase[: n - 1])) and _has_content(
            tokens[n:]
        ):
            return tokens[n:], [" ".join(tokens[:n])]
    return tokens, []


def _sounds_alike(said: str, word: str) -> bool:
    if said == word:
        return True
    if word in STOP_WORDS or said in STOP_WORDS:
        return False
    return (
        Indel.normalized_similarity(said, word) >= _MIN_CARRIER_WORD_SIMILARITY
        or phonetic_key(said) == phonetic_key(word) != ""
    )


def _has_content(tokens: list[str]) -> bool:
    return any(t not in STOP_WORDS for t in tokens)
