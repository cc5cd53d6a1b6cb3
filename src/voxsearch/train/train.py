"""`voxsearch train`: adapt an engine to a catalog, tune it on dev data, store it as a model version.

For pocketsphinx: a catalog LM (catalog names in carrier phrases + the manifest's train transcripts +
logged queries) and a dictionary extended by G2P, decoded next to the generic LM (never instead of
it); catalog_bias tuned by a grid. For whisper: prompt words and catalog rescoring, tuned by a grid
(train/whisper_tuning). For hybrid: pocketsphinx's catalog LM routes catalog queries to itself and the
rest to unadapted Whisper, and both texts are verified against the catalog (asr/hybrid_engine); the
routing and the verification threshold are tuned from what both decoded (train/hybrid_tuning), so it is
trained after them. The dev set is the manifest's dev split, or, without
`--data`, one synthesized from the catalog (train/synth_dev). With engine "auto" (the default) all three
are trained on the same dev set and the best is the result: dev top-1, then WER, among those that keep
out-of-domain WER within 2 points of the best unadapted engine's. Whisper and the hybrid are trained once per
Whisper model: tiny.en, or those --whisper-model names (repeatable), and the same rule picks among them.
Every version records its lineage: catalog hash, dataset hash, code version and commit, every trial, the best
parameters.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from voxsearch import __version__
from voxsearch.asr.hybrid_engine import MatchThresholds
from voxsearch.asr.whisper_models import DEFAULT_MODEL
from voxsearch.config import Settings
from voxsearch.errors import DatasetError, ModelError
from voxsearch.eval.dataset import load_eval_set
from voxsearch.search import CatalogStore
from voxsearch.search.index_build import INDEX_FORMAT_VERSION
from voxsearch.search.rank import RANKING_VERSION
from voxsearch.train.catalog_text import spoken_words
from voxsearch.train.dev_workers import default_train_jobs
from voxsearch.train.pocketsphinx_files import (
    DICT_FILE,
    LM_FILE,
    PocketsphinxFilesOptions,
    build_pocketsphinx_files,
)
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.train.runs import _git_commit, record_run
from voxsearch.train.synth_dev import SynthDevOptions, synthesize_dev_set
from voxsearch.train.tuning import TuningOptions, TuningResult, tune_pocketsphinx
from voxsearch.train.whisper_tuning import WhisperTuningOptions, hotwords_for, tune_whisper
from voxsearch.types import CatalogEntry

__all__ = ["DEFAULT_CATALOG_BIAS", "ENGINES", "TrainOptions", "TrainResult", "catalog_entries", "train_model",
           "whisper_candidates"]

log = logging.getLogger(__name__)

# Used when there is no dev data to tune on (recorded as such in the model's metrics): the best of the
# grid on the synthesized corpus's dev split (114 clips) with the 34k-entry demo catalog, under the
# out-of-domain constraints (the only eligible trial; bolder ones hurt clean out-of-domain clips).
DEFAULT_CATALOG_BIAS = -0.05
DEFAULT_POSTERIOR_WEIGHT = 0.0
SINGLE_ENGINES = ("pocketsphinx", "whisper")
HYBRID = "hybrid"  # pocketsphinx's catalog LM for catalog queries, Whisper for the rest (asr/hybrid_engine)
# the hybrid's verification without dev data: Whisper's text replaces the catalog hypothesis when it names
# an entry at 0.9; the catalog hypothesis replaces Whisper's only at an exact-looking match
DEFAULT_MATCH_THRESHOLDS = MatchThresholds(catalog=0.97, general=0.9)
ENGINES = (*SINGLE_ENGINES, HYBRID)
AUTO = "auto"  # train every engine on the same dev set, keep the best (`_choose`)

Progress = Callable[[str, int | None], Callable[[], None]]  # (stage, total) -> advance


@dataclass(frozen=True)
class TrainOptions:
    catalog: str
    engine: str = "auto"  # pocketsphinx, whisper, hybrid (trains all three), or auto: all three, the best kept
    data: Path | None = None  # manifest: split=train transcripts go into the LM, split=dev tunes
    queries: Path | None = None  # request log (JSONL) whose transcripts go into the LM
    promote: bool = False
    synthesize_dev: bool = True  # without --data: tune on clips synthesized from the catalog
    files: PocketsphinxFilesOptions = PocketsphinxFilesOptions()
    tuning: TuningOptions = TuningOptions()
    whisper_tuning: WhisperTuningOptions = WhisperTuningOptions()
    synth: SynthDevOptions = SynthDevOptions()
    jobs: int | None = None  # processes decoding the dev clips; None: every core (dev_workers)
    whisper_models: tuple[str, ...] | None = None  # several: each is trained, the dev set picks (whisper_candidates)


@dataclass(frozen=True)
class TrainResult:
    version: ModelVersion
    promoted: bool
    run_id: str
    wall_time_s: float
    metrics: dict[str, Any] = field(default_factory=dict)
    dev: TuningResult[Any] | None = field(default=None, repr=False, compare=False)  # the tuning, with its decodes


def catalog_entries(settings: Settings, name: str) -> tuple[list[CatalogEntry], str]:
    """The entries of an imported catalog and its content hash."""
    with CatalogStore(settings.home).open(name) as index:
        rows = index.execute("SELECT id, title, text, aliases, category, popularity FROM entries ORDER BY rowid")
        entries = [CatalogEntry(id=r[0], title=r[1], text=r[2], aliases=tuple(json.loads(r[3] or "[]")),
                                category=r[4], popularity=float(r[5])) for r in rows]
        return entries, index.content_hash


def whisper_candidates(options: TrainOptions, settings: Settings) -> tuple[str, ...]:
    """The Whisper models to train with: `options.whisper_models` (several: the dev set picks), else the settings'
    one (--whisper-model), else tiny.en. Trying tiny.en and base by default was measured and dropped: the
    dev set chose tiny.en on songs and products, and on places it chose adapted Whisper base alone, which
    found 45.8% of the held-out queries first against 61.5% for the tiny.en hybrid."""
    if options.whisper_models:
        return tuple(dict.fromkeys(options.whisper_models))
    return (settings.engine.whisper_model or DEFAULT_MODEL,)


def train_model(options: TrainOptions, settings: Settings, progress: Progress | None = None) -> TrainResult:
    started = time.perf_counter()
    if options.engine not in (*ENGINES, AUTO):
        raise ModelError(f"cannot train engine {options.engine!r}; use --engine "
                         f"{' or --engine '.join((*ENGINES, AUTO))}")
    models = whisper_candidates(options, settings)
    served = settings.engine.whisper_model or DEFAULT_MODEL  # unadapted, it serves: the out-of-domain reference
    step = progress or (lambda stage, total: (lambda: None))
    if options.engine == "pocketsphinx" or (options.engine == "whisper" and len(models) == 1):
        # every version records its Whisper: its tuning saw that one
        settings = settings.with_engine(whisper_model=models[0] if options.engine == "whisper" else served)
        with tempfile.TemporaryDirectory(prefix="voxsearch-train-") as tmp:
            inputs = _inputs(options, settings, Path(tmp), step)
            return _train_engine(options, options.engine, inputs, settings, Path(tmp), step, started)
    return _train_several(options, settings, models, served, step, started)


@dataclass(frozen=True)
class _Inputs:
    """What every engine's training reads: the catalog, LM texts and the dev set (one synthesis for all)."""
    entries: list[CatalogEntry]
    content_hash: str
    texts: list[str]  # --data's train transcripts and --queries' logged queries, for the LM
    dev_items: list[Any]
    dataset: dict[str, Any]  # lineage


def _inputs(options: TrainOptions, settings: Settings, folder: Path, step: Progress) -> _Inputs:
    step("reading the catalog", None)
    entries, content_hash = catalog_entries(settings, options.catalog)
    logged = _logged_queries(options.queries) if options.queries else []
    train_texts, dev_items, dataset = _dataset(options, entries, folder / "dev", step)
    return _Inputs(entries, content_hash, [*train_texts, *logged], dev_items, dataset)


def _train_engine(options: TrainOptions, engine: str, inputs: _Inputs, settings: Settings, folder: Path,
                  step: Progress, started: float) -> TrainResult:
    build = _pocketsphinx_version if engine == "pocketsphinx" else _whisper_version
    built = build(options, inputs.entries, inputs.texts, inputs.dev_items, settings, folder, step)
    return _store(options, engine, built, inputs.dataset, inputs.content_hash, settings, started, step)


@dataclass(frozen=True)
class _Built:
    engine_options: dict[str, Any]
    tuning: dict[str, Any]  # the grid and every trial, stored with the version
    metrics: dict[str, Any]
    files: dict[str, Path]  # name in the version -> file to copy
    tuned: TuningResult[Any] | None = None  # with what was decoded on the dev set, for the hybrid's tuning


def _store(options: TrainOptions, engine: str, built: _Built, dataset: dict[str, Any], content_hash: str,
           settings: Settings, started: float, step: Progress) -> TrainResult:
    """The built model as a new version in the registry (promoted if asked), with its run record."""
    registry = ModelRegistry(settings.home)
    draft = ModelVersion(
        version="draft", engine=engine,
        catalog={"name": options.catalog, "content_hash": content_hash, "index_format": str(INDEX_FORMAT_VERSION),
                 "ranking": str(RANKING_VERSION)},
        engine_options=built.engine_options, files={}, dataset=dataset,
        code={"voxsearch": __version__, "git_commit": _git_commit()},
        tuning=built.tuning, metrics=built.metrics,
    )
    step("storing the model version", None)
    version = registry.create(draft, built.files)
    if options.promote:
        registry.promote(version.version, options.catalog)
    wall = time.perf_counter() - started
    metrics = built.metrics
    flat: dict[str, Any] = {"wall_time_s": wall, **{k: metrics[k] for k in ("vocabulary", "g2p_words") if k in metrics}}
    if metrics.get("tuned"):
        flat.update({f"dev_{k}": v for k, v in metrics["dev"].items()})
        flat.update({f"dev_unadapted_{k}": v for k, v in metrics["dev_unadapted"].items()})
    params = {k: v for k, v in built.engine_options.items() if k not in ("catalog_lm", "dictionary", "hotwords")}
    run = record_run(settings.home, kind="train",
                     params={"catalog": options.catalog, "engine": engine, **params,
                             "data": str(options.data) if options.data else None,
                             "queries": str(options.queries) if options.queries else None,
                             "promote": options.promote},
                     data_version=dataset.get("sha256", "none"), model_version=version.version,
                     metrics=flat, artifacts={"model": str(version.path)})
    log.info("trained %s in %.1f s", version.version, wall)
    return TrainResult(version, options.promote, run.run_id, wall, metrics, built.tuned)


def _train_several(options: TrainOptions, settings: Settings, models: tuple[str, ...], served: str,
                   step: Progress, started: float) -> TrainResult:
    """On one dev set (synthesized once, or --data's dev split): pocketsphinx (unless --engine whisper), then per
    Whisper model a tuned Whisper and the hybrid of the two from what they decoded. All are stored; the best on
    the dev set among those of the asked engine (any with auto) is returned (`_choose`), promoted with --promote.
    With several Whisper models the parts are named "whisper base", "hybrid tiny.en", ..."""
    results: dict[str, TrainResult] = {}
    with tempfile.TemporaryDirectory(prefix="voxsearch-train-") as tmp:
        inputs = _inputs(options, settings, Path(tmp), step)
        ps = None
        if options.engine != "whisper":
            ps = results["pocketsphinx"] = _train_part(options, "pocketsphinx", inputs, settings, Path(tmp), step)
        for model in models:
            with_model = settings.with_engine(whisper_model=model)
            name = (lambda engine: engine) if len(models) == 1 else (lambda engine: f"{engine} {model}")
            whisper = results[name("whisper")] = _train_part(options, name("whisper"), inputs, with_model, Path(tmp),
                                                             step)
            if ps is not None:
                results[name(HYBRID)] = _hybrid_version(options, ps, whisper, with_model,
                                                        lambda stage, total: step(f"{name(HYBRID)}: {stage}", total))
    eligible = {k: r for k, r in results.items() if options.engine == AUTO or r.version.engine == options.engine}
    chosen = _choose(eligible, options.tuning.max_out_wer_increase, served)
    if options.promote:
        ModelRegistry(settings.home).promote(chosen.version.version, options.catalog)
    selection = {part: {"version": r.version.version, "whisper_model": r.version.engine_options.get("whisper_model"),
                        "dev": r.metrics.get("dev"), "wall_time_s": r.wall_time_s} for part, r in results.items()}
    log.info("chosen: %s (%s)", next(k for k, r in results.items() if r is chosen), chosen.version.version)
    return replace(chosen, promoted=options.promote, wall_time_s=time.perf_counter() - started,
                   metrics={**chosen.metrics, "engine_selection": selection})


def _train_part(options: TrainOptions, name: str, inputs: _Inputs, settings: Settings, tmp: Path, step: Progress
                ) -> TrainResult:
    """One engine of `_train_several`, stored unpromoted; its progress stages start with `name`."""
    folder = tmp / name.replace(" ", "-")
    folder.mkdir()
    return _train_engine(replace(options, promote=False), name.split()[0], inputs, settings, folder,
                         lambda stage, total: step(f"{name}: {stage}", total), time.perf_counter())


def _choose(results: dict[str, TrainResult], max_out_wer_increase: float, served: str) -> TrainResult:
    """The best dev top-1, then WER, among the versions whose out-of-domain WER (all, and clean) is within
    `max_out_wer_increase` of the best unadapted engine that serves without training (pocketsphinx, or the
    `served` Whisper); without dev data, the hybrid (untuned)."""
    tuned = [r for r in results.values() if r.metrics.get("tuned")]
    if not tuned:
        log.warning("no dev data to choose an engine on: keeping the hybrid (untuned)")
        return next((r for r in results.values() if r.version.engine == HYBRID), next(iter(results.values())))
    unadapted = [r for r in tuned if r.version.engine_options.get("whisper_model") in (None, served)] or tuned
    reference = {k: min(r.metrics["dev_unadapted"][k] for r in unadapted) for k in ("wer_out", "wer_out_clean")}

    def keeps_out_of_domain(r: TrainResult) -> bool:
        return all(r.metrics["dev"][k] <= reference[k] + max_out_wer_increase for k in reference)

    return max(tuned, key=lambda r: (keeps_out_of_domain(r), *_dev_rank(r)))


def _dev_rank(result: TrainResult) -> tuple[float, float]:
    dev = result.metrics.get("dev") or {}
    return (dev.get("top1", 0.0), -dev.get("wer", 1.0))


def _hybrid_version(options: TrainOptions, ps: TrainResult, whisper: TrainResult, settings: Settings,
                    step: Progress) -> TrainResult:
    """pocketsphinx's catalog LM and dictionary in front of unadapted Whisper, the routing tuned from what the
    two decoded on the dev set (train/hybrid_tuning)."""
    from voxsearch.train.hybrid_tuning import tune_hybrid

    started = time.perf_counter()
    assert ps.version.path is not None
    files = {name: ps.version.path / name for name in (LM_FILE, DICT_FILE)}
    engine_options = {**ps.version.engine_options, "general": "whisper",
                      "whisper_model": whisper.version.engine_options["whisper_model"]}
    parts = {"pocketsphinx": ps.version.version, "whisper": whisper.version.version}
    if ps.dev is not None and whisper.dev is not None and ps.dev.decoded and whisper.dev.decoded:
        step(f"tuning the routing on {len(ps.dev.decoded)} dev clips", None)
        variants = ps.dev.decoded_by_denoise or {False: ps.dev.decoded}
        doubts = _whisper_doubts(options, variants, whisper.dev.decoded, settings, step)
        with CatalogStore(settings.home).open(options.catalog) as index:
            by_denoise = {d: tune_hybrid(clips, whisper.dev.decoded, whisper.dev.unadapted, index, options.tuning,
                                         doubts and doubts[d]) for d, clips in variants.items()}
        denoise_input = _choose_denoise({d: r.best for d, r in by_denoise.items()}, options.tuning.denoise_margin)
        tuned = by_denoise[denoise_input]
        log.info("hybrid: pocketsphinx %s its input (dev WER %s, top-1 %s without / with denoising)",
                 "denoises" if denoise_input else "does not denoise",
                 *(" / ".join(f"{getattr(by_denoise[d].best, k):.3f}" for d in sorted(by_denoise))
                   for k in ("wer", "top1")))
        engine_options.pop("denoise", None)
        if denoise_input:
            engine_options["denoise"] = _denoise_options(settings)
        if tuned.best.routing == "scores":  # "general" routing never compares the scores: pocketsphinx's own stay
            engine_options.update(catalog_bias=tuned.best.catalog_bias,
                                  catalog_posterior_weight=tuned.best.posterior_weight)
        engine_options.update(routing=tuned.best.routing, match_thresholds={"catalog": tuned.best.catalog_threshold,
                                                                            "general": tuned.best.general_threshold})
        if tuned.best.whisper_veto is not None:
            engine_options["whisper_veto"] = tuned.best.whisper_veto
        tuning = {"grid": {"catalog_bias": list(options.tuning.bias_grid),
                           "catalog_posterior_weight": list(options.tuning.posterior_weight_grid),
                           "match_thresholds": {"catalog": list(options.tuning.match_threshold_grid),
                                                "general": list(options.tuning.match_threshold_grid)},
                           "denoise": sorted(by_denoise), "whisper_veto": list(options.tuning.veto_grid)},
                  "denoise": denoise_input, **tuned.to_dict(),
                  "by_denoise": {str(d).lower(): {"best": asdict(r.best)} for d, r in sorted(by_denoise.items())}}
        metrics = {"tuned": True, "dev_clips": tuned.clips, "dev": _trial_metrics(asdict(tuned.best)),
                   "dev_unadapted": _trial_metrics(asdict(tuned.unadapted)), "to_catalog": tuned.best.to_catalog,
                   "switched": tuned.best.switched, "vetoed": tuned.best.vetoed}
    else:
        engine_options["match_thresholds"] = asdict(DEFAULT_MATCH_THRESHOLDS)
        tuning = {"grid": None, "note": "no dev data: pocketsphinx's catalog_bias routes, the default threshold "
                                        "verifies"}
        metrics = {"tuned": False, "note": f"untuned: routing by catalog_bias={engine_options.get('catalog_bias')}, "
                                           f"match thresholds {asdict(DEFAULT_MATCH_THRESHOLDS)}"}
    metrics["parts"] = parts
    built = _Built(engine_options, tuning, metrics, files)
    return _store(replace(options, promote=False), HYBRID, built, ps.version.dataset, ps.version.catalog["content_hash"],
                  settings, started, step)


def _whisper_doubts(options: TrainOptions, variants: dict[bool, Any], general: Any, settings: Settings,
                    step: Progress) -> dict[bool, list[float]] | None:
    """Whisper's doubt of each dev clip's catalog hypothesis per pocketsphinx variant (None: no veto to tune)."""
    from voxsearch.train.whisper_doubts import whisper_doubts

    if all(v is None for v in options.tuning.veto_grid):
        return None
    items = [g.item for g in general]
    texts = {d: [c.catalog.text for c in clips] for d, clips in variants.items()}
    advance = step(f"Whisper scoring the catalog hypotheses of {len(items)} dev clips", len(items))
    return whisper_doubts(items, [g.transcript.text for g in general], texts, settings, _jobs(options), advance)


def _choose_denoise(best: dict[bool, Any], margin: float) -> bool:
    """Whether the hybrid's pocketsphinx denoises its input, from each choice's best dev trial: an eligible
    one first; then denoising unless skipping it has a dev WER lower by more than `margin`."""
    if len(best) == 1:
        return next(iter(best))
    plain, denoised = best[False], best[True]
    if plain.eligible != denoised.eligible:
        return bool(denoised.eligible)
    return not plain.wer < denoised.wer - margin


def _denoise_options(settings: Settings) -> dict[str, Any]:
    """The denoising parameters a version stores when its pocketsphinx denoises its input."""
    return settings.denoise.model_dump(exclude={"enabled"})


def _pocketsphinx_version(options: TrainOptions, entries: list[CatalogEntry], texts: list[str], dev_items: list[Any],
                          settings: Settings, tmp: Path, step: Progress) -> _Built:
    from voxsearch.asr.pocketsphinx_engine import PocketsphinxOptions

    step(f"building the LM and dictionary ({len(entries)} entries)", None)
    built = build_pocketsphinx_files(entries, texts, tmp, options.files)
    base = PocketsphinxOptions(catalog_lm_path=built.lm_path, dict_path=built.dict_path)
    if dev_items:
        passes = len(options.tuning.lw_grid) * len(options.tuning.denoise_grid)
        advance = step(f"tuning on {len(dev_items)} dev clips", len(dev_items) * passes)
        with CatalogStore(settings.home).open(options.catalog) as index:
            tuned = tune_pocketsphinx(base, dev_items, index, settings, options.tuning, advance, _jobs(options))
        best = {"catalog_bias": tuned.best.catalog_bias,
                "catalog_posterior_weight": tuned.best.posterior_weight, "lw": tuned.best.lw,
                "denoise": _denoise_options(settings) if tuned.best.denoise else None}
        tuning = {"grid": {"catalog_bias": list(options.tuning.bias_grid),
                           "catalog_posterior_weight": list(options.tuning.posterior_weight_grid),
                           "lw": list(options.tuning.lw_grid), "denoise": list(options.tuning.denoise_grid)},
                  **tuned.to_dict()}
        metrics = {"tuned": True, "dev_clips": tuned.clips,
                   "dev": _trial_metrics(asdict(tuned.best)), "dev_unadapted": _trial_metrics(asdict(tuned.unadapted))}
    else:
        best = {"catalog_bias": DEFAULT_CATALOG_BIAS, "catalog_posterior_weight": DEFAULT_POSTERIOR_WEIGHT, "lw": None}
        tuning = {"grid": None, "note": "no dev data: documented default catalog_bias used"}
        metrics = {"tuned": False, "note": f"untuned: catalog_bias={DEFAULT_CATALOG_BIAS}, catalog_posterior_weight="
                   f"{DEFAULT_POSTERIOR_WEIGHT} (defaults), no dev data"}
    metrics.update(lm_ngrams=list(built.lm_stats.ngrams), vocabulary=built.lm_stats.vocabulary,
                   g2p_words=built.new_words, g2p_failed=len(built.g2p_failed))
    engine_options = {"catalog_lm": LM_FILE, "dictionary": DICT_FILE, **{k: v for k, v in best.items() if v is not None}}
    return _Built(engine_options, tuning, metrics, {LM_FILE: built.lm_path, DICT_FILE: built.dict_path},
                  tuned if dev_items else None)


def _whisper_version(options: TrainOptions, entries: list[CatalogEntry], texts: list[str], dev_items: list[Any],
                     settings: Settings, tmp: Path, step: Progress) -> _Built:
    from voxsearch.catalog_rescoring import CatalogRescoring

    if texts:
        log.info("whisper adaptation does not use transcripts or logged queries (%d ignored)", len(texts))
    hotwords = hotwords_for(entries)
    grid = options.whisper_tuning
    if dev_items:
        advance = step(f"tuning on {len(dev_items)} dev clips", len(dev_items) * len(grid.hotwords_grid))
        with CatalogStore(settings.home).open(options.catalog) as index:
            tuned = tune_whisper(dev_items, index, settings, hotwords, grid, advance, _jobs(options))
        rescoring = None if tuned.best is tuned.unadapted else CatalogRescoring.from_dict(
            {**grid.base.to_dict(), "bonus": tuned.best.bonus, "token_bonus": tuned.best.token_bonus})
        use_hotwords = tuned.best.hotwords
        tuning = {"grid": {"bonus": list(grid.bonus_grid), "token_bonus": list(grid.token_bonus_grid),
                           "hotwords": list(grid.hotwords_grid)}, **tuned.to_dict()}
        metrics = {"tuned": True, "dev_clips": tuned.clips,
                   "dev": _trial_metrics(asdict(tuned.best)), "dev_unadapted": _trial_metrics(asdict(tuned.unadapted))}
    else:
        rescoring, use_hotwords = grid.base, False
        tuning = {"grid": None, "note": "no dev data: default catalog rescoring, no prompt words"}
        metrics = {"tuned": False, "note": f"untuned: catalog rescoring {grid.base.to_dict()}, no dev data"}
    engine_options: dict[str, Any] = {"whisper_model": settings.engine.whisper_model}
    if rescoring:
        engine_options["catalog_rescoring"] = rescoring.to_dict()
    if use_hotwords:
        engine_options["hotwords"] = hotwords
    return _Built(engine_options, tuning, metrics, {}, tuned if dev_items else None)


def _trial_metrics(trial: dict[str, Any]) -> dict[str, float]:
    return {k: trial[k] for k in ("wer", "wer_in", "wer_out", "wer_out_clean", "top1")}


def _dataset(options: TrainOptions, entries: list[CatalogEntry], synth_dir: Path, step: Progress
             ) -> tuple[list[str], list[Any], dict[str, Any]]:
    """Train transcripts, dev items and the dataset's lineage: from --data, else a synthesized dev set."""
    if options.data is None:
        if not options.synthesize_dev:
            return [], [], {"manifest": None}
        advance = step(f"synthesizing a dev set from the catalog ({options.synth.in_domain_queries} + "
                       f"{options.synth.out_domain_queries} queries)", None)
        try:
            manifest = synthesize_dev_set(entries, synth_dir, options.synth, lambda done, total: advance())
        except DatasetError as e:
            log.warning("no dev set: %s; the model is not tuned", e.message)
            return [], [], {"manifest": None, "synthesized": False, "reason": e.message}
        eval_set = load_eval_set(manifest)
        return [], list(eval_set.items), {"manifest": None, "synthesized": asdict(options.synth),
                                          "sha256": eval_set.sha256, "dev_lines": len(eval_set.items)}
    eval_set = load_eval_set(options.data)
    train = [i.reference for i in eval_set.items if i.tags.get("split") == "train"]
    dev = [i for i in eval_set.items if i.tags.get("split") == "dev"]
    if not dev:
        log.warning("%s has no lines tagged split=dev: the model is not tuned", options.data)
    return train, dev, {"manifest": str(options.data), "sha256": eval_set.sha256, "train_lines": len(train),
                        "dev_lines": len(dev)}


def _logged_queries(path: Path) -> list[str]:
    """Transcripts from a request log: JSONL with a "transcript" (or "text"/"query") string per line."""
    texts = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise DatasetError(f"cannot read query log {str(path)!r} ({e}); pass a JSONL file to --queries") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as e:
            raise DatasetError(f"{path} line {n} is not JSON ({e}); one JSON object per line") from e
        text = next((row[k] for k in ("transcript", "text", "query") if isinstance(row, dict)
                     and isinstance(row.get(k), str)), None)
        if text and spoken_words(text):
            texts.append(text)
    log.info("%d logged queries from %s", len(texts), path)
    return texts


def _jobs(options: TrainOptions) -> int:
    return options.jobs or default_train_jobs()
