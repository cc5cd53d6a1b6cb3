"""Requests to POST /v1/recognize at a fixed concurrency: each clip once, timed on the client."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from bench.clips import BenchClip


@dataclass(frozen=True)
class ServedClip:
    latency_ms: float
    transcript: str
    result_ids: tuple[str, ...]


@dataclass(frozen=True)
class LoadRun:
    concurrency: int
    clips: list[ServedClip]  # in the order of the input clips
    wall_s: float

    @property
    def throughput_rps(self) -> float:
        return len(self.clips) / self.wall_s if self.wall_s else float("inf")


def run_load(
    url: str, clips: list[BenchClip], concurrency: int, top_k: int, timeout_s: float, advance: Callable[[], None]
) -> LoadRun:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(base_url=url, timeout=timeout_s, limits=limits) as client:
        _post(client, clips[0], top_k)  # warm-up, not measured

        def one(clip: BenchClip) -> ServedClip:
            served = _post(client, clip, top_k)
            advance()
            return served

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="bench-client") as pool:
            served = list(pool.map(one, clips))
        wall_s = time.perf_counter() - started
    return LoadRun(concurrency=concurrency, clips=served, wall_s=wall_s)


def _post(client: httpx.Client, clip: BenchClip, top_k: int) -> ServedClip:
    started = time.perf_counter()
    response = client.post(
        "/v1/recognize", params={"top_k": top_k}, content=clip.data, headers={"Content-Type": clip.content_type}
    )
    latency_ms = (time.perf_counter() - started) * 1000.0
    if response.status_code != 200:
        raise RuntimeError(f"POST /v1/recognize for {clip.path.name} answered {response.status_code}: {response.text}")
    body = response.json()
    return ServedClip(
        latency_ms=latency_ms,
        transcript=body["transcript"],
        result_ids=tuple(hit["id"] for hit in body["results"]),
    )
