"""The convention: loading, each rule, idempotence (hypothesis) and errors that name the fix."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.errors import DatasetError
from voxsearch.text.conventions import (
    Convention,
    apply_convention,
    default_convention,
    follows_convention,
    load_convention,
)
from voxsearch.text.number_words import words_to_digits

DEFAULT = default_convention()
KEEPING = replace(DEFAULT, fillers="keep", disfluency_marks="ellipsis", casing="keep", punctuation="keep",
                  numbers="digits", contractions="expand")
ALL_CONVENTIONS = [
    replace(DEFAULT, fillers=f, disfluency_marks=d, casing=c, punctuation=p, numbers=n, contractions=k)
    for f in ("keep", "drop") for d in ("none", "ellipsis") for c in ("lower", "keep")
    for p in ("drop", "keep") for n in ("words", "digits") for k in ("keep", "expand")
]


def test_the_three_ways_of_writing_one_utterance_become_one() -> None:
    written = ["Um, today's weather", "Um... today's weather", "Today's weather", "umm… Today's weather."]
    assert {apply_convention(t, DEFAULT) for t in written} == {"today's weather"}
    assert {apply_convention(t, replace(DEFAULT, fillers="keep")) for t in written[:2]} == {"um today's weather"}
    kept = {apply_convention(t, replace(DEFAULT, fillers="keep", disfluency_marks="ellipsis")) for t in written[:2]}
    assert kept == {"um... today's weather"}


def test_numbers_both_ways() -> None:
    assert apply_convention("Play 21 Pilots at 3.5 and 1,000 on the 2nd", DEFAULT) == (
        "play twenty one pilots at three point five and one thousand on the second")
    assert apply_convention("play twenty-one pilots, one hundred five times", KEEPING) == (
        "play 21 pilots, 105 times")
    assert words_to_digits("two thousand twenty four") == "2024"
    assert words_to_digits("one two three") == "1 2 3"


def test_spelling_contractions_and_casing() -> None:
    assert apply_convention("What's on at the Theatre? It's OK", KEEPING) == "What is on at the Theater? It is Okay"
    assert apply_convention("What's on at the Theatre? It's OK", DEFAULT) == "what's on at the theater it's okay"


def test_control_characters_and_odd_spaces_are_cleaned() -> None:
    assert apply_convention("weather\u200b in\tparis\x07", DEFAULT) == "weather in paris"


def test_the_default_definition_ships_with_the_package() -> None:
    assert DEFAULT.name == "voxsearch-default" and DEFAULT.version >= 1
    assert DEFAULT.spelling["colour"] == "color"


def test_a_definition_file_is_read_and_bad_values_name_the_fix(tmp_path: Path) -> None:
    good = tmp_path / "mine.toml"
    good.write_text('name = "mine"\nversion = 3\n[labels]\nfillers = "keep"\nnumbers = "digits"\n', encoding="utf-8")
    mine = load_convention(good)
    assert (mine.name, mine.version, mine.fillers, mine.numbers) == ("mine", 3, "keep", "digits")
    bad = tmp_path / "bad.toml"
    bad.write_text('[labels]\nnumbers = "roman"\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"numbers = 'roman'.*\['words', 'digits'\]"):
        load_convention(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[labels]\nfilers = "drop"\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="unknown \\[labels\\] keys \\['filers'\\]"):
        load_convention(unknown)
    with pytest.raises(DatasetError, match="does not exist"):
        load_convention(tmp_path / "missing.toml")


def test_a_spelling_map_that_chains_is_refused() -> None:
    with pytest.raises(DatasetError, match="must not be a variant"):
        Convention(spelling={"grey": "gray", "gray": "grey"})


_WORDS = ["um", "Umm", "uh", "UH", "er", "weather", "Today's", "it's", "can't", "Theatre", "colour", "OK",
          "twenty", "one", "hundred", "thousand", "five", "21", "3.5", "1,000", "2nd", "007", "Paris", "what's",
          "don't", "naïve", "café"]
_MARKS = ["", " ", ", ", "... ", "… ", " -- ", "? ", ". ", "! ", "-", "'", "\u2019", "\t", "\u200b", ";", "\"", "(", ")"]
_TEXTS = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_MARKS)), max_size=12).map(
    lambda parts: "".join(w + m for w, m in parts))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_TEXTS, st.text(max_size=40)), convention=st.sampled_from(ALL_CONVENTIONS))
def test_applying_a_convention_is_idempotent(text: str, convention: Convention) -> None:
    once = apply_convention(text, convention)
    assert apply_convention(once, convention) == once
    assert follows_convention(once, convention)


@settings(max_examples=200, deadline=None)
@given(text=_TEXTS)
def test_the_default_leaves_no_filler_digit_or_punctuation(text: str) -> None:
    out = apply_convention(text, DEFAULT)
    assert not any(c.isdigit() for c in out)
    assert out == out.lower()
    assert not set(out) & set(",.?!;:\"()-\u2026")
    assert not {"um", "umm", "uh", "er"} & set(out.split())
