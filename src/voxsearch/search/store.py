"""Where catalogs live: `home/catalogs/NAME.sqlite` (the index) and `NAME.json` (a small summary).

An import builds the new index in a temp file and renames it over the old one, so an index that is
open keeps serving the old catalog until it is reopened, and a failed import leaves the old one intact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from voxsearch.errors import CatalogError, CatalogNotFound
from voxsearch.fileio import write_text_atomic
from voxsearch.search.catalog_file import parse_catalog, read_catalog_bytes
from voxsearch.search.index import CatalogIndex, SearchOptions
from voxsearch.search.index_build import INDEX_FORMAT_VERSION, build_index_file
from voxsearch.types import CatalogEntry

logger = logging.getLogger(__name__)

CATALOG_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
INDEX_SUFFIX = ".sqlite"
META_SUFFIX = ".json"


@dataclass(frozen=True)
class ImportResult:
    name: str
    entries: int
    path: Path
    content_hash: str
    elapsed_s: float


@dataclass(frozen=True)
class CatalogInfo:
    """The summary written next to each index."""

    name: str
    entries: int
    content_hash: str
    created_at: float
    format_version: int
    source: str


def check_catalog_name(name: object) -> str:
    if not isinstance(name, str) or not CATALOG_NAME.match(name):
        raise CatalogError(
            f"catalog name {name!r} is not valid; use 1-64 lower-case letters, digits, '_' or '-', "
            "starting with a letter or digit (e.g. 'places' or 'songs-2024')"
        )
    return name


class CatalogStore:
    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.catalogs_dir = self.home / "catalogs"

    def index_path(self, name: str) -> Path:
        return self.catalogs_dir / f"{check_catalog_name(name)}{INDEX_SUFFIX}"

    def import_catalog(self, path: Path, name: str) -> ImportResult:
        """Read and validate the catalog file at `path`, then index it as `name` (all or nothing)."""
        check_catalog_name(name)
        started = time.perf_counter()
        data = read_catalog_bytes(Path(path))
        entries = parse_catalog(data, Path(path).name, Path(path).suffix)
        return self._build(entries, name, hashlib.sha256(data).hexdigest(), str(path), started)

    def import_entries(self, entries: Sequence[CatalogEntry], name: str) -> ImportResult:
        """Index in-memory entries as `name`; the content hash covers every field of every entry."""
        check_catalog_name(name)
        started = time.perf_counter()
        digest = hashlib.sha256()
        for e in entries:
            digest.update(json.dumps(asdict(e), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        return self._build(list(entries), name, digest.hexdigest(), "<entries>", started)

    def open(self, name: str, options: SearchOptions = SearchOptions()) -> CatalogIndex:
        path = self.index_path(name)
        if not path.is_file():
            existing = ", ".join(repr(n) for n in self.names()) or "none"
            raise CatalogNotFound(
                f"catalog {name!r} does not exist in {str(self.catalogs_dir)!r} (catalogs there: {existing}); "
                f"import it with: voxsearch catalog import FILE --name {name}"
            )
        return CatalogIndex(path, options)

    def names(self) -> list[str]:
        if not self.catalogs_dir.is_dir():
            return []
        return sorted(
            p.name[: -len(INDEX_SUFFIX)]
            for p in self.catalogs_dir.glob(f"*{INDEX_SUFFIX}")
            if CATALOG_NAME.match(p.name[: -len(INDEX_SUFFIX)])
        )

    def exists(self, name: str) -> bool:
        return self.index_path(name).is_file()

    def info(self, name: str) -> CatalogInfo:
        """The summary of catalog `name`, read from the index itself (the JSON file is for people and tools)."""
        with self.open(name) as index:
            return CatalogInfo(
                name=index.name,
                entries=index.size,
                content_hash=index.content_hash,
                created_at=index.created_at,
                format_version=INDEX_FORMAT_VERSION,
                source=str(self._read_meta(name).get("source", "")),
            )

    def _build(self, entries: list[CatalogEntry], name: str, content_hash: str, source: str, started: float):
        path = self.index_path(name)
        count = build_index_file(entries, path, name, content_hash)
        info = CatalogInfo(name, count, content_hash, time.time(), INDEX_FORMAT_VERSION, source)
        write_text_atomic(self.catalogs_dir / f"{name}{META_SUFFIX}", json.dumps(asdict(info), indent=2) + "\n")
        elapsed_s = time.perf_counter() - started
        logger.info("imported catalog %r: %d entries in %.2f s", name, count, elapsed_s)
        return ImportResult(name=name, entries=count, path=path, content_hash=content_hash, elapsed_s=elapsed_s)

    def _read_meta(self, name: str) -> dict:
        try:
            return json.loads((self.catalogs_dir / f"{name}{META_SUFFIX}").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
