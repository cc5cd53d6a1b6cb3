"""Run one model's pipeline over the evaluation set: what it heard, what it found, how long it took."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voxsearch.audio import load_audio
from voxsearch.config import AudioLimits
from voxsearch.errors import DatasetError, VoxsearchError
from voxsearch.eval.dataset import EvalItem
from voxsearch.pipeline import Pipeline
from voxsearch.types import Audio

if TYPE_CHECKING:
    from voxsearch.search import CatalogIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One clip through one model's pipeline."""

    hypothesis: str
    result_ids: tuple[str, ...]
    asr_ms: float
    total_ms: float  # resample + VAD + ASR + search (file decoding not included)
    audio_s: float


def load_clip(item: EvalItem, limits: AudioLimits) -> Audio:
    """The clip's audio, decoded with the upload checks; DatasetError naming the manifest line if unreadable."""
    try:
        return load_audio(item.path, limits)
    except VoxsearchError as exc:
        raise DatasetError(f"manifest line {item.line} ({item.audio}): {exc.message}") from exc


def run_model(
    pipeline: Pipeline,
    items: Sequence[EvalItem],
    index: CatalogIndex | None,
    limits: AudioLimits,
    top_k: int = 5,
    advance: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """Recognize every item in order (after one untimed warm-up) and search `index` with the transcript."""
    pipeline.recognize_audio(load_clip(items[0], limits), index, top_k)
    outcomes = []
    for item in items:
        result = pipeline.recognize_audio(load_clip(item, limits), index, top_k)
        outcomes.append(Outcome(
            hypothesis=result.transcript.text,
            result_ids=tuple(hit.id for hit in result.results),
            asr_ms=result.timings_ms["asr"],
            total_ms=result.timings_ms["total"],
            audio_s=result.audio_duration_s,
        ))
        advance()
    log.info("%s: %d clips recognized", pipeline.engine.info.engine, len(outcomes))
    return outcomes
