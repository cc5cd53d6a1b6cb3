"""Adapting Whisper to a catalog: prompt words and catalog rescoring, tuned on a dev set.

Whisper's weights are not trained here. Two things are tuned on the dev clips:
- `hotwords`: the catalog's most popular names in the decoder prompt (on or off; the prompt is short,
  so on a large catalog it covers few names);
- catalog rescoring (voxsearch.catalog_rescoring): `bonus` and `token_bonus`.
Every dev clip is decoded and its candidates scored once per prompt setting; every (bonus,
token_bonus) pair is then scored without decoding again. As for pocketsphinx, trials whose
out-of-domain WER (all, and clean only) exceeds the unadapted model's by more than
`max_out_wer_increase` are not eligible; the best eligible trial has the lowest dev WER.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from voxsearch.catalog_rescoring import CatalogRescoring, ScoredCandidate, pick, score_candidates
from voxsearch.config import Settings
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.runner import load_clip
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogIndex, SearchOptions
from voxsearch.search.title_parts import TitleParts
from voxsearch.train.dev_workers import decode_in_workers
from voxsearch.train.tuning import DevScores, TuningResult, keeps_out_of_domain, score_choice
from voxsearch.types import CatalogEntry, Transcript

__all__ = ["WhisperTrial", "WhisperTuningOptions", "hotwords_for", "tune_whisper"]

log = logging.getLogger(__name__)

HOTWORDS_MAX_CHARS = 300  # about 70 tokens: a fraction of the 223-token prompt, so decoding stays fast


@dataclass(frozen=True)
class WhisperTuningOptions:
    bonus_grid: tuple[float, ...] = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 25.0)
    token_bonus_grid: tuple[float, ...] = (0.0, 0.25, 0.5)
    hotwords_grid: tuple[bool, ...] = (False, True)
    max_out_wer_increase: float = 0.02
    base: CatalogRescoring = CatalogRescoring()


@dataclass(frozen=True)
class WhisperTrial(DevScores):
    hotwords: bool
    bonus: float
    token_bonus: float


@dataclass(frozen=True)
class _Decoded:
    item: EvalItem
    transcript: Transcript
    found: tuple[str, ...]
    scored: list[ScoredCandidate]


def hotwords_for(entries: Sequence[CatalogEntry], max_chars: int = HOTWORDS_MAX_CHARS) -> str:
    """The most popular entries' names, comma-separated, as many as fit in `max_chars`."""
    names: list[str] = []
    length = 0
    title_parts = TitleParts(entries)
    for entry in sorted(entries, key=lambda e: -e.popularity):
        name = title_parts.name(entry)
        if not name or name in names:
            continue
        if length + len(name) + 2 > max_chars:
            break
        names.append(name)
        length += len(name) + 2
    return ", ".join(names)


def tune_whisper(items: Sequence[EvalItem], index: CatalogIndex, settings: Settings, hotwords: str,
                 options: WhisperTuningOptions = WhisperTuningOptions(),
                 advance: Callable[[], None] | None = None, jobs: int = 1) -> TuningResult[WhisperTrial]:
    trials: list[WhisperTrial] = []
    unadapted: WhisperTrial | None = None
    unadapted_clips: list[_Decoded] = []
    for use_hotwords in options.hotwords_grid:
        clips = _decode(items, index, settings, hotwords if use_hotwords else None, options.base, advance, jobs)
        found = [c.found for c in clips]
        if unadapted is None and not use_hotwords:
            unadapted_clips = clips
            s = score_choice(clips, [c.transcript.text for c in clips], None, found)
            unadapted = WhisperTrial(**s, eligible=True, hotwords=False, bonus=float("nan"), token_bonus=0.0)
        for bonus in options.bonus_grid:
            for token_bonus in options.token_bonus_grid:
                rescoring = replace(options.base, bonus=bonus, token_bonus=token_bonus)
                texts = [pick(c.transcript, c.scored, rescoring).text for c in clips]
                trials.append(WhisperTrial(**score_choice(clips, texts, None, found), eligible=True,
                                           hotwords=use_hotwords, bonus=bonus, token_bonus=token_bonus))
    if unadapted is None:
        raise ValueError("hotwords_grid must include False: the unadapted model is the out-of-domain reference")
    limit = options.max_out_wer_increase
    trials = [replace(t, eligible=keeps_out_of_domain(t.wer_out, t.wer_out_clean, unadapted, limit)) for t in trials]
    for t in trials:
        log.info("trial hotwords=%s bonus=%s token_bonus=%s: dev WER %.3f (in %.3f, out %.3f, clean out %.3f), "
                 "top-1 %.3f%s", t.hotwords, t.bonus, t.token_bonus, t.wer, t.wer_in, t.wer_out, t.wer_out_clean,
                 t.top1, "" if t.eligible else " (out-of-domain worse: not eligible)")
    eligible = [t for t in trials if t.eligible]
    if not eligible:  # every catalog setting hurts out-of-domain speech: keep Whisper as it is
        log.warning("no catalog biasing keeps out-of-domain WER within %.0f points on this dev set: the version "
                    "is unadapted Whisper", 100 * limit)
    best = min(eligible, key=lambda t: (t.wer, -t.top1, t.hotwords, t.bonus, t.token_bonus), default=unadapted)
    return TuningResult(best, unadapted, tuple(trials), len(items), tuple(unadapted_clips))


def _decode(items: Sequence[EvalItem], index: CatalogIndex, settings: Settings, hotwords: str | None,
            base: CatalogRescoring, advance: Callable[[], None] | None, jobs: int) -> list[_Decoded]:
    """Each clip through the serving pipeline (VAD trim, n-best search), then its candidates scored."""
    build = partial(_dev_decoder, settings, hotwords, index.path, index.options, base)
    return decode_in_workers(build, _decode_clip, items, jobs, advance)


def _dev_decoder(settings: Settings, hotwords: str | None, index_path: Path, search: SearchOptions,
                 base: CatalogRescoring) -> tuple[Pipeline, CatalogIndex, Settings, CatalogRescoring]:
    from voxsearch.asr.whisper_engine import WhisperEngine

    engine = WhisperEngine(settings.engine.model_copy(update={"name": "whisper"}), hotwords=hotwords)
    return Pipeline.with_engine(engine, settings), CatalogIndex(index_path, search), settings, base


def _decode_clip(decoder: tuple[Pipeline, CatalogIndex, Settings, CatalogRescoring], item: EvalItem) -> _Decoded:
    pipeline, index, settings, base = decoder
    result = pipeline.recognize_audio(load_clip(item, settings.limits), index, top_k=max(base.hits, 5))
    scored = score_candidates(pipeline.engine, result.transcript, result.results, base)
    return _Decoded(item, result.transcript, tuple(h.id for h in result.results), scored)
