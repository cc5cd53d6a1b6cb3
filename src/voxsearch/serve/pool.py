"""A bounded pool of pipelines: `workers` decode in parallel, `queue_size` more may wait, the rest get 503.

Inference is blocking, so it runs in the pool's threads, never on the event loop. Admission is decided on
the event loop (one thread), so a plain counter is enough.
"""

from __future__ import annotations

import asyncio
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from voxsearch.errors import Overloaded
from voxsearch.pipeline import Pipeline

T = TypeVar("T")


class PipelinePool:
    def __init__(self, pipelines: list[Pipeline], queue_size: int, retry_after_s: int = 1) -> None:
        if not pipelines:
            raise ValueError("PipelinePool needs at least one pipeline")
        self.workers = len(pipelines)
        self.capacity = self.workers + queue_size
        self.retry_after_s = retry_after_s
        self.in_flight = 0
        self.pipelines = list(pipelines)
        self._idle: queue.SimpleQueue[Pipeline] = queue.SimpleQueue()
        for pipeline in pipelines:
            self._idle.put(pipeline)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="voxsearch-asr")
        self.info = pipelines[0].engine.info
        self.closed = False

    async def run(self, job: Callable[[Pipeline], T]) -> tuple[T, float]:
        """Run `job` on an idle pipeline; returns its result and the time spent waiting in the queue (ms)."""
        if self.closed:
            raise Overloaded(f"the model is being replaced; retry after {self.retry_after_s} s")
        if self.in_flight >= self.capacity:
            raise Overloaded(
                f"all {self.workers} recognition workers are busy and {self.capacity - self.workers} requests "
                f"are already waiting; retry after {self.retry_after_s} s or add workers (VOXSEARCH_SERVER__WORKERS)"
            )
        self.in_flight += 1
        loop = asyncio.get_running_loop()
        future = self._executor.submit(self._run_on_idle, job, time.perf_counter())
        # Free the slot when the work really ends, even if the client went away before it did.
        future.add_done_callback(lambda _: self._release_from_thread(loop))
        return await asyncio.wrap_future(future, loop=loop)

    def _release_from_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(self._release)

    def _release(self) -> None:
        self.in_flight -= 1

    def _run_on_idle(self, job: Callable[[Pipeline], T], queued_at: float) -> tuple[T, float]:
        queue_ms = (time.perf_counter() - queued_at) * 1000.0
        pipeline = self._idle.get()
        try:
            return job(pipeline), queue_ms
        finally:
            self._idle.put(pipeline)

    def close(self, cancel_pending: bool = True) -> None:
        """Stop taking work; wait for running jobs (and queued ones too unless `cancel_pending`)."""
        self.closed = True
        self._executor.shutdown(wait=True, cancel_futures=cancel_pending)
        for pipeline in self.pipelines:
            pipeline.close()
