"""Written forms as they are said: numbers, model codes and acronyms of catalog titles and queries.

A catalog writes "Galaxy S24 Ultra", "WH-1000XM5", "LG C3 65-inch 4K TV", "RTX 4090"; people say
"galaxy s twenty four ultra", "w h one thousand x m five", "l g c three sixty five inch four k t v",
"r t x forty ninety". `say_written` rewrites the written forms in place and leaves every other character
alone (case, punctuation, words), so the search index, queries and the catalog language model can all
compare what was said:

  numbers      one or two digits and round hundreds and thousands as cardinals ("65" -> "sixty five",
               "500" -> "five hundred", "3000" -> "three thousand"); three and four digits in two parts, as
               years and model numbers are said ("747" -> "seven forty seven", "505" -> "five oh five",
               "1999" -> "nineteen ninety nine", "4090" -> "forty ninety", "1500" -> "fifteen hundred",
               but "2005" -> "two thousand five"); a leading zero, or five digits and more that are not
               round, one digit at a time ("75257" -> "seven five two five seven", "10,000" -> "ten
               thousand"); phone numbers too ("867-5309" -> "eight six seven five three oh nine");
               "21st" -> "twenty first", "80s" -> "eighties"
  codes        letters and digits of one token apart ("S24" -> "S twenty four"); a short letter run inside a
               code is spelled ("XM5" -> "X M five"), a longer one is a word ("Pro14" -> "Pro fourteen")
  acronyms     a capitalized token of 2-5 letters without a vowel is spelled ("LG", "TV", "BTS", "JBL"), and
               so is a capitalized pair that is not an English word ("AI", "UK"; not "IT", "ON"); a title in
               capitals throughout keeps its words
  numerals     Roman II to XII ("Alpha a7 IV" -> "alpha a seven four"), but not "V" or "X" alone
  symbols      "&" -> "and", "feat." -> "featuring", "Razr+" -> "Razr plus", "No. 3" -> "number three"
"""

from __future__ import annotations

import re
import unicodedata

from voxsearch.text.numbers import spell_cardinal, spell_digits, spell_ordinal

__all__ = ["say_number", "say_written"]

_SAID_AS = (
    (re.compile(r"&"), " and "),
    (re.compile(r"\bfeat\.(?=\s|\)|$)", re.IGNORECASE), "featuring"),
    (re.compile(r"(?<=[\w+])\+(?!\w)"), " plus"),  # "Razr+", "Roomba j7+", "C++"
    (re.compile(r"\bNo\.\s?(?=[0-9])"), "number "),  # "Olaplex No. 3"
)
# generations and models in Roman numerals ("Alpha a7 IV", "Mark II"); "V" and "X" alone are letters
_ROMAN = {"II": "two", "III": "three", "IV": "four", "VI": "six", "VII": "seven", "VIII": "eight", "IX": "nine",
          "XI": "eleven", "XII": "twelve"}
_TOKEN = re.compile(r"[^\W_]+")
_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # "10,000"
_PHONE = re.compile(r"(?<![\d-])(?:\d{3}-)?\d{3}-\d{4}(?![\d-])")  # "867-5309": one digit at a time, 0 as "oh"
_RUN = re.compile(r"[0-9]+|[^0-9]+")
_VOWELS = frozenset("AEIOUYaeiouy")
# capitalized pairs that are words, not letters: "IT", "ON", "WE"
_PAIR_WORDS = frozenset(
    "AM AN AS AT BE BY DO GO HE HI IF IN IS IT ME MY NO OF OH OK ON OR OX SO TO UP US WE YO".split()
)
_ORDINAL_ENDINGS = frozenset(("st", "nd", "rd", "th"))
_MAX_SPELLED_RUN = 2  # letter runs of a code this short are spelled; longer ones only without a vowel
_MAX_ACRONYM = 5


def say_written(text: str) -> str:
    """`text` with its numbers, codes and acronyms written as they are said (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)  # "¹" -> "1", "Ｓ２４" -> "S24", before digits are read
    for written, said in _SAID_AS:
        text = written.sub(said, text)
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _PHONE.sub(lambda m: " ".join("oh" if d == "0" else spell_digits(d) for d in m.group(0) if d != "-"), text)
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) > _MAX_ACRONYM and all(c.isupper() for c in letters)
    return _TOKEN.sub(lambda m: _say_token(m.group(0), shouting), text)


def say_number(digits: str) -> str:
    """A run of ASCII digits as people say it (pairs for four digits, one by one from five; see above)."""
    number = int(digits)
    if len(digits) > 1 and digits.startswith("0") or (len(digits) >= 5 and number % 1000):
        return spell_digits(digits)
    if len(digits) < 3 or number % 1000 == 0 or 2000 < number < 2010 or (len(digits) == 3 and number % 100 == 0):
        return spell_cardinal(number)
    high, low = divmod(number, 100)
    if low == 0:
        return f"{spell_cardinal(high)} hundred"
    return f"{spell_cardinal(high)} {'oh ' if low < 10 else ''}{spell_cardinal(low)}"


def _say_token(token: str, shouting: bool) -> str:
    runs = _RUN.findall(token)
    if len(runs) == 1:
        if _is_digits(token):
            return say_number(token)
        if token in _ROMAN and not shouting:
            return _ROMAN[token]
        return _spelled(token) if _is_acronym(token, shouting) else token
    if len(runs) == 2 and _is_digits(runs[0]):
        ending = runs[1].lower()
        if ending in _ORDINAL_ENDINGS:
            return spell_ordinal(int(runs[0]))
        if ending == "s" and runs[0].endswith("0"):  # "80s" -> "eighties"
            said = say_number(runs[0])
            return said[:-1] + "ies" if said.endswith("y") else said + "s"
    return " ".join(say_number(run) if _is_digits(run) else _code_letters(run) for run in runs)


def _is_digits(run: str) -> bool:
    return run.isascii() and run.isdigit()


def _is_acronym(token: str, shouting: bool) -> bool:
    if shouting or not token.isascii() or not token.isupper() or not 2 <= len(token) <= _MAX_ACRONYM:
        return False
    return not _VOWELS.intersection(token) or (len(token) == 2 and token not in _PAIR_WORDS)


def _code_letters(run: str) -> str:
    if not run.isascii():
        return run
    if len(run) <= _MAX_SPELLED_RUN or (len(run) <= _MAX_ACRONYM and not _VOWELS.intersection(run)):
        return _spelled(run)
    return run


def _spelled(letters: str) -> str:
    return " ".join(letters)
