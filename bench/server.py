"""A real `voxsearch serve` subprocess on 127.0.0.1 for the bench, with its pid for memory readings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from voxsearch.search.demo import DEMO_CATALOG_NAME


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int
    ready_s: float  # from process start to /readyz answering 200
    log_path: Path


@contextmanager
def bench_server(home: Path, engine: str, workers: int, timeout_s: float) -> Iterator[RunningServer]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOXSEARCH_")}
    env.update(
        {
            "VOXSEARCH_HOME": str(home),
            "VOXSEARCH_ENGINE__THREADS": "1",
            "VOXSEARCH_SERVER__QUEUE_SIZE": str(max(4, workers * 2)),
        }
    )
    log_path = home / f"server-{engine}-{workers}w-{port}.log"
    command = [
        sys.executable, "-m", "voxsearch", "serve", "--catalog", DEMO_CATALOG_NAME, "--engine", engine,
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log_path, timeout_s)
        yield RunningServer(url=url, pid=proc.pid, ready_s=time.perf_counter() - started, log_path=log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM in /proc/PID/status), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line; peak RSS needs Linux procfs")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log_path: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout_s} s; its log:\n{log_path.read_text(errors='replace')}")
