"""Tuning a catalog-aware pocketsphinx model on a dev set: a plain grid over catalog_bias (and lw).

Each dev clip goes through the same VAD trim as in serving, then is decoded once per lw value with
both searches (`PocketsphinxEngine.decode_both`); every bias is then scored without decoding again:
the catalog hypothesis wins when its score + bias beats the generic one. A trial's objective is the
dev WER over all clips; trials whose out-of-domain WER exceeds the generic model's by more than
`max_out_wer_increase` are not eligible (the catalog LM must not hurt other queries), and the same
holds for the clean out-of-domain clips alone (tag noise=clean), where the generic model works well
and a regression is not hidden by noise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any, Generic, TypeVar

from voxsearch.asr.pocketsphinx_engine import (
    PocketsphinxEngine,
    PocketsphinxOptions,
    SearchResult,
)
from voxsearch.audio import create_vad, load_audio, prepare_for_asr, trim_silence
from voxsearch.audio.denoise import denoise
from voxsearch.config import Settings
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.metrics import hit_rate, score_wer
from voxsearch.search import CatalogIndex
from voxsearch.train.dev_workers import decode_in_workers

__all__ = ["DecodedClip", "DevScores", "Trial", "TuningOptions", "TuningResult", "catalog_wins", "decode_dev",
           "keeps_out_of_domain", "score_choice", "tune_pocketsphinx"]

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TuningOptions:
    bias_grid: tuple[float, ...] = (-0.2, -0.1, -0.05, -0.03, -0.02, -0.01, 0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.13, 0.16,
                                    0.2, 0.3)
    posterior_weight_grid: tuple[float, ...] = (0.0, 0.03, 0.1, 0.3, 1.0)
    lw_grid: tuple[float | None, ...] = (None,)  # None: pocketsphinx's default (6.5)
    # hybrid: the catalog match score from which a hypothesis replaces the routed one (above 1: never), for
    # each direction (asr/hybrid_engine.MatchThresholds)
    match_threshold_grid: tuple[float, ...] = (0.8, 0.85, 0.9, 0.95, 0.97, 1.01)
    max_out_wer_increase: float = 0.02


@dataclass(frozen=True)
class DecodedClip:
    item: EvalItem
    generic: SearchResult
    catalog: SearchResult


@dataclass(frozen=True)
class DevScores:
    """One setting's scores on the dev split (every engine's trials carry them)."""

    wer: float
    wer_in: float
    wer_out: float
    wer_out_clean: float
    top1: float
    eligible: bool  # out-of-domain WER, all and clean, within the allowed increase over the unadapted engine's


def keeps_out_of_domain(wer_out: float, wer_out_clean: float, unadapted: DevScores, max_increase: float) -> bool:
    """The tuning rule: a setting may not make out-of-domain speech (all of it, and the clean part) worse than
    the unadapted engine by more than `max_increase` WER."""
    return wer_out <= unadapted.wer_out + max_increase and wer_out_clean <= unadapted.wer_out_clean + max_increase


@dataclass(frozen=True)
class Trial(DevScores):
    catalog_bias: float
    posterior_weight: float
    lw: float | None


@dataclass(frozen=True)
class TuningResult(Generic[T]):
    """A grid search's outcome; T is the engine's trial (its parameters and the dev scores they gave)."""

    best: T
    unadapted: T  # the engine without its catalog (pocketsphinx: the generic search alone, at the default lw)
    trials: tuple[T, ...]
    clips: int
    decoded: tuple[Any, ...] = field(default=(), repr=False, compare=False)  # per dev clip, for the hybrid's tuning

    def to_dict(self) -> dict:
        return {"best": asdict(self.best), "unadapted": asdict(self.unadapted), "clips": self.clips,
                "trials": [asdict(t) for t in self.trials]}


def decode_dev(options: PocketsphinxOptions, items: Sequence[EvalItem], settings: Settings,
               advance: Callable[[], None] | None = None, jobs: int = 1) -> list[DecodedClip]:
    """Every dev clip, VAD-trimmed as in serving, decoded with both searches (in `jobs` processes)."""
    return decode_in_workers(partial(_dev_decoder, options, settings), _decode_clip, items, jobs, advance)


def _dev_decoder(options: PocketsphinxOptions, settings: Settings) -> tuple[PocketsphinxEngine, Any, Settings]:
    return PocketsphinxEngine(options), create_vad(settings.vad), settings


def _decode_clip(decoder: tuple[PocketsphinxEngine, Any, Settings], item: EvalItem) -> DecodedClip:
    engine, vad, settings = decoder
    audio = prepare_for_asr(load_audio(item.path, settings.limits))
    if settings.denoise.enabled:  # the serving pipeline's front end, in its order
        audio, _ = denoise(audio, settings.denoise)
    if vad is not None:
        segments = vad.speech_segments(audio)
        audio = trim_silence(audio, segments, settings.vad.pad_ms) if segments else audio
    generic, catalog = engine.decode_both(audio)
    assert catalog is not None, "decode_dev needs an engine with a catalog LM"
    return DecodedClip(item, generic, catalog)


def score_choice(clips: Sequence[Any], texts: Sequence[str], index: CatalogIndex | None,
                 found: Sequence[Sequence[str]] | None = None) -> dict[str, float]:
    """WER over all / in-domain / out-of-domain clips and top-1 hit rate of the in-domain ones.

    `clips` have an `.item` (EvalItem); the top-1 comes from `found` (result ids per clip) or, without it,
    from searching `index` with each text.
    """
    def wer(keep: Callable[[EvalItem], bool]) -> float:
        pairs = [(c.item.reference, t) for c, t in zip(clips, texts, strict=True) if keep(c.item)]
        return score_wer([r for r, _ in pairs], [h for _, h in pairs]).wer if pairs else 0.0

    if found is None:
        assert index is not None, "score_choice needs an index or the result ids"
        found = [[h.id for h in index.search(t, top_k=1)] if t.strip() else [] for t in texts]
    searched = [(c.item.expected, list(ids)) for c, ids in zip(clips, found, strict=True) if c.item.in_domain]
    top1 = hit_rate([e for e, _ in searched], [r for _, r in searched], k=1).rate if searched else 0.0
    return {"wer": wer(lambda i: True), "wer_in": wer(lambda i: i.in_domain),
            "wer_out": wer(lambda i: not i.in_domain),
            "wer_out_clean": wer(lambda i: not i.in_domain and i.tags.get("noise") == "clean"), "top1": top1}


def catalog_wins(clip: DecodedClip, bias: float, posterior_weight: float) -> bool:
    """The engine's comparison (PocketsphinxEngine._best) for one clip, given the two parameters."""
    def merit(r: SearchResult) -> float:
        return r.score_ln + posterior_weight * r.log_posterior if posterior_weight else r.score_ln

    return merit(clip.catalog) + bias > merit(clip.generic)


def choose(clips: Sequence[DecodedClip], bias: float, posterior_weight: float) -> list[str]:
    """The engine's transcript for every clip, given the two parameters."""
    return [c.catalog.text if catalog_wins(c, bias, posterior_weight) else c.generic.text for c in clips]


def tune_pocketsphinx(base: PocketsphinxOptions, items: Sequence[EvalItem], index: CatalogIndex, settings: Settings,
                      options: TuningOptions = TuningOptions(), advance: Callable[[], None] | None = None,
                      jobs: int = 1) -> TuningResult[Trial]:
    trials: list[Trial] = []
    unadapted: Trial | None = None
    decoded: dict[float | None, list[DecodedClip]] = {}
    for lw in options.lw_grid:
        clips = decoded[lw] = decode_dev(replace(base, lw=lw), items, settings, advance, jobs)
        if unadapted is None:
            s = score_choice(clips, [c.generic.text for c in clips], index)
            unadapted = Trial(**s, eligible=True, catalog_bias=float("nan"), posterior_weight=0.0, lw=lw)
        for weight in options.posterior_weight_grid:
            for bias in options.bias_grid:
                s = score_choice(clips, choose(clips, bias, weight), index)
                eligible = keeps_out_of_domain(s["wer_out"], s["wer_out_clean"], unadapted, options.max_out_wer_increase)
                trials.append(Trial(**s, eligible=eligible, catalog_bias=bias, posterior_weight=weight, lw=lw))
                log.info("trial bias=%s posterior_weight=%s lw=%s: dev WER %.3f (in %.3f, out %.3f, clean out %.3f), "
                         "top-1 %.3f%s", bias, weight, lw, s["wer"], s["wer_in"], s["wer_out"], s["wer_out_clean"], s["top1"],
                         "" if eligible else " (out-of-domain worse: not eligible)")
    assert unadapted is not None
    pool = [t for t in trials if t.eligible] or trials
    best = min(pool, key=lambda t: (t.wer, -t.top1, abs(t.catalog_bias), t.posterior_weight))
    return TuningResult(best, unadapted, tuple(trials), len(items), tuple(decoded[best.lw]))
