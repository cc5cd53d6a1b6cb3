"""Direct decoding, no server: the Pipeline through the eval library's runner, and the raw-engine reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.clips import CLIP_LIMITS, BenchClip
from voxsearch.asr import Engine
from voxsearch.config import EngineSettings, Settings
from voxsearch.eval.runner import Outcome, run_model
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogIndex, plain_bm25_search

Advance = Callable[[], None]


def bench_settings(engine: str, home: Path) -> Settings:
    """The bench's settings: `home`, the engine `engine` with 1 thread, everything else default."""
    return Settings(home=home, engine=EngineSettings(name=engine, threads=1))


def load_pipeline(engine: str, home: Path) -> tuple[Pipeline, float]:
    """A pipeline with a 1-thread engine, and its load time in seconds."""
    started = time.perf_counter()
    pipeline = Pipeline.from_settings(bench_settings(engine, home))
    return pipeline, time.perf_counter() - started


def run_pipeline(
    pipeline: Pipeline, clips: list[BenchClip], index: CatalogIndex, top_k: int, advance: Advance
) -> list[Outcome]:
    """Every clip through the pipeline (after one untimed warm-up), its transcript searched in `index`."""
    return run_model(pipeline, [c.item for c in clips], index, CLIP_LIMITS, top_k, advance)


def run_raw_reference(
    engine: Engine, clips: list[BenchClip], index: CatalogIndex, top_k: int, advance: Advance
) -> list[Outcome]:
    """The baseline to beat: the engine on the whole clip (no VAD), its text searched with plain BM25."""
    engine.transcribe(clips[0].audio_16k)  # warm-up, not measured
    runs = []
    for clip in clips:
        started = time.perf_counter()
        text = engine.transcribe(clip.audio_16k).text
        asr_ms = (time.perf_counter() - started) * 1000.0
        hits = plain_bm25_search(index, text, top_k) if text.strip() else []
        runs.append(
            Outcome(
                hypothesis=text,
                result_ids=tuple(hit.id for hit in hits),
                asr_ms=asr_ms,
                total_ms=(time.perf_counter() - started) * 1000.0,
                audio_s=clip.audio_16k.duration_s,
            )
        )
        advance()
    return runs
