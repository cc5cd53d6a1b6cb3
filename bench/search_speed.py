"""Search latency on the catalog: voxsearch's search next to plain BM25, same queries, interleaved."""

from __future__ import annotations

import time
from dataclasses import dataclass

from voxsearch.eval import LatencySummary, percentiles_ms
from voxsearch.search import CatalogIndex, plain_bm25_search


@dataclass(frozen=True)
class SearchSpeed:
    queries: int
    search_ms: LatencySummary
    plain_bm25_ms: LatencySummary

    @property
    def p50_vs_plain(self) -> float:
        return self.search_ms.p50 / self.plain_bm25_ms.p50

    @property
    def p95_vs_plain(self) -> float:
        return self.search_ms.p95 / self.plain_bm25_ms.p95


def measure_search(index: CatalogIndex, queries: list[str], top_k: int, rounds: int) -> SearchSpeed:
    queries = [q for q in queries if q.strip()]
    if not queries:
        raise ValueError("no non-empty queries to time the search with")
    for q in queries:  # warm the page cache and both code paths
        index.search(q, top_k)
        plain_bm25_search(index, q, top_k)
    ours: list[float] = []
    plain: list[float] = []
    for _ in range(rounds):
        for q in queries:
            ours.append(_time_ms(lambda: index.search(q, top_k)))
            plain.append(_time_ms(lambda: plain_bm25_search(index, q, top_k)))
    return SearchSpeed(queries=len(queries), search_ms=percentiles_ms(ours), plain_bm25_ms=percentiles_ms(plain))


def _time_ms(call) -> float:  # noqa: ANN001 - any zero-argument call
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000.0
