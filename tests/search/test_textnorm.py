"""Query normalization, carrier stripping and phonetic keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voxsearch.search import normalize_text, parse_query
from voxsearch.search.phonetic import phonetic_keys, sound_keys


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("São Paulo", "sao paulo"),
        ("L'viv", "lviv"),
        ("Zürich, Switzerland", "zurich switzerland"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("  Rock--and_Roll!! ", "rock and roll"),
        ("What's", "whats"),
    ],
)
def test_normalize_text(raw: str, normalized: str) -> None:
    assert normalize_text(raw) == normalized


@given(st.text(max_size=60))
def test_normalize_is_idempotent_and_tidy(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and "  " not in once


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("Directions to San Francisco, please", ("san", "francisco")),
        ("what's the weather in Los Angeles", ("los", "angeles")),
        ("please play bohemian rhapsody by queen", ("bohemian", "rhapsody", "by", "queen")),
        ("How do I make chicken tikka", ("chicken", "tikka")),
        ("I want to go to Kraków", ("krakow",)),
        ("search for hotels in paris", ("paris",)),
        ("paris", ("paris",)),
        # a carrier is kept when nothing but stop words would remain
        ("play", ("play",)),
        ("please please me", ("please", "me")),
    ],
)
def test_carrier_phrases_are_stripped(query: str, tokens: tuple[str, ...]) -> None:
    assert parse_query(query).tokens == tokens


def test_content_tokens_drop_stop_words_but_never_everything() -> None:
    assert parse_query("play songs by queen").content_tokens == ("queen",)
    assert parse_query("the the").content_tokens == ("the", "the")


@pytest.mark.parametrize(
    ("heard", "meant"),
    [("rap city", "rhapsody"), ("mel born", "melbourne"), ("quala lumper", "kuala lumpur"), ("munik", "munich")],
)
def test_sound_alikes_share_a_phonetic_key(heard: str, meant: str) -> None:
    assert set(phonetic_keys(heard.split())) & set(phonetic_keys(meant.split()))


def test_short_words_have_no_key() -> None:
    assert sound_keys("to") == ()
    assert sound_keys("12345") == ()


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("Whether in New York City.", ("new", "york", "city")),  # Whisper's homophone for "weather in"
        ("hotels and china", ("china",)),  # "in" misheard as "and"
        ("flights too denver", ("denver",)),
        ("playa del carmen", ("playa", "del", "carmen")),  # a lone similar word is never taken
        ("weather and", ("weather", "and")),  # nothing would remain
    ],
)
def test_misheard_carriers_are_stripped(query: str, tokens: tuple[str, ...]) -> None:
    assert parse_query(query).tokens == tokens
