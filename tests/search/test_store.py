"""CatalogStore: names, lookup errors, atomic re-import while an index is open, concurrent readers."""

from __future__ import annotations

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from voxsearch.errors import CatalogError, CatalogNotFound
from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.types import CatalogEntry

from .conftest import MEDIA_ENTRIES, write_lines


def test_import_writes_index_and_meta(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    source = write_lines(tmp_path / "songs.csv", ["id,title,text", "s1,Jolene,Dolly Parton", "s2,Hello,Adele"])
    result = store.import_catalog(source, "songs")
    assert (result.name, result.entries, result.path) == ("songs", 2, tmp_path / "catalogs" / "songs.sqlite")
    assert result.elapsed_s >= 0
    meta = json.loads((tmp_path / "catalogs" / "songs.json").read_text(encoding="utf-8"))
    assert meta["entries"] == 2 and meta["content_hash"] == result.content_hash and meta["name"] == "songs"
    assert meta["format_version"] >= 1 and meta["created_at"] > 0
    assert store.names() == ["songs"] and store.exists("songs") and not store.exists("other")


def test_content_hash_follows_the_source(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    a = store.import_catalog(write_lines(tmp_path / "a.csv", ["id,title", "1,One"]), "a")
    b = store.import_catalog(write_lines(tmp_path / "b.csv", ["id,title", "1,One"]), "b")
    c = store.import_catalog(write_lines(tmp_path / "c.csv", ["id,title", "1,Two"]), "c")
    assert a.content_hash == b.content_hash != c.content_hash
    full, fewer = store.import_entries(MEDIA_ENTRIES, "m"), store.import_entries(MEDIA_ENTRIES[1:], "m")
    assert full.content_hash != fewer.content_hash


def test_open_unknown_catalog_names_the_existing_ones(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.import_entries(MEDIA_ENTRIES, "media")
    with pytest.raises(CatalogNotFound) as info:
        store.open("songs")
    assert "'media'" in info.value.message
    assert "voxsearch catalog import FILE --name songs" in info.value.message


@pytest.mark.parametrize("name", ["", "Places", "-x", "a b", "../x", "x" * 65, "ü"])
def test_bad_catalog_names_are_rejected(tmp_path: Path, name: str) -> None:
    store = CatalogStore(tmp_path)
    with pytest.raises(CatalogError, match="catalog name"):
        store.import_entries(MEDIA_ENTRIES, name)
    with pytest.raises(CatalogError, match="catalog name"):
        store.open(name)


def test_import_entries_rejects_duplicates_and_empty(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    with pytest.raises(CatalogError, match="'x' is used twice"):
        store.import_entries([CatalogEntry("x", "One"), CatalogEntry("x", "Two")], "dup")
    with pytest.raises(CatalogError, match="no entries"):
        store.import_entries([], "empty")
    assert store.names() == []


def test_reimport_swaps_atomically_while_an_index_is_open(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.import_entries([CatalogEntry("old", "Jolene")], "songs")
    with store.open("songs") as old:
        store.import_entries([CatalogEntry("new", "Jolene")], "songs")
        assert old.search("jolene")[0].id == "old"  # the open index keeps serving the old file
        with store.open("songs") as new:
            assert new.search("jolene")[0].id == "new"


def test_corrupt_index_file_is_a_catalog_error(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.catalogs_dir.mkdir(parents=True)
    store.index_path("broken").write_bytes(b"not a database" * 100)
    with pytest.raises(CatalogError, match="import the catalog again"):
        store.open("broken")


def test_concurrent_searches_from_threads(places: CatalogIndex) -> None:
    queries = ["paris", "mel born", "quala lumper", "hotels in new yourk", "flights to tokyo", "buenos ares"]
    expected = {q: places.search(q, top_k=3) for q in queries}
    start = threading.Barrier(4)

    def run(worker: int) -> list[bool]:
        start.wait()
        return [places.search(q, top_k=3) == expected[q] for q in queries[worker:] + queries[:worker]]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(4)))
    assert all(all(r) for r in results)


def test_an_index_from_before_a_table_was_added_is_refused_with_the_import_command(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.import_entries(MEDIA_ENTRIES, "songs")
    with sqlite3.connect(tmp_path / "catalogs" / "songs.sqlite") as conn:
        conn.execute("DROP TABLE name_terms")  # as built before word rarity (same format version)
    with pytest.raises(CatalogError, match=r"without the name_terms table.*voxsearch catalog import FILE --name songs"):
        store.open("songs")
