"""The catalog LM's sentences: long shop names also go shortened, as shoppers say them; song titles do not."""

from __future__ import annotations

import pytest

from voxsearch.train.catalog_text import catalog_sentences, shortened_names
from voxsearch.types import CatalogEntry


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ninja Creami Deluxe NC501", ["ninja creami deluxe"]),  # the model number at the end left out
        ("Amazon Kindle Paperwhite", ["kindle paperwhite"]),  # the brand left out
        ("Samsung Galaxy Book3 360", ["samsung galaxy book three", "galaxy book three three sixty",
                                      "galaxy book three"]),  # one number cut, not every one: not "samsung galaxy"
        ("Apple AirPods Pro (2nd generation)", ["apple airpods pro", "airpods pro second generation", "airpods pro"]),
        ("UNO Card Game", []),  # nothing to leave out
        ("Kindle", []),  # never shorter than two words
    ],
)
def test_shortened_names(name: str, expected: list[str]) -> None:
    brands = frozenset({"amazon", "samsung", "apple"})
    assert [" ".join(words) for words in shortened_names(name, brands)] == expected


def _entries(category: str, titles: list[str]) -> list[CatalogEntry]:
    return [CatalogEntry(id=str(n), title=t, category=category) for n, t in enumerate(titles)]


def test_shop_names_go_shortened_into_carrier_phrases_with_brands_from_the_catalog() -> None:
    entries = _entries("electronics", ["Amazon Kindle Paperwhite", "Amazon Echo Dot", "Amazon Fire TV Stick 4K",
                                       "Ninja Creami Deluxe NC501"])
    sentences = {" ".join(words): weight for words, weight in catalog_sentences(entries)}
    assert "buy a kindle paperwhite" in sentences and "kindle paperwhite" in sentences
    assert "buy a ninja creami deluxe" in sentences
    assert sentences["kindle paperwhite"] < sentences["amazon kindle paperwhite"]  # the full name stays likelier
    few = {" ".join(w) for w, _ in catalog_sentences(entries[:2] + entries[3:])}  # "amazon" starts only two names
    assert "kindle paperwhite" not in few


def test_song_titles_are_not_shortened() -> None:
    entries = _entries("song", ["Shape of You (Acoustic), Ed Sheeran", "Perfect, Ed Sheeran", "Photograph, Ed Sheeran"])
    sentences = {" ".join(words) for words, _ in catalog_sentences(entries)}
    assert "play shape of you" not in sentences and "play shape of you acoustic" in sentences
