"""Offline pronunciations for words the dictionary lacks: espeak-ng IPA mapped to CMU/ARPAbet phones.

pocketsphinx silently ignores LM words missing from its dictionary, and has no G2P of its own.
`espeak-ng -q --ipa --sep=_` spells many words per call; `ipa_arpabet.toml` (data, not code) maps
its phonemes to the phone set of the bundled CMU dictionary.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from voxsearch.errors import ModelError

__all__ = ["G2PResult", "load_phone_map", "ipa_to_arpabet", "read_dictionary", "spell_words"]

log = logging.getLogger(__name__)

PHONE_MAP_FILE = Path(__file__).with_name("ipa_arpabet.toml")
_BATCH_WORDS = 400
_STRIP = re.compile("[ˈˌ\u200d]")  # stress marks, zero-width joiner
_WORD = re.compile(r"^[a-z][a-z']*$")


@dataclass(frozen=True)
class G2PResult:
    pronunciations: dict[str, tuple[str, ...]]  # word -> ARPAbet phones
    failed: tuple[str, ...] = ()  # words espeak-ng gave nothing usable for
    unmapped: dict[str, int] = field(default_factory=dict)  # espeak phoneme -> times dropped


@lru_cache(maxsize=1)
def load_phone_map(path: Path = PHONE_MAP_FILE) -> dict[str, tuple[str, ...]]:
    with open(path, "rb") as fh:
        table = tomllib.load(fh)["phones"]
    return {unicodedata.normalize("NFC", k): tuple(v.split()) for k, v in table.items()}


def ipa_to_arpabet(phonemes: Sequence[str], unmapped: dict[str, int] | None = None) -> tuple[str, ...]:
    """ARPAbet phones for espeak phoneme tokens; an unknown token is split into the longest known pieces."""
    table = load_phone_map()
    longest = max(map(len, table))
    phones: list[str] = []
    for token in phonemes:
        token = unicodedata.normalize("NFC", _STRIP.sub("", token))
        if not token:
            continue
        if token in table:
            phones.extend(table[token])
            continue
        i = 0
        while i < len(token):
            for size in range(min(longest, len(token) - i), 0, -1):
                piece = token[i : i + size]
                if piece in table:
                    phones.extend(table[piece])
                    i += size
                    break
            else:
                if token[i] not in "ːˑ̩":
                    if unmapped is not None:
                        unmapped[token[i]] = unmapped.get(token[i], 0) + 1
                i += 1
    return tuple(phones)


def spell_words(words: Iterable[str], voice: str = "en-us") -> G2PResult:
    """Pronounce lowercase words with espeak-ng, many per call; ModelError when espeak-ng is missing."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ModelError(
            "pronouncing new words needs espeak-ng, which is not on PATH; install it (apt-get install espeak-ng)"
        )
    todo = sorted({w for w in words if _WORD.match(w)})
    pronunciations: dict[str, tuple[str, ...]] = {}
    failed: list[str] = []
    unmapped: dict[str, int] = {}
    for start in range(0, len(todo), _BATCH_WORDS):
        batch = todo[start : start + _BATCH_WORDS]
        tokens = _espeak(exe, voice, batch)
        if len(tokens) != len(batch):  # espeak merged or split a word: go one by one
            tokens = [" ".join(_espeak(exe, voice, [w])) for w in batch]
        for word, token in zip(batch, tokens, strict=True):
            phones = ipa_to_arpabet([p for part in token.split() for p in part.split("_")], unmapped)
            if phones:
                pronunciations[word] = phones
            else:
                failed.append(word)
    if unmapped:
        log.info("espeak phonemes without an ARPAbet mapping (dropped): %s", unmapped)
    return G2PResult(pronunciations, tuple(failed), unmapped)


def read_dictionary(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """A CMU-style dictionary: word -> pronunciations (alternates `word(2)` folded into the word)."""
    entries: dict[str, list[tuple[str, ...]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                entries.setdefault(re.sub(r"\(\d+\)$", "", parts[0]), []).append(tuple(parts[1:]))
    return entries


def _espeak(exe: str, voice: str, words: Sequence[str]) -> list[str]:
    try:
        done = subprocess.run(
            [exe, "-q", "--ipa", "--sep=_", "-v", voice],
            input="\n".join(words) + "\n", capture_output=True, text=True, timeout=120, check=True,
        )
    except (subprocess.SubprocessError, OSError) as e:
        raise ModelError(f"espeak-ng failed on {len(words)} words ({e}); check `espeak-ng --version` works") from e
    return done.stdout.split()
