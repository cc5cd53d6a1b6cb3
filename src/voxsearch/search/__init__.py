"""Catalog import and search that survive speech-recognition errors (SQLite FTS5 + fuzzy/phonetic re-ranking)."""

from voxsearch.search.baseline import plain_bm25_search
from voxsearch.search.catalog_file import parse_catalog, read_catalog
from voxsearch.search.index import CatalogIndex, SearchOptions
from voxsearch.search.rank import RankWeights
from voxsearch.search.store import CatalogInfo, CatalogStore, ImportResult, check_catalog_name
from voxsearch.search.textnorm import QueryText, normalize_text, parse_query

__all__ = [
    "CatalogIndex",
    "CatalogInfo",
    "CatalogStore",
    "ImportResult",
    "QueryText",
    "RankWeights",
    "SearchOptions",
    "check_catalog_name",
    "normalize_text",
    "parse_catalog",
    "parse_query",
    "plain_bm25_search",
    "read_catalog",
]
