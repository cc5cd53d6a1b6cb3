"""A real `voxsearch serve` subprocess on 127.0.0.1 for the bench, with its pid for memory readings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from voxsearch.search.demo import DEMO_CATALOG_NAME
from voxsearch.serve.process import RunningServer, server_process

__all__ = ["RunningServer", "bench_server", "peak_rss_mb"]


@contextmanager
def bench_server(home: Path, engine: str, workers: int, timeout_s: float) -> Iterator[RunningServer]:
    env = {"VOXSEARCH_ENGINE__THREADS": "1", "VOXSEARCH_SERVER__QUEUE_SIZE": str(max(4, workers * 2))}
    with server_process(
        home, engine, catalog=DEMO_CATALOG_NAME, workers=workers, env=env, timeout_s=timeout_s
    ) as server:
        yield server


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM in /proc/PID/status), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line; peak RSS needs Linux procfs")
