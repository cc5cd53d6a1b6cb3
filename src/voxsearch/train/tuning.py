"""Tuning a catalog-aware pocketsphinx model on a dev set: a plain grid over catalog_bias (and lw, denoising).

Each dev clip goes through the same VAD trim as in serving, then is decoded once per lw value and front
end (with or without the decoder's own denoising, which changes noisy clips only, so only those are
decoded again) with both searches (`PocketsphinxEngine.decode_both`); every bias is then scored without
decoding again:
the catalog hypothesis wins when its score + bias beats the generic one. A trial's objective is the
dev WER over all clips; trials whose out-of-domain WER exceeds the generic model's by more than
`max_out_wer_increase` are not eligible (the catalog LM must not hurt other queries), and the same
holds for the clean out-of-domain clips alone (tag noise=clean), where the generic model works well
and a regression is not hidden by noise.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any, Generic, TypeVar

from voxsearch.asr.pocketsphinx_engine import (
    PocketsphinxEngine,
    PocketsphinxOptions,
    SearchResult,
)
from voxsearch.audio import create_vad, load_audio, prepare_for_asr, trim_to_speech
from voxsearch.audio.denoise import denoise
from voxsearch.config import Settings
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.metrics import score_wer
from voxsearch.search import CatalogIndex
from voxsearch.train.dev_workers import decode_in_workers
from voxsearch.types import Audio

__all__ = ["ChoiceScorer", "DecodedClip", "DevScores", "SearchOnce", "Trial", "TuningOptions", "TuningResult", "catalog_wins",
           "decode_dev", "keeps_out_of_domain", "score_choice", "serving_front_end", "tune_pocketsphinx"]

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
    # hybrid: the largest share of out-of-domain dev clips it may transcribe worse than unadapted Whisper (at
    # 5%, one clip of a synthesized dev set's 20, a demo version still doubled held-out out-of-domain WER)
    max_out_harmed_share: float = 0.0
    denoise_grid: tuple[bool, ...] = (False, True)  # the decoder denoising its input (noisy clips only) or not
    # hybrid: denoising is kept unless skipping it tunes better by more than this dev WER. It only touches noisy
    # clips, where it helped every held-out set measured; on 80 dev clips a smaller gap is noise (a songs version
    # that skipped it for 0.3 points went 57% -> 67% noisy in-domain WER on a held-out set).
    denoise_margin: float = 0.01
    # hybrid: Whisper's veto margins (asr/hybrid_engine; None: no veto). On a held-out set, Whisper's text was
    # the better one for all 3 catalog hypotheses it doubted by more than 5 nats per token, the worse at 4.8.
    veto_grid: tuple[float | None, ...] = (None, 4.0, 5.0, 6.0, 8.0)


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
    denoise: bool = False


@dataclass(frozen=True)
class TuningResult(Generic[T]):
    """A grid search's outcome; T is the engine's trial (its parameters and the dev scores they gave)."""

    best: T
    unadapted: T  # the engine without its catalog (pocketsphinx: the generic search alone, at the default lw)
    trials: tuple[T, ...]
    clips: int
    decoded: tuple[Any, ...] = field(default=(), repr=False, compare=False)  # per dev clip, for the hybrid's tuning
    # pocketsphinx: what was decoded at the best lw without (False) and with (True) denoising
    decoded_by_denoise: dict[bool, tuple[Any, ...]] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {"best": asdict(self.best), "unadapted": asdict(self.unadapted), "clips": self.clips,
                "trials": [asdict(t) for t in self.trials]}


def decode_dev(options: PocketsphinxOptions, items: Sequence[EvalItem], settings: Settings,
               advance: Callable[[], None] | None = None, jobs: int = 1,
               denoised_only: bool = False) -> list[DecodedClip | None]:
    """Every dev clip, VAD-trimmed as in serving, decoded with both searches (in `jobs` processes); with
    `denoised_only`, None for each clip the engine's denoising leaves unchanged (decoding it again would
    give the same result)."""
    decode = partial(_decode_clip, denoised_only=denoised_only)
    return decode_in_workers(partial(_dev_decoder, options, settings), decode, items, jobs, advance)


def _dev_decoder(options: PocketsphinxOptions, settings: Settings) -> tuple[PocketsphinxEngine, Any, Settings]:
    return PocketsphinxEngine(options), create_vad(settings.vad), settings


def _decode_clip(decoder: tuple[PocketsphinxEngine, Any, Settings], item: EvalItem,
                 denoised_only: bool = False) -> DecodedClip | None:
    engine, vad, settings = decoder
    audio = serving_front_end(prepare_for_asr(load_audio(item.path, settings.limits)), vad, settings)
    if denoised_only and not engine.denoises(audio):
        return None
    generic, catalog = engine.decode_both(audio)
    assert catalog is not None, "decode_dev needs an engine with a catalog LM"
    return DecodedClip(item, generic, catalog)


def serving_front_end(audio: Audio, vad: Any, settings: Settings) -> Audio:
    """What the serving pipeline hands its engine, in its order: denoised when enabled, then VAD-trimmed."""
    if settings.denoise.enabled:
        audio, _ = denoise(audio, settings.denoise)
    if vad is not None:
        audio = trim_to_speech(audio, vad, settings.vad.pad_ms, settings.vad.keep_below_snr_db)
    return audio


def score_choice(clips: Sequence[Any], texts: Sequence[str], index: CatalogIndex | None,
                 found: Sequence[Sequence[str]] | None = None) -> dict[str, float]:
    """WER over all / in-domain / out-of-domain clips and top-1 hit rate of the in-domain ones.

    `clips` have an `.item` (EvalItem); the top-1 comes from `found` (result ids per clip) or, without it,
    from searching `index` with each text.
    """
    if found is None:
        assert index is not None, "score_choice needs an index or the result ids"
        found = [[h.id for h in index.search(t, top_k=1)] if t.strip() else [] for t in texts]
    return ChoiceScorer(clips).scores(texts, found)


class ChoiceScorer:
    """`score_choice`'s figures for many choices of text over the same clips, from per-clip error counts (each
    clip and text aligned once): the hybrid's tuning scores tens of thousands of choices."""

    def __init__(self, clips: Sequence[Any]) -> None:
        self.clips = clips
        items = [c.item for c in clips]
        self._masks = {"wer": [True] * len(items), "wer_in": [i.in_domain for i in items],
                       "wer_out": [not i.in_domain for i in items],
                       "wer_out_clean": [not i.in_domain and i.tags.get("noise") == "clean" for i in items]}
        ref_words = [score_wer([i.reference], [i.reference]).ref_words for i in items]
        self._words = {k: sum(w for w, keep in zip(ref_words, mask) if keep) for k, mask in self._masks.items()}
        self._errors: dict[tuple[int, str], int] = {}

    def errors(self, clip: int, text: str) -> int:
        """Word errors of `text` as clip `clip`'s transcript."""
        key = (clip, text)
        if key not in self._errors:
            result = score_wer([self.clips[clip].item.reference], [text])
            self._errors[key] = result.substitutions + result.deletions + result.insertions
        return self._errors[key]

    def scores(self, texts: Sequence[str], found: Sequence[Sequence[str]]) -> dict[str, float]:
        errors = [self.errors(n, text) for n, text in enumerate(texts)]
        scores = {}
        for name, mask in self._masks.items():
            wrong, words = sum(e for e, keep in zip(errors, mask) if keep), self._words[name]
            scores[name] = wrong / words if words else (0.0 if wrong == 0 else math.inf)
        searched = [(c.item.expected, ids) for c, ids in zip(self.clips, found, strict=True) if c.item.in_domain]
        hits = sum(not set(expected).isdisjoint(list(ids)[:1]) for expected, ids in searched)
        scores["top1"] = hits / len(searched) if searched else 0.0
        return scores


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
    """Decodes the dev clips once per lw and front end (`options.denoise_grid`, with `settings.denoise`'s
    parameters) and scores every bias and posterior weight on them; `advance` ticks once per clip decoded."""
    index = SearchOnce(index)  # type: ignore[assignment]  # trials keep choosing the same texts
    trials: list[Trial] = []
    unadapted: Trial | None = None
    decoded: dict[tuple[float | None, bool], list[DecodedClip]] = {}
    denoising = settings.denoise.model_copy(update={"enabled": True})
    for lw in options.lw_grid:
        plain: list[DecodedClip] = []
        for denoise_input in sorted(options.denoise_grid):
            if denoise_input:
                changed = decode_dev(replace(base, lw=lw, denoise=denoising), items, settings, advance, jobs, True)
                clips = [c or p for c, p in zip(changed, plain or decode_dev(replace(base, lw=lw), items, settings,
                                                                                   None, jobs), strict=True)]
            else:
                clips = plain = [c for c in decode_dev(replace(base, lw=lw), items, settings, advance, jobs) if c]
            decoded[(lw, denoise_input)] = clips
            if unadapted is None:
                s = score_choice(clips, [c.generic.text for c in clips], index)
                unadapted = Trial(**s, eligible=True, catalog_bias=float("nan"), posterior_weight=0.0, lw=lw,
                                  denoise=denoise_input)
            trials.extend(_bias_trials(clips, lw, denoise_input, index, unadapted, options))
    assert unadapted is not None
    pool = [t for t in trials if t.eligible] or trials
    best = min(pool, key=lambda t: (t.wer, -t.top1, t.denoise, abs(t.catalog_bias), t.posterior_weight))
    by_denoise = {d: tuple(clips) for (lw, d), clips in decoded.items() if lw == best.lw}
    return TuningResult(best, unadapted, tuple(trials), len(items), by_denoise[best.denoise], by_denoise)


class SearchOnce:
    """A catalog index searched once per distinct query (a 34k-entry catalog takes ~20 ms a search, and the
    grid's trials mostly re-choose the same texts)."""

    def __init__(self, index: CatalogIndex) -> None:
        self._index = index
        self._hits: dict[tuple[str, int], Any] = {}

    def search(self, text: str, top_k: int = 1) -> Any:
        key = (text, top_k)
        if key not in self._hits:
            self._hits[key] = self._index.search(text, top_k=top_k)
        return self._hits[key]


def _bias_trials(clips: list[DecodedClip], lw: float | None, denoise_input: bool, index: CatalogIndex,
                 unadapted: Trial, options: TuningOptions) -> list[Trial]:
    trials = []
    for weight in options.posterior_weight_grid:
        for bias in options.bias_grid:
            s = score_choice(clips, choose(clips, bias, weight), index)
            eligible = keeps_out_of_domain(s["wer_out"], s["wer_out_clean"], unadapted, options.max_out_wer_increase)
            trials.append(Trial(**s, eligible=eligible, catalog_bias=bias, posterior_weight=weight, lw=lw,
                                denoise=denoise_input))
            log.info("trial bias=%s posterior_weight=%s lw=%s denoise=%s: dev WER %.3f (in %.3f, out %.3f, clean out "
                     "%.3f), top-1 %.3f%s", bias, weight, lw, denoise_input, s["wer"], s["wer_in"], s["wer_out"],
                     s["wer_out_clean"], s["top1"], "" if eligible else " (out-of-domain worse: not eligible)")
    return trials
