"""Scoring normalization: put a reference and a hypothesis in one written form before counting errors.

Whisper writes "What's the weather at 6:30?", our references say "what is the weather at six thirty":
WER is scored after both go through `SCORING_NORMALIZATION`. It is a named `Compose` of small transforms
(jiwer style), each a frozen dataclass that can be reused, reordered or left out:

  fold unicode    NFKC, casefold, strip diacritics, fold ø/æ/ł..., straight apostrophes
  contractions    what's -> what is, can't / cannot -> can not, we'll -> we will (possessive 's stays)
  abbreviations   dotted letters joined: p.m. -> pm, u.s.a. -> usa ("st." is left alone: street or saint)
  numbers         $5.50 -> five dollars fifty cents, 6:30 -> six thirty, 6:00 -> six o'clock, 21st -> twenty
                  first, 3.5 -> three point five, 50% -> fifty percent, 1,000 -> one thousand
                  other whole numbers as they are said (text/spoken): 1999 -> nineteen ninety nine, 747 ->
                  seven forty seven, 500 -> five hundred
  symbols         & -> and, + -> plus, @ -> at, # -> number, ° -> degrees
  punctuation     apostrophes inside words dropped (mcdonald's -> mcdonalds), other punctuation -> space
  whitespace      collapsed, stripped
  letters         spelled letters joined, with short vowelless tokens: "l g c three" and "LG C3" -> "lgc three",
                  "three a m" and "3AM" -> "three am", "w h" and "WH" -> "wh"

The whole normalization is idempotent: normalizing twice gives the same text as once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from voxsearch.text.numbers import spell_cardinal, spell_number_string, spell_ordinal
from voxsearch.text.spoken import say_number

__all__ = [
    "SCORING_NORMALIZATION",
    "Compose",
    "CollapseWhitespace",
    "ExpandContractions",
    "FoldUnicode",
    "JoinDottedLetters",
    "JoinLetterRuns",
    "RemovePunctuation",
    "SpellNumbers",
    "SymbolsToWords",
    "normalize_for_scoring",
]

Transform = Callable[[str], str]


@dataclass(frozen=True)
class Compose:
    """Apply `transforms` in order; `name` identifies the whole normalization in results."""

    transforms: tuple[Transform, ...]
    name: str = "custom"

    def __init__(self, transforms: Iterable[Transform], name: str = "custom") -> None:
        object.__setattr__(self, "transforms", tuple(transforms))
        object.__setattr__(self, "name", name)

    def __call__(self, text: str) -> str:
        for transform in self.transforms:
            text = transform(text)
        return text

    def describe(self) -> str:
        """`name` and the transforms in order, e.g. for a report."""
        return f"{self.name}: " + " > ".join(type(t).__name__ for t in self.transforms)


# --- unicode -------------------------------------------------------------------------------------------

# Letters that NFKD does not split into a base letter plus a combining accent.
_LETTER_FOLD = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ı": "i", "ħ": "h", "ŋ": "n"}
)
_APOSTROPHE_LIKE = str.maketrans({c: "'" for c in "’‘`ʼ´′"})
_MAX_FOLD_ROUNDS = 4


@dataclass(frozen=True)
class FoldUnicode:
    """NFKC, casefold, strip diacritics, fold special letters, straighten apostrophes (to a fixed point)."""

    def __call__(self, text: str) -> str:
        # A few compatibility characters only settle after a second round (e.g. casefold then NFKD
        # yields a capital letter); repeating to a fixed point keeps the transform idempotent.
        for _ in range(_MAX_FOLD_ROUNDS):
            folded = self._fold_once(text)
            if folded == text:
                break
            text = folded
        return text

    @staticmethod
    def _fold_once(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHE_LIKE).casefold()
        bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return unicodedata.normalize("NFC", bare).translate(_LETTER_FOLD)


# --- contractions --------------------------------------------------------------------------------------

_WHOLE_WORDS = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
    "i'm": "i am",
    "y'all": "you all",
}
# "'s" is expanded only after these words; elsewhere it is a possessive ("paris's", "mcdonald's").
_IS_WORDS = "it what that there here he she who where how when why"
_WHOLE_WORD = re.compile(r"(?<![\w'])(" + "|".join(re.escape(w) for w in _WHOLE_WORDS) + r")(?![\w'])")
_IS_CONTRACTION = re.compile(r"(?<![\w'])(" + "|".join(_IS_WORDS.split()) + r")'s(?![\w'])")
_SUFFIXES = (
    (re.compile(r"(?<=\w)n't(?![\w'])"), " not"),
    (re.compile(r"(?<=\w)'re(?![\w'])"), " are"),
    (re.compile(r"(?<=\w)'ve(?![\w'])"), " have"),
    (re.compile(r"(?<=\w)'ll(?![\w'])"), " will"),
    (re.compile(r"(?<=\w)'d(?![\w'])"), " would"),
)


@dataclass(frozen=True)
class ExpandContractions:
    """Expand English contractions the same way everywhere (lower-case input: run after FoldUnicode)."""

    def __call__(self, text: str) -> str:
        text = _WHOLE_WORD.sub(lambda m: _WHOLE_WORDS[m.group(1)], text)
        text = _IS_CONTRACTION.sub(r"\1 is", text)
        for pattern, expansion in _SUFFIXES:
            text = pattern.sub(expansion, text)
        return text


# --- abbreviations -------------------------------------------------------------------------------------

_DOTTED_LETTERS = re.compile(r"(?<![\w.])[a-z](?:\.[a-z])+\.?(?!\w)")


@dataclass(frozen=True)
class JoinDottedLetters:
    """Join single letters separated by dots: "p.m." -> "pm", "u.s.a." -> "usa"."""

    def __call__(self, text: str) -> str:
        return _DOTTED_LETTERS.sub(lambda m: m.group(0).replace(".", ""), text)


# --- numbers -------------------------------------------------------------------------------------------

_INT = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"
_CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
               "€": ("euro", "euros", "cent", "cents")}
_MONEY = re.compile(
    r"([$£€])\s?(" + _INT + r")(?:\.([0-9]{1,2}))?(?![0-9])(?:\s+(thousand|million|billion|trillion)\b)?"
)
_TIME = re.compile(r"(?<![0-9:])([0-9]{1,2}):([0-9]{2})(?![0-9:])(\s?[ap]m\b)?")
_ORDINAL = re.compile(r"(?<![0-9])(" + _INT + r")(st|nd|rd|th)\b")
_PERCENT = re.compile(r"(?<![0-9])(" + _INT + r")(?:\.([0-9]+))?\s?%")
_DECIMAL = re.compile(r"(?<![0-9])(" + _INT + r")\.([0-9]+)")
_INTEGER = re.compile(r"(?<![0-9])(" + _INT + r")(?![0-9])")


def _int_words(digits: str) -> str:
    return spell_number_string(digits.replace(",", ""))


def _said_int(digits: str) -> str:
    """A whole number on its own: grouped ("1,000") as a cardinal, else as people say it (text/spoken)."""
    return _int_words(digits) if "," in digits else say_number(digits)


def _decimal_words(whole: str, fraction: str | None) -> str:
    words = _int_words(whole)
    if fraction:
        words += " point " + " ".join(spell_number_string(d) for d in fraction)
    return words


def _money(m: re.Match[str]) -> str:
    one, many, sub_one, sub_many = _CURRENCIES[m.group(1)]
    whole, cents, scale = int(m.group(2).replace(",", "")), m.group(3), m.group(4)
    if scale:  # "$5.5 million": the fraction belongs to the scale, not to cents
        amount = _decimal_words(m.group(2), cents.rstrip("0") if cents else None)
        return f" {amount} {scale} {many} "
    cent_value = int(cents.ljust(2, "0")) if cents else 0
    parts = []
    if whole or not cent_value:
        parts.append(f"{spell_cardinal(whole)} {one if whole == 1 else many}")
    if cent_value:
        parts.append(f"{spell_cardinal(cent_value)} {sub_one if cent_value == 1 else sub_many}")
    return " " + " ".join(parts) + " "


def _time(m: re.Match[str]) -> str:
    hour, minute, meridiem = int(m.group(1)), int(m.group(2)), (m.group(3) or "").strip()
    if hour > 24 or minute > 59:
        return f" {_int_words(m.group(1))} {_int_words(m.group(2))} {meridiem} "
    if minute == 0:
        minutes = "" if meridiem else "o'clock"
    elif minute < 10:
        minutes = f"oh {spell_cardinal(minute)}"
    else:
        minutes = spell_cardinal(minute)
    return f" {spell_cardinal(hour)} {minutes} {meridiem} "


@dataclass(frozen=True)
class SpellNumbers:
    """Money, clock times, ordinals, percentages, decimals and integers written with ASCII digits -> words."""

    def __call__(self, text: str) -> str:
        text = _MONEY.sub(_money, text)
        text = _TIME.sub(_time, text)
        text = _ORDINAL.sub(lambda m: f" {spell_ordinal(int(m.group(1).replace(',', '')))} ", text)
        text = _PERCENT.sub(lambda m: f" {_decimal_words(m.group(1), m.group(2))} percent ", text)
        text = _DECIMAL.sub(lambda m: f" {_decimal_words(m.group(1), m.group(2))} ", text)
        return _INTEGER.sub(lambda m: f" {_said_int(m.group(1))} ", text)


# --- symbols, punctuation, whitespace ------------------------------------------------------------------

_SYMBOL_WORDS = {"&": "and", "+": "plus", "@": "at", "#": "number", "°": "degrees", "%": "percent", "=": "equals"}
_SYMBOLS = re.compile("[" + re.escape("".join(_SYMBOL_WORDS)) + "]")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True)
class SymbolsToWords:
    """&, +, @, #, °, %, = -> words (money and percentages next to digits are handled by SpellNumbers)."""

    def __call__(self, text: str) -> str:
        return _SYMBOLS.sub(lambda m: f" {_SYMBOL_WORDS[m.group(0)]} ", text)


@dataclass(frozen=True)
class RemovePunctuation:
    """Drop apostrophes inside words (o'clock -> oclock); every other non-word character becomes a space."""

    def __call__(self, text: str) -> str:
        return _PUNCTUATION.sub(" ", _INNER_APOSTROPHE.sub("", text))


@dataclass(frozen=True)
class CollapseWhitespace:
    """One space between words, none at the ends."""

    def __call__(self, text: str) -> str:
        return " ".join(text.split())


_VOWELS = frozenset("aeiouy")
_MAX_LETTERS = 5  # a token this short without a vowel is letters said one by one ("lg", "tv", "xm", "rtx")


@dataclass(frozen=True)
class JoinLetterRuns:
    """Join neighbouring letter tokens: single letters, and short ones without a vowel, which a recognizer
    writes as one acronym ("LG", "XM5") and a transcriber spells ("l g", "x m five")."""

    def __call__(self, text: str) -> str:
        out: list[str] = []
        run: list[str] = []
        for word in text.split():
            if _is_letters(word):
                run.append(word)
                continue
            if run:
                out.append("".join(run))
                run = []
            out.append(word)
        if run:
            out.append("".join(run))
        return " ".join(out)


def _is_letters(word: str) -> bool:
    if not (word.isascii() and word.isalpha()):
        return False
    return len(word) == 1 or (len(word) <= _MAX_LETTERS and not _VOWELS.intersection(word))


SCORING_NORMALIZATION = Compose(
    [
        FoldUnicode(),
        ExpandContractions(),
        JoinDottedLetters(),
        SpellNumbers(),
        SymbolsToWords(),
        RemovePunctuation(),
        CollapseWhitespace(),
        JoinLetterRuns(),
    ],
    name="voxsearch-scoring-v2",
)


def normalize_for_scoring(text: str) -> str:
    """`text` in the one written form used for scoring (see SCORING_NORMALIZATION)."""
    return SCORING_NORMALIZATION(text)
