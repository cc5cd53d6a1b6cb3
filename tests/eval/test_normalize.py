"""The scoring normalization: hand-written examples per transform, and idempotence as a property."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from voxsearch.text.normalize import (
    SCORING_NORMALIZATION,
    CollapseWhitespace,
    Compose,
    ExpandContractions,
    FoldUnicode,
    normalize_for_scoring,
)
from voxsearch.text.numbers import spell_cardinal, spell_digits, spell_ordinal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's the weather at 6:30?", "what is the weather at six thirty"),
        ("Set a timer for 10 minutes.", "set a timer for ten minutes"),
        ("$500", "five hundred dollars"),
        ("$5.50", "five dollars fifty cents"),
        ("$1", "one dollar"),
        ("$0.99", "ninety nine cents"),
        ("£2.5 million", "two point five million pounds"),
        ("the 1st and the 22nd", "the first and the twenty second"),
        ("St. Louis", "st louis"),
        ("Café Zürich, Łódź", "cafe zurich lodz"),
        ("I can't, we won't, they cannot", "i can not we will not they can not"),
        ("we'll see, you're late, I'd go, I've been", "we will see you are late i would go i have been"),
        ("McDonald’s in Paris's centre", "mcdonalds in pariss centre"),
        ("meet at 6:00 p.m.", "meet at six pm"),
        ("wake me at 6:00", "wake me at six oclock"),
        ("7:05am", "seven oh five am"),
        ("50% off", "fifty percent off"),
        ("3.14", "three point one four"),
        ("1,000,000 people", "one million people"),
        ("Rock & Roll", "rock and roll"),
        ("agent 007", "agent zero zero seven"),
        ("flights to São Paulo!", "flights to sao paulo"),
        ("  many \t spaces\n", "many spaces"),
        ("", ""),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert normalize_for_scoring(text) == expected


@pytest.mark.parametrize(
    ("whisper", "transcriber"),
    [
        ("What's the weather in Zürich at 6:30?", "what is the weather in zurich at six thirty"),
        # v2: whole numbers as they are said, spelled letters joined
        ("Play 1999 by Prince.", "play nineteen ninety nine by prince"),
        ("Play 505 by Arctic Monkeys.", "play five oh five by arctic monkeys"),
        ("Play 3AM by Matchbox 20.", "play three a m by matchbox twenty"),
        ("Order the Sony WH-1000XM5.", "order the sony w h one thousand x m five"),
        ("How much is the LG C3?", "how much is the l g c three"),
        ("Play D-I-V-O-R-C-E.", "play d i v o r c e"),
        ("Meet at 6pm.", "meet at six p m"),
    ],
)
def test_whisper_style_and_reference_style_meet(whisper: str, transcriber: str) -> None:
    assert normalize_for_scoring(whisper) == normalize_for_scoring(transcriber)


def test_short_vowelless_words_alone_are_kept() -> None:
    assert normalize_for_scoring("Mr. Smith on St. Mark's") == "mr smith on st marks"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (105, "one hundred five"),
        (1_000_001, "one million one"),
        (2024, "two thousand twenty four"),
        (999_999_999_999_999, "nine hundred ninety nine trillion nine hundred ninety nine billion nine hundred "
         "ninety nine million nine hundred ninety nine thousand nine hundred ninety nine"),
    ],
)
def test_spell_cardinal(number: int, words: str) -> None:
    assert spell_cardinal(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "first"), (2, "second"), (3, "third"), (5, "fifth"), (12, "twelfth"), (20, "twentieth"),
     (21, "twenty first"), (100, "one hundredth")],
)
def test_spell_ordinal(number: int, words: str) -> None:
    assert spell_ordinal(number) == words


def test_huge_numbers_are_read_digit_by_digit() -> None:
    assert spell_cardinal(10**15) == spell_digits("1" + "0" * 15)


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="-3"):
        spell_cardinal(-3)


def test_compose_is_named_and_reusable() -> None:
    lower_only = Compose([FoldUnicode(), ExpandContractions(), CollapseWhitespace()], name="lower")
    assert lower_only("It's  6:30") == "it is 6:30"
    assert lower_only.describe() == "lower: FoldUnicode > ExpandContractions > CollapseWhitespace"
    assert SCORING_NORMALIZATION.name == "voxsearch-scoring-v2"


_SPEECHY = st.text(
    alphabet=st.sampled_from(list("abcXYZ éüøß'’.,:;$£€%&+@#-_0123456789 \t\n")) | st.characters(),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_SPEECHY)
@example("ℌ 1st ﬀ İstanbul ²")
@example("$1,000.5 million 12:00pm it's o'clock")
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_for_scoring(text)
    assert normalize_for_scoring(once) == once


@settings(max_examples=200, deadline=None)
@given(_SPEECHY)
def test_output_has_no_ascii_digits_punctuation_or_extra_spaces(text: str) -> None:
    out = normalize_for_scoring(text)
    assert not any(c in "0123456789.,:;$%&'\"!?" for c in out)
    assert out == " ".join(out.split())
