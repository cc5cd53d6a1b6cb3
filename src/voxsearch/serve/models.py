"""Which model serves which catalog: the version promoted for it in the registry, else the base engine.

A newly promoted version is loaded beside the one serving and swapped in only once it has loaded; requests
already running finish on the old pool, which closes after them, so a swap drops no request. A version whose
files fail to load is refused (logged, counted) and the old model keeps serving; it is not retried until the
promotion changes again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

from voxsearch.config import Settings
from voxsearch.asr import Engine
from voxsearch.errors import EngineUnavailable, ModelError, VoxsearchError
from voxsearch.pipeline import Pipeline
from voxsearch.serve.metrics import ServerMetrics
from voxsearch.serve.pool import PipelinePool
from voxsearch.train.registry import ModelRegistry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServedModel:
    version: str | None  # None: the unadapted engine
    pool: PipelinePool


class ModelPools:
    def __init__(self, settings: Settings, metrics: ServerMetrics) -> None:
        self.settings = settings.as_served()
        self.metrics = metrics
        self.registry = ModelRegistry(settings.home)
        self.base: PipelinePool | None = None
        self.load_error: str | None = None
        self._served: dict[str, ServedModel] = {}
        self._refused: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def load_base(self) -> None:
        try:
            self.base = await asyncio.to_thread(self._build_pool, None)
        except VoxsearchError as exc:
            self.load_error = exc.message
            log.error("model failed to load: %s", exc.message)
            return
        log.info("base model: %s %s", self.base.info.engine, self.base.info.version)

    def in_flight(self) -> int:
        pools = {id(m.pool): m.pool for m in self._served.values()}
        if self.base is not None:
            pools[id(self.base)] = self.base
        return sum(p.in_flight for p in pools.values())

    def served(self) -> dict[str, str | None]:
        """Catalog → model version serving it (None: the base engine)."""
        return {catalog: model.version for catalog, model in sorted(self._served.items())}

    async def pool_for(self, catalog: str) -> PipelinePool:
        model = self._served.get(catalog)
        if model is None:
            async with self._lock:
                if catalog not in self._served:
                    await self._sync(catalog)
            model = self._served[catalog]
        return model.pool

    async def refresh(self) -> dict[str, str | None]:
        """Follow the registry's promotions for every catalog served so far."""
        async with self._lock:
            for catalog in list(self._served):
                await self._sync(catalog)
        return self.served()

    async def close(self) -> None:
        pools = {id(m.pool): m.pool for m in self._served.values()}
        if self.base is not None:
            pools[id(self.base)] = self.base
        for pool in pools.values():
            await asyncio.to_thread(pool.close)

    async def _sync(self, catalog: str) -> None:
        base = self._require_base()
        current = self._served.get(catalog)
        try:
            wanted = self.registry.promoted(catalog)
        except VoxsearchError as exc:
            log.error("cannot read the promotion of catalog %r: %s", catalog, exc.message)
            wanted = current.version if current else None
        if current is not None and current.version == wanted:
            return
        if wanted is None:
            self._swap(catalog, ServedModel(None, base))
            return
        if self._refused.get(catalog) == wanted:
            if current is None:
                self._served[catalog] = ServedModel(None, base)
            return
        try:
            pool = await asyncio.to_thread(self._build_pool, wanted)
        except VoxsearchError as exc:
            self._refused[catalog] = wanted
            self.metrics.model_load_failures.inc()
            keeping = current.version if current else None
            log.error("refused model %s for catalog %r (%s); keeping %s", wanted, catalog, exc.message,
                      keeping or "the base engine")
            if current is None:
                self._served[catalog] = ServedModel(None, base)
            return
        self._refused.pop(catalog, None)
        self._swap(catalog, ServedModel(wanted, pool))
        log.info("catalog %r now served by model %s", catalog, wanted)

    def _swap(self, catalog: str, model: ServedModel) -> None:
        old = self._served.get(catalog)
        self._served[catalog] = model
        if old is not None and old.pool is not self.base and old.pool is not model.pool:
            # Let the requests already on the old pool finish, then free its engines.
            threading.Thread(target=old.pool.close, kwargs={"cancel_pending": False}, daemon=True).start()

    def _build_pool(self, version: str | None) -> PipelinePool:
        settings = self.settings
        pipelines = []
        for _ in range(settings.server.workers):
            if version is None:
                pipelines.append(Pipeline.from_settings(settings))
            else:
                engine = self._load_engine(version)
                pipelines.append(Pipeline.with_engine(engine, settings))
        return PipelinePool(pipelines, settings.server.queue_size, settings.server.retry_after_s)

    def _load_engine(self, version: str) -> Engine:
        try:
            return self.registry.load_engine(version, self.settings)
        except VoxsearchError:
            raise
        except Exception as exc:  # an engine library's own loader failing: refuse the version, keep serving
            raise ModelError(f"model version {version} failed to load ({type(exc).__name__}: {exc})") from exc

    def _require_base(self) -> PipelinePool:
        if self.base is None:
            why = self.load_error or "the model is still loading"
            raise EngineUnavailable(f"recognition is not available: {why}; check GET /readyz")
        return self.base
