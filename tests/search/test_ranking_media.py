"""Search on a small catalog of songs and recipes built here: carriers, "X by Y", sound-alike words."""

from __future__ import annotations

import pytest

from voxsearch.search import CatalogIndex


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        ("play bohemian rap city by queen", "song:bohemian"),
        ("play bohemian rhapsody", "song:bohemian"),
        ("play jolene by dolly parton", "song:jolene"),
        ("play joleen", "song:jolene"),
        ("flay jalene", "song:jolene"),  # word order counts clear matches only: not "mary jane" in that order
        ("play radio gaga", "song:radio"),
        ("play rhapsody in blue by gershwin", "song:rhapsody-blue"),
        ("play 9 to 5 by dolly parton", "song:9to5"),
        ("how do I make chicken tikka", "recipe:tikka"),
        ("how do I make chicken tika masala", "recipe:tikka"),
        ("recipe for chicken korma please", "recipe:korma"),
        ("how do I make paneer tikka", "recipe:paneer"),
    ],
)
def test_media_query_finds_the_entry_first(media: CatalogIndex, query: str, expected_id: str) -> None:
    hits = media.search(query, top_k=3)
    assert hits[0].id == expected_id, [(h.id, round(h.score, 3)) for h in hits]


def test_both_sides_of_by_count(media: CatalogIndex) -> None:
    """The artist after "by" picks between two songs with the same title word."""
    assert media.search("play rhapsody by queen")[0].id == "song:bohemian"
    assert media.search("play rhapsody by gershwin")[0].id == "song:rhapsody-blue"


def test_hits_carry_title_and_category(media: CatalogIndex) -> None:
    hit = media.search("how do I make chicken tikka")[0]
    assert (hit.title, hit.category) == ("Chicken Tikka Masala", "recipe")
    assert hit.to_wire() == {"id": "recipe:tikka", "title": "Chicken Tikka Masala", "score": round(hit.score, 4)}


def test_unrelated_query_finds_nothing(media: CatalogIndex) -> None:
    assert media.search("weather in reykjavik") == []


def test_the_right_song_wins_by_a_margin(media: CatalogIndex) -> None:
    first, second = media.search("play bohemian rap city by queen", top_k=2)
    assert first.score - second.score > 0.2, (first, second)
