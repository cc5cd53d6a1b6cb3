"""The real `voxsearch serve` subprocess on 127.0.0.1, yielding its base URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from voxsearch.serve.process import server_process


@contextmanager
def live_server(home: Path, engine: str, *, workers: int = 1, queue_size: int = 4) -> Iterator[str]:
    with server_process(home, engine, workers=workers, env={"VOXSEARCH_SERVER__QUEUE_SIZE": str(queue_size)}) as srv:
        yield srv.url
