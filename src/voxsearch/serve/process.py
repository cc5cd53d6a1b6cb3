"""Run `voxsearch serve` as a subprocess on 127.0.0.1 and wait until it is ready (tests, benchmarks, demos)."""

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


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int
    ready_s: float  # from process start to /readyz answering 200
    log_path: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server_process(
    home: Path,
    engine: str,
    *,
    catalog: str = "places",
    workers: int = 1,
    env: dict[str, str] | None = None,
    timeout_s: float = 180.0,
) -> Iterator[RunningServer]:
    """Start the server with VOXSEARCH_HOME=home (other VOXSEARCH_ variables only from `env`); stop it on exit."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VOXSEARCH_")}
    full_env.update({"VOXSEARCH_HOME": str(home), **(env or {})})
    log_path = home / f"server-{engine}-{workers}w-{port}.log"
    command = [
        sys.executable, "-m", "voxsearch", "serve", "--catalog", catalog, "--engine", engine,
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT)
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
