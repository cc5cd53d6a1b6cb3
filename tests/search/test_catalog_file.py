"""Reading catalog files: JSONL and CSV, and every bad line named with its line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voxsearch.errors import CatalogError
from voxsearch.search import CatalogStore, read_catalog
from voxsearch.types import CatalogEntry

from .conftest import write_lines

GOOD_JSONL = [
    json.dumps({"id": "a1", "title": "Bohemian Rhapsody", "text": "Queen", "aliases": ["Bo Rhap"],
                "category": "song", "popularity": 950}),
    "",
    json.dumps({"id": "a2", "title": "Jolene", "popularity": 4.5, "extra": "ignored"}),
]


def test_jsonl_is_read_with_all_fields(tmp_path: Path) -> None:
    entries = read_catalog(write_lines(tmp_path / "songs.jsonl", GOOD_JSONL))
    assert entries == [
        CatalogEntry(id="a1", title="Bohemian Rhapsody", text="Queen", aliases=("Bo Rhap",), category="song",
                     popularity=950.0),
        CatalogEntry(id="a2", title="Jolene", popularity=4.5),
    ]


def test_csv_is_read_with_pipe_separated_aliases(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "places.csv", [
        "id,title,aliases,popularity,category",
        'nyc,"New York City, New York",NYC|Big Apple,8804190,city',
        "lv,Lviv,,,",
    ])
    assert read_catalog(path) == [
        CatalogEntry(id="nyc", title="New York City, New York", aliases=("NYC", "Big Apple"), category="city",
                     popularity=8804190.0),
        CatalogEntry(id="lv", title="Lviv"),
    ]


@pytest.mark.parametrize(("lines", "count"), [(GOOD_JSONL, 2), (["id,title", "x,Y"], 1)])
def test_format_is_sniffed_without_a_known_suffix(tmp_path: Path, lines: list[str], count: int) -> None:
    assert len(read_catalog(write_lines(tmp_path / "catalog.txt", lines))) == count


def test_utf8_bom_and_accents_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffid,title\nz,Zürich\n".encode("utf-8"))
    assert read_catalog(path)[0].title == "Zürich"


_OK = '{"id": "ok", "title": "Fine"}'


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        ([_OK, '{"title": "No id"}'], 2, "field 'id' is missing"),
        ([_OK, '{"id": "", "title": "x"}'], 2, "field 'id' is empty"),
        ([_OK, '{"id": true, "title": "x"}'], 2, "field 'id'"),
        ([_OK, _OK.replace("ok", "b"), '{"id": "c", "title": "  "}'], 3, "field 'title' is empty"),
        (['{"id": "a"}'], 1, "field 'title' is missing"),
        ([_OK, '{"id": "b", "title": "x", "popularity": "lots"}'], 2, "field 'popularity' is 'lots'"),
        ([_OK, '{"id": "b", "title": "x", "popularity": -3}'], 2, "field 'popularity'"),
        ([_OK, '{"id": "b", "title": "x", "popularity": NaN}'], 2, "field 'popularity'"),
        ([_OK, '{"id": "b", "title": "x",'], 2, "not valid JSON"),
        ([_OK, '["id", "title"]'], 2, "not an object"),
        ([_OK, _OK], 2, "id 'ok' is already used on line 1"),
        ([_OK, '{"id": "b", "title": "x", "aliases": "NYC"}'], 2, "field 'aliases'"),
        ([_OK, '{"id": "b", "title": "x", "aliases": ["NYC", 3]}'], 2, "field 'aliases'"),
        ([_OK, '{"id": "b", "title": "x", "text": 12}'], 2, "field 'text'"),
    ],
)
def test_bad_jsonl_line_is_named(tmp_path: Path, lines: list[str], line: int, fragment: str) -> None:
    path = write_lines(tmp_path / "catalog.jsonl", lines)
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert f"catalog.jsonl line {line}: " in info.value.message
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        (["id,name", "a,b"], 1, "no 'title' column"),
        (["id,title", "a,Fine", "b,"], 3, "field 'title' is empty"),
        (["id,title", "a,Fine", ",Title"], 3, "field 'id' is empty"),
        (["id,title,popularity", "a,Fine,1", "b,x,many"], 3, "field 'popularity' is 'many'"),
        (["id,title", "a,Fine", "a,Again"], 3, "already used on line 2"),
        (["id,title", "a,Fine", "b,x,extra"], 3, "has 3 fields but the header has 2"),
    ],
)
def test_bad_csv_line_is_named(tmp_path: Path, lines: list[str], line: int, fragment: str) -> None:
    path = write_lines(tmp_path / "catalog.csv", lines)
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert f"catalog.csv line {line}: " in info.value.message
    assert fragment in info.value.message


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(CatalogError, match="empty.jsonl is empty"):
        read_catalog(path)


def test_header_only_csv_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no entries"):
        read_catalog(write_lines(tmp_path / "c.csv", ["id,title"]))


def test_non_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,title\na,Zürich\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"latin1.csv line 2: .*not UTF-8.*save the catalog as UTF-8"):
        read_catalog(path)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        read_catalog(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    "bad_line",
    [
        '{"title": "No id"}',
        '{"id": "b", "title": ""}',
        '{"id": "b", "title": "x", "popularity": "lots"}',
        '{"id": "b", "title": "x",',
        '{"id": "a1", "title": "Duplicate"}',
        '{"id": "b", "title": "x", "aliases": {"a": 1}}',
    ],
)
def test_failed_import_leaves_the_previous_index_serving(tmp_path: Path, bad_line: str) -> None:
    store = CatalogStore(tmp_path / "home")
    store.import_catalog(write_lines(tmp_path / "v1.jsonl", GOOD_JSONL), "songs")
    before = (store.index_path("songs").read_bytes(), store.info("songs"))
    bad = write_lines(tmp_path / "v2.jsonl", [GOOD_JSONL[0], '{"id": "new", "title": "New Song"}', bad_line])
    with pytest.raises(CatalogError, match="v2.jsonl line 3: "):
        store.import_catalog(bad, "songs")
    assert (store.index_path("songs").read_bytes(), store.info("songs")) == before
    with store.open("songs") as index:
        assert all(h.id != "new" for h in index.search("new song"))
        assert index.search("jolene")[0].id == "a2"
    assert sorted(p.name for p in store.catalogs_dir.iterdir()) == ["songs.json", "songs.sqlite"]  # no temp left
