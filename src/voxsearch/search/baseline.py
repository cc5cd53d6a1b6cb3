"""The reference baseline for benchmarks: FTS5 BM25 over the raw query words, nothing else.

No carrier stripping, no fuzzy or phonetic matching, no re-ranking: what a plain full-text index gives.
"""

from __future__ import annotations

import re

from voxsearch.search.index import WORD_COLUMN_WEIGHTS, CatalogIndex, _check_search_args
from voxsearch.types import SearchHit

_WORD = re.compile(r"\w+")


def plain_bm25_search(index: CatalogIndex, query: str, top_k: int = 5) -> list[SearchHit]:
    """Top `top_k` entries by BM25 of the OR of the query's words; scores scaled to (0, 1] by the best."""
    _check_search_args(query, top_k)
    words = list(dict.fromkeys(w.casefold() for w in _WORD.findall(query)))
    if not words:
        return []
    rows = index.execute(
        f"SELECT e.id, e.title, e.category, bm25(words, {', '.join(map(str, WORD_COLUMN_WEIGHTS))}) AS r "
        "FROM words JOIN entries e ON e.rowid = words.rowid WHERE words MATCH ? ORDER BY r LIMIT ?",
        ("{name aliases title text} : (" + " OR ".join(f'"{w}"' for w in words) + ")", top_k),
    )
    if not rows:
        return []
    best = rows[0][3]
    return [SearchHit(id=i, title=t, score=(r / best if best else 1.0), category=c) for i, t, c, r in rows]
