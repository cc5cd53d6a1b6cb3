"""Decoding the dev clips in worker processes, one engine per worker, results in the clips' order.

Tuning decodes every dev clip with a real engine, by far the longest part of `voxsearch train`; the clips
are independent and pocketsphinx holds the GIL while it decodes, so they are spread over processes. The
workers are spawned, not forked: the training process may already run Whisper's (CTranslate2) threads,
which a fork would copy in whatever state they are. Each worker pays its imports and builds its engine once
(1-3 s), so small dev sets and jobs=1 decode here instead. Decoding does not depend on the order: both
engines start every clip afresh (pocketsphinx re-initializes its feature normalization per utterance).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

__all__ = ["decode_in_workers", "default_train_jobs"]

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
MIN_CLIPS_PER_WORKER = 4  # below this a worker's start-up costs more than its share of the decoding

_STATE: Any = None  # this worker's engine (and what goes with it), built once by `_start`


def default_train_jobs() -> int:
    """Every core this process may use: decoding is single-threaded per engine."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def decode_in_workers(build: Callable[[], Any], decode: Callable[[Any, T], R], items: Sequence[T], jobs: int,
                      advance: Callable[[], None] | None = None) -> list[R]:
    """`[decode(state, item) for item in items]` with `state = build()` once per worker process.

    `build` and `decode` must pickle (module-level functions, or partials of them with picklable arguments)."""
    jobs = max(1, min(jobs, len(items) // MIN_CLIPS_PER_WORKER))
    results: list[R] = []
    if jobs > 1:
        try:
            return _in_processes(build, decode, items, jobs, advance, results)
        except BrokenProcessPool as exc:
            if results:  # a worker died mid-way: not a start-up problem
                raise
            # e.g. a script without a main guard, which each spawned worker runs again
            log.warning("the decoding workers could not start (%s); decoding in this process instead. From a "
                        "script, call training under `if __name__ == \"__main__\":`, or pass jobs=1", exc)
    state = build()
    for item in items:
        results.append(decode(state, item))
        if advance:
            advance()
    return results


def _in_processes(build: Callable[[], Any], decode: Callable[[Any, T], R], items: Sequence[T], jobs: int,
                  advance: Callable[[], None] | None, results: list[R]) -> list[R]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start, initargs=(build,)) as pool:
        try:
            for result in pool.map(partial(_decode, decode), items, chunksize=1):
                results.append(result)
                if advance:
                    advance()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


def _start(build: Callable[[], Any]) -> None:
    global _STATE
    _STATE = build()


def _decode(decode: Callable[[Any, T], R], item: T) -> R:
    return decode(_STATE, item)
