"""The demo catalog built into a bench home, timed, next to a plain FTS5 index of the same entries."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from voxsearch.search import CatalogStore
from voxsearch.search.demo import DEMO_CATALOG_NAME, build_demo_catalog
from voxsearch.types import CatalogEntry


@dataclass(frozen=True)
class CatalogBuild:
    name: str
    entries: int
    generate_s: float  # reading GeoNames into entries
    index_s: float  # voxsearch's index (words, trigrams, phonetic keys)
    plain_fts_s: float  # reference: one FTS5 table of the same text, nothing else

    @property
    def index_vs_plain_fts(self) -> float:
        return self.index_s / self.plain_fts_s if self.plain_fts_s else float("inf")


def build_bench_catalog(home: Path) -> CatalogBuild:
    started = time.perf_counter()
    entries = build_demo_catalog()
    generate_s = time.perf_counter() - started
    result = CatalogStore(home).import_entries(entries, DEMO_CATALOG_NAME)
    return CatalogBuild(
        name=result.name,
        entries=result.entries,
        generate_s=generate_s,
        index_s=result.elapsed_s,
        plain_fts_s=_time_plain_fts(entries),
    )


def _time_plain_fts(entries: list[CatalogEntry]) -> float:
    with tempfile.TemporaryDirectory(prefix="voxsearch-bench-fts-") as tmp:
        started = time.perf_counter()
        conn = sqlite3.connect(Path(tmp) / "plain.sqlite")
        try:
            conn.execute("CREATE VIRTUAL TABLE entries USING fts5(id UNINDEXED, title, aliases, text)")
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?)",
                ((e.id, e.title, json.dumps(e.aliases), e.text) for e in entries),
            )
            conn.commit()
        finally:
            conn.close()
        return time.perf_counter() - started
