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
    """Peak resident memory (VmHWM in /proc/PID/status) of the process and its descendants (the server's
    pocketsphinx decoder processes), summed, in MiB: an upper bound, since the peaks need not coincide."""
    total = _vm_hwm_kb(pid)
    for child in _descendants(pid):
        try:
            total += _vm_hwm_kb(child)
        except OSError:  # it ended while we looked
            continue
    return total / 1024.0


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line; peak RSS needs Linux procfs")


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
