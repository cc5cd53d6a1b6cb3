"""Phonetic keys (Metaphone, via jellyfish) for words and for adjacent word pairs joined.

Keys let a misheard word find the entry it sounds like: "rap city" -> RPST = "rhapsody" -> RPST.
Joined pairs cover word splits and merges: "mel born" -> "melborn" -> MLBRN = "melbourne".
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

_MIN_WORD_CHARS = 3
# Spelling variants Metaphone keeps apart although they sound alike.
_PREP = (
    (re.compile(r"^(r|k|g)h"), r"\1"),  # rhapsody ~ rapsody, khan ~ kan
    (re.compile(r"^[aeiouy]"), "a"),  # initial vowels all sound close: aires ~ eyres
)


# Letters read two ways across languages: key both readings ("munich" ~ "munik").
_ALTERNATES = (("ch", "k"),)


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """Metaphone key of a normalized word; "" for words too short or without letters to key reliably."""
    letters = "".join(ch for ch in word if "a" <= ch <= "z")
    if len(letters) < _MIN_WORD_CHARS:
        return ""
    for pattern, repl in _PREP:
        letters = pattern.sub(repl, letters)
    return jellyfish.metaphone(letters)


@lru_cache(maxsize=65536)
def sound_keys(word: str) -> tuple[str, ...]:
    """The key of `word` and the keys of its alternate readings, distinct, primary first."""
    keys = [phonetic_key(word)]
    for old, new in _ALTERNATES:
        if old in word:
            keys.append(phonetic_key(word.replace(old, new)))
    return tuple(dict.fromkeys(k for k in keys if k))


def joined_runs(tokens: list[str] | tuple[str, ...], max_words: int = 2) -> list[str]:
    """Runs of 2..max_words adjacent tokens joined without a space: ["kuala", "lumpur"] -> ["kualalumpur"]."""
    return ["".join(tokens[i : i + n]) for n in range(2, max_words + 1) for i in range(len(tokens) - n + 1)]


def phonetic_keys(tokens: list[str] | tuple[str, ...], max_join: int = 2) -> list[str]:
    """Distinct keys (with alternates) of each token and of each run of up to `max_join` tokens joined."""
    keys: dict[str, None] = {}
    for word in [*tokens, *joined_runs(tokens, max_join)]:
        keys.update(dict.fromkeys(sound_keys(word)))
    return list(keys)
