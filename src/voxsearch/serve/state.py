"""What the server holds while it runs: settings, the models per catalog, catalogs, metrics."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from voxsearch.config import Settings
from voxsearch.errors import CatalogNotFound, VoxsearchError
from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.serve.metrics import ServerMetrics
from voxsearch.serve.models import ModelPools


@dataclass
class ServerState:
    settings: Settings
    metrics: ServerMetrics
    models: ModelPools
    _indexes: dict[str, CatalogIndex] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings) -> "ServerState":
        metrics = ServerMetrics()
        return cls(settings=settings, metrics=metrics, models=ModelPools(settings, metrics))

    @property
    def store(self) -> CatalogStore:
        return CatalogStore(self.settings.home)

    def catalog(self, name: str | None) -> CatalogIndex:
        """The named catalog's index (the default when None), opened once and kept."""
        name = name or self.settings.catalog
        with self._lock:
            index = self._indexes.get(name)
            if index is None:
                index = self.store.open(name)
                self._indexes[name] = index
            return index

    def reopen_changed_catalogs(self) -> list[str]:
        """Reopen the catalogs that were re-imported since they were opened; returns their names."""
        changed = []
        with self._lock:
            for name, index in list(self._indexes.items()):
                try:
                    fresh = self.store.info(name).content_hash
                except VoxsearchError:
                    continue
                if fresh != index.content_hash:
                    self._indexes[name] = self.store.open(name)
                    changed.append(name)
        return changed

    def default_catalog_or_none(self) -> CatalogIndex | None:
        try:
            return self.catalog(None)
        except CatalogNotFound:
            return None
