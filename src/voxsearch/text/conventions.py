"""Transcription conventions as data: the labelling standard, loaded from a versioned TOML file.

    convention = load_convention(path)          # or default_convention()
    apply_convention("Um... It's 21 Colours", convention)   # -> "it's twenty one colors"

A `Convention` is a named sequence of small steps (jiwer style): unicode and whitespace cleanup, spelling
variants, contractions, numbers, fillers, disfluency marks, punctuation, casing. Applying it twice gives
the same text as once (tested with hypothesis), so "a label follows the convention" means
`apply_convention(label) == label`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from voxsearch.errors import DatasetError
from voxsearch.text.number_words import words_to_digits
from voxsearch.text.numbers import spell_cardinal, spell_number_string, spell_ordinal

__all__ = [
    "Convention",
    "apply_convention",
    "convention_from_dict",
    "default_convention",
    "default_definition_path",
    "filler_pattern",
    "follows_convention",
    "load_convention",
]

_CHOICES = {
    "fillers": ("keep", "drop"),
    "disfluency_marks": ("none", "ellipsis"),
    "casing": ("lower", "keep"),
    "punctuation": ("drop", "keep"),
    "numbers": ("words", "digits"),
    "contractions": ("keep", "expand"),
}


@dataclass(frozen=True)
class Convention:
    """How a label is written. `name` and `version` identify it in dataset versions and reports."""

    name: str = "voxsearch-default"
    version: int = 1
    fillers: str = "drop"
    filler_token: str = "um"
    filler_words: tuple[str, ...] = ("um", "uh", "er", "erm", "ah", "hmm", "mm")
    disfluency_marks: str = "none"
    casing: str = "lower"
    punctuation: str = "drop"
    numbers: str = "words"
    contractions: str = "keep"
    spelling: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, allowed in _CHOICES.items():
            if getattr(self, key) not in allowed:
                raise DatasetError(
                    f"convention {self.name!r}: {key} = {getattr(self, key)!r} is not one of {list(allowed)}; "
                    f"fix the [labels] table of the definition file"
                )
        if not self.filler_words or not all(w.isalpha() for w in self.filler_words):
            raise DatasetError(f"convention {self.name!r}: filler_words {list(self.filler_words)!r} must be "
                               "non-empty plain words such as [\"um\", \"uh\"]")
        if not filler_pattern(self.filler_words).fullmatch(self.filler_token):
            raise DatasetError(f"convention {self.name!r}: filler_token {self.filler_token!r} is not one of the "
                               f"filler_words {list(self.filler_words)}; add it or pick one of them")
        loops = sorted(set(self.spelling) & {v.lower() for v in self.spelling.values()})
        if loops:
            raise DatasetError(f"convention {self.name!r}: spelling maps to {loops}, which are themselves mapped; "
                               "a canonical spelling must not be a variant (the map must be applied once)")

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


def default_definition_path() -> Path:
    """The definition file shipped with the package (labels and audio rules)."""
    return Path(str(resources.files("voxsearch.text") / "conventions" / "default.toml"))


def default_convention() -> Convention:
    return load_convention(default_definition_path())


def load_convention(path: Path) -> Convention:
    """Read the convention from a definition file (TOML: top-level name/version and a [labels] table)."""
    return convention_from_dict(read_definition_toml(path), source=str(path))


def read_definition_toml(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(f"definition file {str(path)!r} does not exist; pass an existing .toml file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"definition file {str(path)!r} is not valid UTF-8 TOML ({exc}); fix the syntax") from exc


def convention_from_dict(data: dict[str, Any], source: str = "<dict>") -> Convention:
    labels = dict(data.get("labels") or {})
    known = {f for f in Convention.__dataclass_fields__ if f not in ("name", "version")}
    unknown = sorted(set(labels) - known)
    if unknown:
        raise DatasetError(f"definition {source!r}: unknown [labels] keys {unknown}; known keys are {sorted(known)}")
    spelling = {str(k).lower(): str(v) for k, v in (labels.pop("spelling", None) or {}).items()}
    if "filler_words" in labels:
        labels["filler_words"] = tuple(str(w).lower() for w in labels["filler_words"])
    try:
        version = int(data.get("version", 1))
    except (TypeError, ValueError) as exc:
        raise DatasetError(f"definition {source!r}: version {data.get('version')!r} must be an integer") from exc
    return Convention(name=str(data.get("name", Path(source).stem)), version=version, spelling=spelling, **labels)


# --- the steps -----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DISFLUENCY = re.compile(r"\.{2,}|\u2026|--+|\u2014|\u2013")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_CONTRACTIONS = {
    "won't": "will not", "can't": "can not", "shan't": "shall not", "ain't": "is not", "let's": "let us",
    "i'm": "i am", "what's": "what is", "it's": "it is", "that's": "that is", "there's": "there is",
    "here's": "here is", "he's": "he is", "she's": "she is", "who's": "who is", "where's": "where is",
    "how's": "how is", "when's": "when is", "why's": "why is",
}
_CONTRACTION_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"))
_ORDINAL = re.compile(r"(?<![\w.,])([0-9]+)(st|nd|rd|th)\b", re.IGNORECASE)
_DECIMAL = re.compile(r"(?<![\w.,])([0-9]+)\.([0-9]+)(?![\w]|\.[0-9])")
_GROUPED = re.compile(r"(?<![\w.,])([0-9]{1,3}(?:,[0-9]{3})+)(?![\w]|,[0-9])")
_DIGITS = re.compile(r"[0-9]+")


@lru_cache(maxsize=16)
def filler_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Filler words with repeatable letters ("um" matches "ummm"), case-insensitive, whole words."""
    alternatives = sorted(("".join(f"{re.escape(c)}+" for c in w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?<!\w')(?:" + "|".join(alternatives) + r")(?!\w|'\w)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _filler_then(words: tuple[str, ...], after: str) -> re.Pattern[str]:
    """A filler followed by `after` (a pattern), matched together."""
    return re.compile(filler_pattern(words).pattern + after, re.IGNORECASE)


def _clean_unicode(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _CONTROL.sub(" ", text)


def _match_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _respell(text: str, spelling: dict[str, str]) -> str:
    if not spelling:
        return text
    return _WORD.sub(lambda m: _match_case(m.group(0), spelling.get(m.group(0).lower(), m.group(0))), text)


def _expand_contraction(word: str) -> str:
    lower = word.lower()
    if lower in _CONTRACTIONS:
        return _match_case(word, _CONTRACTIONS[lower])
    for suffix, expansion in _CONTRACTION_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return word[: -len(suffix)] + expansion
    return word


def _spell_numbers(text: str) -> str:
    text = _ORDINAL.sub(lambda m: f" {spell_ordinal(int(m.group(1)))} ", text)
    text = _DECIMAL.sub(lambda m: f" {spell_number_string(m.group(1))} point {_spell_each(m.group(2))} ", text)
    text = _GROUPED.sub(lambda m: f" {spell_cardinal(int(m.group(1).replace(',', '')))} ", text)
    return _DIGITS.sub(lambda m: f" {spell_number_string(m.group(0))} ", text)


def _spell_each(digits: str) -> str:
    return " ".join(spell_cardinal(int(d)) for d in digits)


def _fillers(text: str, convention: Convention) -> str:
    pattern = filler_pattern(convention.filler_words)
    if convention.fillers == "drop":
        # the filler and the pause mark written right after it ("Um, ", "uh... ") go together
        return _filler_then(convention.filler_words, r"\s*(?:,|\.{2,}|\u2026|--+|\u2014|\u2013)?").sub(" ", text)
    token = convention.filler_token
    return pattern.sub(lambda m: _match_case(m.group(0), token), text)


def _disfluency(text: str, convention: Convention) -> str:
    filler_comma = _filler_then(convention.filler_words, r"\s*,")
    if convention.disfluency_marks == "ellipsis":
        text = filler_comma.sub(lambda m: m.group(0)[:-1].rstrip() + "...", text)
        return re.sub(r"\s*(?:" + _DISFLUENCY.pattern + r")", "...", text)
    text = filler_comma.sub(lambda m: m.group(0)[:-1], text)
    return _DISFLUENCY.sub(" ", text)


def _drop_punctuation(text: str, keep_ellipsis: bool) -> str:
    parts = text.split("...") if keep_ellipsis else [text]
    cleaned = []
    for part in parts:
        words = _WORD_OR_NUMBER.findall(part)
        cleaned.append(" ".join(words))
    return " ... ".join(cleaned) if keep_ellipsis else cleaned[0]


_WORD_OR_NUMBER = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _tidy_spaces(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)  # no space before punctuation
    text = re.sub(r"(?<=\.\.\.)(?=[^\s.])", " ", text)  # one space after an ellipsis
    return text.strip()


_MAX_ROUNDS = 5


def apply_convention(text: str, convention: Convention) -> str:
    """`text` written the convention's way. Idempotent: apply(apply(t)) == apply(t).

    One round can leave work for the next (dropping a filler joins two marks: "so um. ..." -> "so. ..."),
    so rounds repeat until the text stops changing.
    """
    for _ in range(_MAX_ROUNDS):
        written = _apply_once(text, convention)
        if written == text:
            break
        text = written
    return text


def _apply_once(text: str, convention: Convention) -> str:
    text = _clean_unicode(text)
    text = _respell(text, convention.spelling)
    if convention.contractions == "expand":
        text = _WORD.sub(lambda m: _expand_contraction(m.group(0)), text)
    text = _spell_numbers(text) if convention.numbers == "words" else words_to_digits(text)
    text = _fillers(text, convention)
    text = _disfluency(text, convention)
    if convention.punctuation == "drop":
        text = _drop_punctuation(text, keep_ellipsis=convention.disfluency_marks == "ellipsis")
    if convention.casing == "lower":
        text = text.lower()
    return _tidy_spaces(text)


def follows_convention(text: str, convention: Convention) -> bool:
    return apply_convention(text, convention) == text
