"""Build a catalog index file: one SQLite database with FTS5 tables.

Why SQLite FTS5: it ships with Python (no extra dependency, no server), BM25 ranking and a trigram
tokenizer are built in, and the whole index is one file, so a new import is written next to the old
one and swapped in with an atomic rename: readers keep the old file open until they reopen.

Tables:
  meta     key/value: name, format version, content hash, entry count, created time, max popularity
  entries  the entries as imported, the title's name part as written, and the normalized (spoken) name,
           title, aliases and text for re-ranking
  words    FTS5 (contentless, unicode61): name, aliases, title, text, keys (phonetic keys of names)
  grams    FTS5 (contentless, trigram): names and aliases with spaces removed, for misspelled words
  common_terms  terms of `words` found in many entries ("city", "united"), skipped when retrieving
  name_terms    every word of the names, titles and aliases, with how many entries use it: a word many
                entries share ("sony", "wireless") tells them apart less when ranking
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from voxsearch.errors import CatalogError
from voxsearch.fileio import fsync_dir
from voxsearch.search.phonetic import phonetic_keys
from voxsearch.search.textnorm import indexed_text
from voxsearch.search.title_parts import TitleParts
from voxsearch.types import CatalogEntry

logger = logging.getLogger(__name__)

INDEX_FORMAT_VERSION = 2  # 2: normalized forms as said (text/spoken); the name part as written
# name_terms came later within version 2: an index without it is refused like an older version
INDEX_TABLES = ("meta", "entries", "words", "grams", "common_terms", "name_terms")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    aliases TEXT NOT NULL,
    category TEXT NOT NULL,
    popularity REAL NOT NULL,
    name_norm TEXT NOT NULL,
    title_norm TEXT NOT NULL,
    aliases_norm TEXT NOT NULL,
    text_norm TEXT NOT NULL
);
CREATE VIRTUAL TABLE words USING fts5(
    name, aliases, title, text, keys, content='', tokenize='unicode61 remove_diacritics 2', prefix='3'
);
CREATE VIRTUAL TABLE grams USING fts5(names, content='', tokenize='trigram');
CREATE TABLE common_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL);
CREATE TABLE name_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL);
"""
# A term in more entries than this share (and at least _COMMON_MIN_DOCS) retrieves nothing specific:
# it is left out of candidate queries (it still counts when re-ranking).
COMMON_TERM_SHARE = 0.02
_COMMON_MIN_DOCS = 50


@dataclass(frozen=True)
class IndexedEntry:
    """An entry with the normalized forms the index and the ranking use."""

    entry: CatalogEntry
    written_name: str  # the title's name part (search/title_parts): "Lviv" of "Lviv, Ukraine"
    name: str  # the same, normalized as said
    title: str
    aliases: tuple[str, ...]
    text: str


def index_entry(entry: CatalogEntry, parts: TitleParts = TitleParts()) -> IndexedEntry:
    aliases = tuple(a for a in (indexed_text(x) for x in entry.aliases) if a)
    written_name = parts.name(entry)
    return IndexedEntry(
        entry=entry,
        written_name=written_name,
        name=indexed_text(written_name) or indexed_text(entry.title),
        title=indexed_text(entry.title),
        aliases=aliases,
        text=indexed_text(entry.text),
    )


def build_index_file(entries: Iterable[CatalogEntry], path: Path, name: str, content_hash: str) -> int:
    """Write the index of `entries` to `path` atomically (temp file, fsync, rename); returns the entry count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = _write_index(entries, tmp, name, content_hash)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return count


def _write_index(entries: Iterable[CatalogEntry], path: Path, name: str, content_hash: str) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(_SCHEMA)
        count, max_popularity = 0, 0.0
        seen: set[str] = set()
        entries = list(entries)
        parts = TitleParts(entries)
        name_terms: Counter[str] = Counter()
        for rowid, entry in enumerate(entries, start=1):
            if entry.id in seen:
                raise CatalogError(f"entry {rowid}: id {entry.id!r} is used twice; ids must be unique")
            if not entry.title.strip():
                raise CatalogError(f"entry {rowid} (id {entry.id!r}): the title is empty; every entry needs a title")
            seen.add(entry.id)
            item = index_entry(entry, parts)
            _insert(conn, rowid, item)
            name_terms.update({w for text in (item.name, item.title, *item.aliases) for w in text.split()})
            count += 1
            max_popularity = max(max_popularity, entry.popularity)
        if count == 0:
            raise CatalogError(f"catalog {name!r} has no entries; a catalog needs at least one entry")
        meta = {
            "name": name,
            "format_version": str(INDEX_FORMAT_VERSION),
            "content_hash": content_hash,
            "entries": str(count),
            "created_at": str(time.time()),
            "max_popularity": repr(max_popularity),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.executemany("INSERT INTO name_terms VALUES (?, ?)", name_terms.items())
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'words', 'row')")
        conn.execute(
            "INSERT INTO common_terms SELECT term, doc FROM temp.vocab WHERE doc > ?",
            (max(_COMMON_MIN_DOCS, COMMON_TERM_SHARE * count),),
        )
        conn.execute("INSERT INTO words(words) VALUES ('optimize')")
        conn.execute("INSERT INTO grams(grams) VALUES ('optimize')")
        conn.commit()
    finally:
        conn.close()
    logger.debug("indexed %d entries of catalog %r into %s", count, name, path)
    return count


def _insert(conn: sqlite3.Connection, rowid: int, item: IndexedEntry) -> None:
    e = item.entry
    conn.execute(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (rowid, e.id, e.title, item.written_name, e.text, json.dumps(list(e.aliases), ensure_ascii=False), e.category,
         e.popularity, item.name, item.title, json.dumps(list(item.aliases)), item.text),
    )
    names = [item.name, *item.aliases]
    keys = {k for n in names for k in phonetic_keys(n.split())}
    conn.execute(
        "INSERT INTO words(rowid, name, aliases, title, text, keys) VALUES (?, ?, ?, ?, ?, ?)",
        (rowid, item.name, " | ".join(item.aliases), item.title, item.text, " ".join(sorted(keys))),
    )
    conn.execute("INSERT INTO grams(rowid, names) VALUES (?, ?)", (rowid, " ".join(n.replace(" ", "") for n in names)))
