"""Direct decoding, no server: the Pipeline on each clip's 16 kHz audio, and the raw-engine reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.clips import BenchClip
from voxsearch.asr import Engine
from voxsearch.config import EngineSettings, Settings
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogIndex, plain_bm25_search

Advance = Callable[[], None]


@dataclass(frozen=True)
class ClipRun:
    """One clip through one system: what it heard, what it found, how long the recognizer took."""

    transcript: str
    result_ids: tuple[str, ...]
    asr_ms: float
    total_ms: float  # VAD + ASR + search (direct pipeline) or ASR + search (reference)
    audio_s: float


def load_pipeline(engine: str, home: Path) -> tuple[Pipeline, float]:
    """A pipeline with a 1-thread engine, and its load time in seconds."""
    started = time.perf_counter()
    pipeline = Pipeline.from_settings(Settings(home=home, engine=EngineSettings(name=engine, threads=1)))
    return pipeline, time.perf_counter() - started


def run_pipeline(
    pipeline: Pipeline, clips: list[BenchClip], index: CatalogIndex, top_k: int, advance: Advance
) -> list[ClipRun]:
    pipeline.recognize_audio(clips[0].audio_16k, index, top_k)  # warm-up, not measured
    runs = []
    for clip in clips:
        result = pipeline.recognize_audio(clip.audio_16k, index, top_k)
        runs.append(
            ClipRun(
                transcript=result.transcript.text,
                result_ids=tuple(hit.id for hit in result.results),
                asr_ms=result.timings_ms["asr"],
                total_ms=result.timings_ms["total"],
                audio_s=result.audio_duration_s,
            )
        )
        advance()
    return runs


def run_raw_reference(
    engine: Engine, clips: list[BenchClip], index: CatalogIndex, top_k: int, advance: Advance
) -> list[ClipRun]:
    """The baseline to beat: the engine on the whole clip (no VAD), its text searched with plain BM25."""
    engine.transcribe(clips[0].audio_16k)  # warm-up, not measured
    runs = []
    for clip in clips:
        started = time.perf_counter()
        text = engine.transcribe(clip.audio_16k).text
        asr_ms = (time.perf_counter() - started) * 1000.0
        hits = plain_bm25_search(index, text, top_k) if text.strip() else []
        runs.append(
            ClipRun(
                transcript=text,
                result_ids=tuple(hit.id for hit in hits),
                asr_ms=asr_ms,
                total_ms=(time.perf_counter() - started) * 1000.0,
                audio_s=clip.audio_16k.duration_s,
            )
        )
        advance()
    return runs
