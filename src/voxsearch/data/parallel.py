"""Run one function over many items in worker processes, results in input order, with a progress callback.

Each worker builds its own VAD once (Silero's onnxruntime session is per process). With jobs=1 everything
runs in this process, which tests and small datasets prefer.

On Linux the workers are forked from this process, so what it has imported is theirs at no cost (a fresh
interpreter per worker, or a forkserver, pays ~0.3 s of imports before the first clip). Call it from a
process without other threads running: the CLI's progress bar refreshes from the main thread for that.
Elsewhere a forkserver preloads the modules once.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from voxsearch.audio.vad import SileroVad, Vad, WebrtcVad

T = TypeVar("T")
R = TypeVar("R")
ProgressCallback = Callable[[int, int], None]

_VADS: dict[str, Vad] = {}
_PRELOAD = ["voxsearch.data.standardize", "voxsearch.data.check", "soxr", "soundfile", "_webrtcvad"]


def worker_vad(name: str) -> Vad:
    """This process's VAD of the given backend, built on first use."""
    if name not in _VADS:
        _VADS[name] = SileroVad() if name == "silero" else WebrtcVad()
    return _VADS[name]


def default_jobs() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def map_in_processes(
    function: Callable[[T], R], items: Sequence[T], jobs: int, progress: ProgressCallback | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """`[function(item) for item in items]`, spread over `jobs` processes; the order of `items` is kept.
    `meanwhile` runs in this process once the work is handed out (in sequence when there are no workers)."""
    results: list[R] = []
    if jobs <= 1 or len(items) <= 1:
        if meanwhile:
            meanwhile()
        for done, item in enumerate(items, 1):
            results.append(function(item))
            if progress:
                progress(done, len(items))
        return results
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(_PRELOAD)  # imported once, then every worker forks from it
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        mapped = pool.map(function, items, chunksize=1)  # submits every item now
        if meanwhile:
            meanwhile()
        for done, result in enumerate(mapped, 1):
            results.append(result)
            if progress:
                progress(done, len(items))
    finally:
        # joined, so no thread of the pool is left running at the next fork; after a failure the items
        # not started are cancelled instead of waited for
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"
