"""Which part of a title is the name: places split at every comma; a song's title and artist may hold commas."""

from __future__ import annotations

from pathlib import Path

from voxsearch.search import CatalogStore
from voxsearch.search.title_parts import TitleParts
from voxsearch.train.catalog_text import catalog_sentences, spoken_words
from voxsearch.types import CatalogEntry, SearchHit

SONGS = [
    CatalogEntry(id="s:next", title="Thank U, Next, Ariana Grande", category="song", popularity=90),
    CatalogEntry(id="s:rings", title="7 Rings, Ariana Grande", category="song", popularity=85),
    CatalogEntry(id="s:alanis", title="Thank U, Alanis Morissette", category="song", popularity=40),
    CatalogEntry(id="s:again", title="See You Again, Tyler, the Creator", category="song", popularity=60),
    CatalogEntry(id="s:earf", title="Earfquake, Tyler, the Creator", category="song", popularity=60),
    CatalogEntry(id="s:daft", title="Harder, Better, Faster, Stronger, Daft Punk", category="song", popularity=70),
]


def test_places_split_at_every_comma() -> None:
    assert TitleParts().split("Portland, Oregon, US", "city") == ("Portland", "Oregon", "US")
    assert TitleParts().split(" Lviv ,, Ukraine", "city") == ("Lviv", "Ukraine")


def test_a_song_title_ends_where_the_catalog_s_artists_begin() -> None:
    parts = TitleParts(SONGS)
    assert parts.split("Thank U, Next, Ariana Grande", "song") == ("Thank U, Next", "Ariana Grande")
    assert parts.split("See You Again, Tyler, the Creator", "song") == ("See You Again", "Tyler, the Creator")
    # nothing recurs: the last comma
    assert parts.split("Harder, Better, Faster, Stronger, Daft Punk", "song") == (
        "Harder, Better, Faster, Stronger", "Daft Punk")
    assert parts.split("Jolene, Dolly Parton", "song") == ("Jolene", "Dolly Parton")
    assert parts.name(SONGS[0]) == "Thank U, Next"


def test_the_language_model_text_says_the_whole_title_and_its_artist() -> None:
    sentences = {words for words, _ in catalog_sentences(SONGS)}
    assert ("play", "thank", "u", "next") in sentences
    assert ("thank", "u", "next", "by", "ariana", "grande") in sentences
    assert ("play", "some", "tyler", "the", "creator") in sentences
    assert ("thank", "u", "by", "next", "ariana", "grande") not in sentences
    assert ("play", "some", "the", "creator") not in sentences


def test_the_search_index_names_the_song_by_its_whole_title(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path / "home")
    store.import_entries(SONGS, "songs")
    with store.open("songs") as index:
        assert index.search("play thank u", top_k=2)[0].id == "s:alanis"  # its whole name, not a prefix of another
        assert index.search("play thank u next", top_k=2)[0].id == "s:next"
        # hits carry the name part as written, split with the whole catalog's counts, for catalog rescoring
        assert index.search("see you again", top_k=1)[0].name == "See You Again"
        assert index.search("thank u next", top_k=1)[0].name == "Thank U, Next"


def test_catalog_rescoring_reads_a_hit_by_its_name_part() -> None:
    from voxsearch.catalog_rescoring import _catalog_readings

    hit = SearchHit("s:again", "See You Again, Tyler, the Creator", 0.9, "song", name="See You Again")
    readings = _catalog_readings(["play see you again"], [hit], limit=3)
    assert "Play See You Again." in readings, readings
    assert not any("Tyler" in text for text in readings)  # the last comma would have named it "See You Again, Tyler"


def test_the_language_model_text_reads_ampersands_and_featuring_out() -> None:
    assert spoken_words("Smooth, Santana feat. Rob Thomas") == ("smooth", "santana", "featuring", "rob", "thomas")
    assert spoken_words("Earth, Wind & Fire") == ("earth", "wind", "and", "fire")
    assert spoken_words("Despacito (feat. Daddy Yankee)")[1] == "featuring"
    assert spoken_words("Little Feat") == ("little", "feat")  # a name, not the abbreviation
