"""English number words to digits ("twenty one" -> "21"), the inverse of `text.numbers` for cardinals.

Runs of number words are read greedily; a word that cannot continue the current number starts a new
one ("one two" -> "1 2", "nineteen eighty four" -> "19 84"). "and" is never consumed.
"""

from __future__ import annotations

import re

_ONES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
NUMBER_WORDS = frozenset(_ONES) | frozenset(_TENS) | frozenset(_SCALES) | {"hundred"}
_TOKEN = re.compile(r"[A-Za-z]+|[^A-Za-z]+")


class _Reader:
    """One number being read: `total` of completed scales plus `current` below a thousand."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last = ""  # kind of the last word: ones | teen | tens | hundred | scale
        self.smallest_scale = 10**15

    def accepts(self, word: str) -> bool:
        below_hundred = self.current % 100
        if not self.last:
            return word != "hundred" and word not in _SCALES
        if word in _ONES and _ONES[word] < 10 and _ONES[word] > 0:
            return self.last in ("tens", "hundred", "scale") and below_hundred % 10 == 0
        if word in _ONES:  # zero, ten..nineteen
            return word != "zero" and self.last in ("hundred", "scale") and below_hundred == 0
        if word in _TENS:
            return self.last in ("hundred", "scale") and below_hundred == 0
        if word == "hundred":
            return self.last in ("ones", "teen") and 0 < self.current < 20
        if word in _SCALES:
            return self.current > 0 and self.last != "scale" and _SCALES[word] < self.smallest_scale
        return False

    def add(self, word: str) -> None:
        if word in _ONES:
            self.current += _ONES[word]
            self.last = "ones" if _ONES[word] < 10 else "teen"
        elif word in _TENS:
            self.current += _TENS[word]
            self.last = "tens"
        elif word == "hundred":
            self.current *= 100
            self.last = "hundred"
        else:
            self.total += self.current * _SCALES[word]
            self.current = 0
            self.smallest_scale = _SCALES[word]
            self.last = "scale"

    def value(self) -> int:
        return self.total + self.current


def words_to_digits(text: str) -> str:
    """Replace each run of number words (any case, hyphen or space separated) by its digits."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    reader: _Reader | None = None
    pending_gap = ""  # separator seen after a number word, emitted once we know the number ended
    for token in tokens:
        word = token.lower()
        is_gap = not token[0].isalpha() and token.strip() in ("", "-") and len(token) <= 2
        if reader is not None and is_gap and not pending_gap:
            pending_gap = token
            continue
        if word in NUMBER_WORDS and reader is not None and reader.accepts(word):
            reader.add(word)
            pending_gap = ""
            continue
        if reader is not None:
            out.append(str(reader.value()))
            reader = None
            out.append(pending_gap if pending_gap.strip() == "" else " ")
            pending_gap = ""
        if word in NUMBER_WORDS and _Reader().accepts(word):
            reader = _Reader()
            reader.add(word)
        else:
            out.append(token)
    if reader is not None:
        out.append(str(reader.value()))
        out.append(pending_gap if pending_gap.strip() == "" else "")
    return "".join(out)
