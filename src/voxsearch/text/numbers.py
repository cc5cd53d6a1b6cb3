"""Spell numbers as English words: cardinals, ordinals, digit strings (a small speller, no dependency).

Conventions (the same on both sides of a WER comparison, which is all scoring needs):
  1234 -> "one thousand two hundred thirty four" (no "and", no hyphens, years spelled as cardinals)
  007  -> "zero zero seven" (a leading zero means the digits are read one by one)
  21st -> "twenty first"
"""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MAX_SPELLED = 10**15 - 1  # larger numbers are read digit by digit


def spell_cardinal(number: int) -> str:
    """`number` (0 or more) in words; beyond MAX_SPELLED, one word per digit."""
    if number < 0:
        raise ValueError(f"spell_cardinal takes a number >= 0, got {number}; spell the sign separately")
    if number > MAX_SPELLED:
        return spell_digits(str(number))
    if number == 0:
        return "zero"
    words: list[str] = []
    for scale, name in _SCALES:
        if number >= scale:
            words += [_below_thousand(number // scale), name]
            number %= scale
    if number:
        words.append(_below_thousand(number))
    return " ".join(words)


def spell_ordinal(number: int) -> str:
    """`number` as an ordinal: 1 -> "first", 22 -> "twenty second", 100 -> "one hundredth"."""
    *head, last = spell_cardinal(number).split()
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def spell_digits(digits: str) -> str:
    """Each ASCII digit of `digits` as a word: "007" -> "zero zero seven"."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"spell_digits takes ASCII digits only, got {digits!r}")
    return " ".join(_ONES[int(d)] for d in digits)


def spell_number_string(digits: str) -> str:
    """A run of ASCII digits as it is usually read: a cardinal, or digit by digit after a leading zero."""
    if len(digits) > 1 and digits.startswith("0"):
        return spell_digits(digits)
    return spell_cardinal(int(digits))


def _below_thousand(number: int) -> str:
    words: list[str] = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words += [_ONES[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens])
        if ones:
            words.append(_ONES[ones])
    elif rest:
        words.append(_ONES[rest])
    return " ".join(words)
