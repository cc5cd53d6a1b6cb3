"""A catalog index opened read-only: candidate retrieval from FTS5, then re-ranking (`rank.py`).

Candidates come from three FTS5 queries, each limited, and their union is re-ranked:
  words  BM25 over name/aliases/title/text, OR of the query words (with prefixes)
  grams  trigrams of the query words joined, so a misspelled word or a split/merged one still retrieves
  keys   phonetic keys of the query words and of joined adjacent pairs
Thread safety: one read-only sqlite connection per thread, all closed by `close()`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from voxsearch.errors import CatalogError, InvalidRequest
from voxsearch.search.index_build import INDEX_FORMAT_VERSION, INDEX_TABLES
from voxsearch.search.phonetic import phonetic_keys
from voxsearch.search.rank import QUERY_MAX_JOIN, Candidate, RankWeights, rank_candidates, word_rarity
from voxsearch.search.textnorm import QueryText, parse_query
from voxsearch.types import SearchHit

logger = logging.getLogger(__name__)

MAX_TOP_K = 1000
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 16
# bm25() weights of the `words` columns: name, aliases, title, text, keys
WORD_COLUMN_WEIGHTS = (10.0, 4.0, 3.0, 1.0, 0.0)


@dataclass(frozen=True)
class SearchOptions:
    candidates_per_source: int = 100  # rows taken from each of the three FTS5 queries
    weights: RankWeights = RankWeights()


class CatalogIndex:
    """Search one imported catalog. Safe to share between threads; use `close()` or a `with` block."""

    def __init__(self, path: Path, options: SearchOptions = SearchOptions()) -> None:
        self.path = Path(path)
        self.options = options
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        meta = dict(self._connection().execute("SELECT key, value FROM meta").fetchall())
        version = int(meta.get("format_version", "0"))
        tables = {name for (name,) in self._connection().execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = sorted(set(INDEX_TABLES) - tables)
        if version != INDEX_FORMAT_VERSION or missing:
            self.close()
            found = f"format version {version}" + (f" without the {', '.join(missing)} table" if missing else "")
            raise CatalogError(
                f"catalog index {str(self.path)!r} has {found}, this voxsearch reads version {INDEX_FORMAT_VERSION}"
                f" as built now; import it again with: voxsearch catalog import FILE --name {meta.get('name')}"
            )
        self.name: str = meta["name"]
        self.size: int = int(meta["entries"])
        self.content_hash: str = meta["content_hash"]
        self.created_at: float = float(meta["created_at"])
        self.max_popularity: float = float(meta["max_popularity"])
        self._common_terms = frozenset(t for (t,) in self._connection().execute("SELECT term FROM common_terms"))
        name_docs = dict(self._connection().execute("SELECT term, docs FROM name_terms").fetchall())
        self._rarity = word_rarity(name_docs, self.size, options.weights)

    def search(self, query: str, top_k: int = 5) -> list[SearchHit]:
        """Best `top_k` entries for `query`, scores in [0, 1], best first; a blank query finds nothing."""
        _check_search_args(query, top_k)
        parsed = parse_query(query)
        if not parsed.tokens:
            return []
        parsed = QueryText(parsed.raw, parsed.tokens[:MAX_QUERY_WORDS], parsed.carriers)
        candidates = self._candidates(parsed)
        ranked = rank_candidates(parsed, candidates, self.max_popularity, self.options.weights, self._rarity)
        return [SearchHit(id=c.id, title=c.title, score=s, category=c.category, name=c.written_name)
                for s, c in ranked[:top_k]]

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run a read-only statement on this thread's connection (for baselines and diagnostics)."""
        return self._connection().execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> "CatalogIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CatalogIndex(name={self.name!r}, size={self.size}, path={str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # immutable=1: the file is never modified in place (a new import renames a new file over it)
            uri = f"file:{urllib.parse.quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            try:
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                conn.execute("SELECT 1 FROM meta LIMIT 1")
            except sqlite3.DatabaseError as e:
                raise CatalogError(
                    f"cannot open catalog index {str(self.path)!r} ({e}); import the catalog again with: "
                    "voxsearch catalog import FILE --name NAME"
                ) from e
            with self._lock:
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    def _candidates(self, query: QueryText) -> list[Candidate]:
        """Union of the three candidate queries, with the BM25 of the entries the word query found."""
        all_words = list(dict.fromkeys(query.content_tokens))
        words = _specific(all_words, self._common_terms)
        limit = self.options.candidates_per_source
        word_terms = " OR ".join(f"{_quote(w)}*" if len(w) >= 4 else _quote(w) for w in words)
        bm25 = dict(self.execute(
            f"SELECT rowid, bm25(words, {', '.join(map(str, WORD_COLUMN_WEIGHTS))}) AS r FROM words "
            "WHERE words MATCH ? ORDER BY r LIMIT ?",
            (f"{{name aliases title text}} : ({word_terms})", limit),
        ))
        rowids = set(bm25)
        grams = _trigrams("".join(all_words))
        if grams:
            rowids.update(r for (r,) in self.execute(
                "SELECT rowid FROM grams WHERE grams MATCH ? ORDER BY bm25(grams) LIMIT ?",
                (" OR ".join(map(_quote, grams)), limit),
            ))
        keys = _specific(phonetic_keys(all_words, QUERY_MAX_JOIN), self._common_terms)
        if keys:
            rowids.update(r for (r,) in self.execute(
                "SELECT rowid FROM words WHERE words MATCH ? ORDER BY bm25(words, 0, 0, 0, 0, 1) LIMIT ?",
                (f"{{keys}} : ({' OR '.join(map(_quote, keys))})", limit),
            ))
        return self._fetch(rowids, bm25)

    def _fetch(self, rowids: set[int], bm25: dict[int, float]) -> list[Candidate]:
        if not rowids:
            return []
        rows = self.execute(
            "SELECT rowid, id, title, category, popularity, name_norm, title_norm, aliases_norm, text_norm, name "
            f"FROM entries WHERE rowid IN ({','.join('?' * len(rowids))})",
            tuple(rowids),
        )
        return [
            Candidate(
                rowid=r[0], id=r[1], title=r[2], category=r[3], popularity=r[4], name=r[5], title_norm=r[6],
                aliases=tuple(json.loads(r[7])), text=r[8], bm25=bm25.get(r[0]), written_name=r[9],
            )
            for r in rows
        ]


def _quote(term: str) -> str:
    """An FTS5 string; normalized terms hold only word characters, so there is no quote to escape."""
    return f'"{term}"'


def _specific(terms: list[str], common: frozenset[str] | set[str]) -> list[str]:
    """`terms` without the common ones (all of them if every term is common)."""
    return [t for t in terms if t.casefold() not in common] or terms


def _trigrams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))


def _check_search_args(query: object, top_k: object) -> None:
    if not isinstance(query, str):
        raise InvalidRequest(f"query is {query!r}, a {type(query).__name__}; pass the query as a string")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidRequest(f"query has {len(query)} characters; shorten it to at most {MAX_QUERY_CHARS}")
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K:
        raise InvalidRequest(f"top_k is {top_k!r}; use a whole number from 1 to {MAX_TOP_K}")
