"""Catalog adaptation per engine: the unadapted engine next to a model version trained for the bench catalog.

`voxsearch train` (`train_model`) builds the version in the bench's temporary home; both models then run
back to back over the same clips through the eval library (`run_model`, `score_subset`), so each adapted
figure carries its ratio to the unadapted one measured in the same run. With both pocketsphinx and Whisper
benched, one `train --engine hybrid` builds the two engines' versions and their hybrid, which is compared
with unadapted Whisper (its fallback, the server's default). An engine that cannot be trained (ModelError)
gets a row that says so, and the bench goes on.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.clips import CLIP_LIMITS, BenchClip
from bench.direct import bench_settings
from bench.progress import Steps
from voxsearch.errors import ModelError, VoxsearchError
from voxsearch.eval import HitRateResult, WerResult
from voxsearch.eval.runner import run_model
from voxsearch.eval.scores import score_subset
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogIndex
from voxsearch.train.model_engine import engine_from_version
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.train import HYBRID, SINGLE_ENGINES, TrainOptions, train_model

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelScores:
    """One model over the bench clips: WER per domain, top-1 in-domain, decode speed."""

    model_version: str
    load_s: float
    wer_in: WerResult | None  # in-domain clips; None when there is none among the clips
    wer_out: WerResult | None  # out-of-domain clips (no catalog answer); None when there is none
    top1_in: HitRateResult | None
    rtf: float  # ASR time / audio duration over every clip, 1 thread, VAD-trimmed


@dataclass(frozen=True)
class TrainRun:
    version: str
    wall_s: float  # train_model, start to stored version
    tuned: bool  # tuned on dev data (user's or synthesized), else documented defaults
    metrics: dict[str, Any] = field(default_factory=dict)  # TrainResult.metrics as train_model gave them


@dataclass(frozen=True)
class AdaptationRatios:
    """adapted / unadapted, same clips, same run (None: a side has no such clips, or a zero denominator)."""

    wer_in: float | None
    wer_out: float | None
    top1_in: float | None
    rtf: float | None


@dataclass(frozen=True)
class AdaptationReport:
    engine: str
    reference: str  # the unadapted engine the adapted model is compared with (the hybrid's: whisper)
    unadapted: ModelScores
    train: TrainRun | None  # None: not trained (see `not_adapted`)
    adapted: ModelScores | None
    not_adapted: str | None  # why there is no adapted row, e.g. "not trainable: <ModelError message>"
    ratios: AdaptationRatios | None


def bench_adaptation(
    engines: list[str], clips: list[BenchClip], index: CatalogIndex, home: Path, top_k: int, steps: Steps
) -> list[AdaptationReport]:
    """Train for the catalog of `index` (imported in `home`), then score each engine unadapted and adapted;
    with both pocketsphinx and whisper among `engines`, the hybrid too (one training for the three)."""
    if not set(SINGLE_ENGINES) <= set(engines):
        return [_report(e, e, *_train(e, index, home, steps), clips, index, home, top_k, steps) for e in engines]
    runs, failure = _train(HYBRID, index, home, steps)
    reports = [_report(e, e, runs, failure, clips, index, home, top_k, steps) for e in engines]
    whisper = next(r for r in reports if r.engine == "whisper")
    return [*reports, _report(HYBRID, "whisper", runs, failure, clips, index, home, top_k, steps, whisper.unadapted)]


def _train(engine: str, index: CatalogIndex, home: Path, steps: Steps) -> tuple[dict[str, TrainRun], str | None]:
    """The versions one `train --engine <engine>` built (by engine), or why there are none."""
    try:
        settings = bench_settings("whisper" if engine == HYBRID else engine, home)  # the engine setting: 1 thread
        # the Whisper the unadapted rows run (the default tiny.en), whatever VOXSEARCH_ENGINE__WHISPER_MODEL says
        settings = settings.with_engine(whisper_model="tiny.en")
        result = train_model(TrainOptions(catalog=index.name, engine=engine), settings, _train_progress(engine, steps))
    except ModelError as e:
        return {}, f"not trainable: {e.message}"
    except VoxsearchError as e:  # a data or catalog problem in training: reported in the row, the bench goes on
        return {}, f"training failed ({type(e).__name__}): {e.message}"
    runs = {result.version.engine: _train_run(result.version.version, result.wall_time_s, result.metrics)}
    registry = ModelRegistry(home)
    for part, row in result.metrics.get("engine_selection", {}).items():
        if part not in runs:
            runs[part] = _train_run(row["version"], row["wall_time_s"], registry.get(row["version"]).metrics)
    for run in runs.values():
        steps.note(f"trained {run.version} in {run.wall_s:.1f} s ({'tuned' if run.tuned else 'untuned'})")
    return runs, None


def _train_run(version: str, wall_s: float, metrics: dict[str, Any]) -> TrainRun:
    return TrainRun(version=version, wall_s=wall_s, tuned=bool(metrics.get("tuned")), metrics=dict(metrics))


def _report(engine: str, reference: str, runs: dict[str, TrainRun], failure: str | None, clips: list[BenchClip],
            index: CatalogIndex, home: Path, top_k: int, steps: Steps, unadapted: ModelScores | None = None
            ) -> AdaptationReport:
    """`engine`'s trained version (from `runs`) against unadapted `reference`, scored here unless given."""
    settings = bench_settings(reference, home)
    train = runs.get(engine)
    not_adapted = (failure or f"no {engine} version was built") if train is None else None
    if not_adapted:
        log.warning("%s: %s", engine, not_adapted)
    if unadapted is None:
        unadapted = _score(lambda: Pipeline.from_settings(settings), clips, index, top_k, steps,
                           f"{reference}: unadapted")
    adapted = None
    if train is not None:
        version = train.version

        def load_adapted() -> Pipeline:
            record = ModelRegistry(home).get(version)
            return Pipeline.with_engine(engine_from_version(record, settings), settings)

        try:
            adapted = _score(load_adapted, clips, index, top_k, steps, f"{engine}: adapted {version}")
        except ModelError as e:
            not_adapted = f"trained, but the version does not load: {e.message}"
            log.warning("%s: %s", engine, not_adapted)
    return AdaptationReport(
        engine=engine, reference=reference, unadapted=unadapted, train=train, adapted=adapted,
        not_adapted=not_adapted, ratios=_ratios(adapted, unadapted) if adapted is not None else None,
    )


def _score(
    load: Callable[[], Pipeline], clips: list[BenchClip], index: CatalogIndex, top_k: int, steps: Steps, label: str
) -> ModelScores:
    """Load a pipeline (timed), run every clip through it with the eval library, score, and free the model."""
    started = time.perf_counter()
    pipeline = load()
    load_s = time.perf_counter() - started
    items = [c.item for c in clips]
    outcomes = run_model(pipeline, items, index, CLIP_LIMITS, top_k, steps.task(label, len(items)))
    version = pipeline.engine.info.version
    del pipeline
    gc.collect()  # one model in memory at a time
    in_domain = [i for i, item in enumerate(items) if item.in_domain]
    out_domain = [i for i, item in enumerate(items) if not item.in_domain]
    scored_in = score_subset(items, outcomes, in_domain) if in_domain else None
    return ModelScores(
        model_version=version,
        load_s=load_s,
        wer_in=scored_in.wer if scored_in else None,
        wer_out=score_subset(items, outcomes, out_domain).wer if out_domain else None,
        top1_in=scored_in.top1 if scored_in else None,
        rtf=score_subset(items, outcomes, range(len(items))).rtf,
    )


def _ratios(adapted: ModelScores, unadapted: ModelScores) -> AdaptationRatios:
    def ratio(a: float | None, u: float | None) -> float | None:
        return a / u if a is not None and u else None

    def wer(result: WerResult | None) -> float | None:
        return result.wer if result is not None else None

    def rate(result: HitRateResult | None) -> float | None:
        return result.rate if result is not None else None

    return AdaptationRatios(
        wer_in=ratio(wer(adapted.wer_in), wer(unadapted.wer_in)),
        wer_out=ratio(wer(adapted.wer_out), wer(unadapted.wer_out)),
        top1_in=ratio(rate(adapted.top1_in), rate(unadapted.top1_in)),
        rtf=ratio(adapted.rtf, unadapted.rtf),
    )


def _train_progress(engine: str, steps: Steps) -> Callable[[str, int | None], Callable[[], None]]:
    """train_model's progress: a bar for a stage with a known number of steps, a log line otherwise."""

    def stage(description: str, total: int | None) -> Callable[[], None]:
        if total is None:
            steps.note(f"{engine} train: {description}")
            return lambda: None
        return steps.task(f"{engine} train: {description}", total)

    return stage
