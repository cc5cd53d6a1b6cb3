"""What the server holds while it runs: settings, the pipeline pool, catalogs, metrics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from voxsearch.config import Settings
from voxsearch.errors import CatalogNotFound, EngineUnavailable
from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.serve.metrics import ServerMetrics
from voxsearch.serve.pool import PipelinePool


@dataclass
class ServerState:
    settings: Settings
    metrics: ServerMetrics = field(default_factory=ServerMetrics)
    pool: PipelinePool | None = None
    load_error: str | None = None
    _indexes: dict[str, CatalogIndex] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def store(self) -> CatalogStore:
        return CatalogStore(self.settings.home)

    def require_pool(self) -> PipelinePool:
        if self.pool is None:
            why = self.load_error or "the model is still loading"
            raise EngineUnavailable(f"recognition is not available: {why}; check GET /readyz")
        return self.pool

    def catalog(self, name: str | None) -> CatalogIndex:
        """The named catalog's index (the default when None), opened once and kept."""
        name = name or self.settings.catalog
        with self._lock:
            index = self._indexes.get(name)
            if index is None:
                index = self.store.open(name)
                self._indexes[name] = index
            return index

    def default_catalog_or_none(self) -> CatalogIndex | None:
        try:
            return self.catalog(None)
        except CatalogNotFound:
            return None
