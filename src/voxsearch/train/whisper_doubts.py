"""Whisper's doubt of each dev clip's catalog hypothesis, from which `voxsearch train` tunes the hybrid's
veto (asr/hybrid_engine.whisper_doubt): every clip encoded once, through the serving front end, in worker
processes; its catalog hypotheses (one per pocketsphinx variant) scored against Whisper's own text."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from voxsearch.asr.hybrid_engine import whisper_doubt
from voxsearch.audio import create_vad, prepare_for_asr
from voxsearch.config import Settings
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.runner import load_clip
from voxsearch.train.dev_workers import decode_in_workers
from voxsearch.train.tuning import serving_front_end

__all__ = ["whisper_doubts"]


def whisper_doubts(items: Sequence[EvalItem], general_texts: Sequence[str], catalog_texts: Mapping[Any, Sequence[str]],
                   settings: Settings, jobs: int = 1, advance: Callable[[], None] | None = None
                   ) -> dict[Any, list[float]]:
    """For each variant (key of `catalog_texts`), the doubt of every clip's catalog text, in the items' order."""
    keys = list(catalog_texts)
    work = [(item, general, tuple(catalog_texts[k][i] for k in keys))
            for i, (item, general) in enumerate(zip(items, general_texts, strict=True))]
    rows = decode_in_workers(partial(_scorer, settings), _doubts, work, jobs, advance)
    return {k: [row[j] for row in rows] for j, k in enumerate(keys)}


def _scorer(settings: Settings) -> tuple[Any, Any, Settings]:
    from voxsearch.asr.whisper_engine import WhisperEngine

    return WhisperEngine(settings.engine.model_copy(update={"name": "whisper"})), create_vad(settings.vad), settings


def _doubts(scorer: tuple[Any, Any, Settings], work: tuple[EvalItem, str, tuple[str, ...]]) -> list[float]:
    engine, vad, settings = scorer
    item, general, catalog = work
    if not general.strip() or not any(text.strip() for text in catalog):
        return [0.0] * len(catalog)
    engine.encode(serving_front_end(prepare_for_asr(load_clip(item, settings.limits)), vad, settings))
    return [whisper_doubt(engine, general, text) for text in catalog]
