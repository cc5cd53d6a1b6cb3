"""`voxsearch train`: adapt an engine to a catalog, tune it on dev data, store it as a model version.

For pocketsphinx: a catalog LM (catalog names in carrier phrases + the manifest's train transcripts +
logged queries) and a dictionary extended by G2P, decoded next to the generic LM (never instead of
it); catalog_bias tuned by a grid. For whisper: prompt words and catalog rescoring, tuned by a grid
(train/whisper_tuning). The dev set is the manifest's dev split, or, without `--data`, one synthesized
from the catalog (train/synth_dev). With engine "auto" (the default) both are trained on the same dev
set and the one with the better dev top-1, then WER, is the result. Every version records its lineage:
catalog hash, dataset hash, code version and commit, every trial, the best parameters.
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
from voxsearch.config import Settings
from voxsearch.errors import DatasetError, ModelError
from voxsearch.eval.dataset import load_eval_set
from voxsearch.search import CatalogStore
from voxsearch.train.catalog_text import spoken_words
from voxsearch.train.pocketsphinx_files import (
    DICT_FILE,
    LM_FILE,
    PocketsphinxFilesOptions,
    build_pocketsphinx_files,
)
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.train.runs import _git_commit, record_run
from voxsearch.train.synth_dev import SynthDevOptions, synthesize_dev_set
from voxsearch.train.tuning import TuningOptions, tune_pocketsphinx
from voxsearch.train.whisper_tuning import WhisperTuningOptions, hotwords_for, tune_whisper
from voxsearch.types import CatalogEntry

__all__ = ["DEFAULT_CATALOG_BIAS", "ENGINES", "TrainOptions", "TrainResult", "catalog_entries", "train_model"]

log = logging.getLogger(__name__)

# Used when there is no dev data to tune on (recorded as such in the model's metrics): the best of the
# grid on the synthesized corpus's dev split (114 clips) with the 34k-entry demo catalog, under the
# out-of-domain constraints (the only eligible trial; bolder ones hurt clean out-of-domain clips).
DEFAULT_CATALOG_BIAS = -0.05
DEFAULT_POSTERIOR_WEIGHT = 0.0
ENGINES = ("pocketsphinx", "whisper")
AUTO = "auto"  # train every engine on the same dev set, keep the best (top-1 first, then WER)

Progress = Callable[[str, int | None], Callable[[], None]]  # (stage, total) -> advance


@dataclass(frozen=True)
class TrainOptions:
    catalog: str
    engine: str = "auto"  # pocketsphinx, whisper, or auto: both, the better on the dev set kept
    data: Path | None = None  # manifest: split=train transcripts go into the LM, split=dev tunes
    queries: Path | None = None  # request log (JSONL) whose transcripts go into the LM
    promote: bool = False
    synthesize_dev: bool = True  # without --data: tune on clips synthesized from the catalog
    files: PocketsphinxFilesOptions = PocketsphinxFilesOptions()
    tuning: TuningOptions = TuningOptions()
    whisper_tuning: WhisperTuningOptions = WhisperTuningOptions()
    synth: SynthDevOptions = SynthDevOptions()


@dataclass(frozen=True)
class TrainResult:
    version: ModelVersion
    promoted: bool
    run_id: str
    wall_time_s: float
    metrics: dict[str, Any] = field(default_factory=dict)


def catalog_entries(settings: Settings, name: str) -> tuple[list[CatalogEntry], str]:
    """The entries of an imported catalog and its content hash."""
    with CatalogStore(settings.home).open(name) as index:
        rows = index.execute("SELECT id, title, text, aliases, category, popularity FROM entries ORDER BY rowid")
        entries = [CatalogEntry(id=r[0], title=r[1], text=r[2], aliases=tuple(json.loads(r[3] or "[]")),
                                category=r[4], popularity=float(r[5])) for r in rows]
        return entries, index.content_hash


def train_model(options: TrainOptions, settings: Settings, progress: Progress | None = None) -> TrainResult:
    if options.engine == AUTO:
        return _train_best_engine(options, settings, progress)
    started = time.perf_counter()
    if options.engine not in ENGINES:
        raise ModelError(f"cannot train engine {options.engine!r}; use --engine "
                         f"{' or --engine '.join((*ENGINES, AUTO))}")
    step = progress or (lambda stage, total: (lambda: None))
    step("reading the catalog", None)
    entries, content_hash = catalog_entries(settings, options.catalog)
    logged = _logged_queries(options.queries) if options.queries else []
    registry = ModelRegistry(settings.home)
    with tempfile.TemporaryDirectory(prefix="voxsearch-train-") as tmp:
        train_texts, dev_items, dataset = _dataset(options, entries, Path(tmp) / "dev", step)
        build = _pocketsphinx_version if options.engine == "pocketsphinx" else _whisper_version
        engine_options, tuning, metrics, files = build(options, entries, [*train_texts, *logged], dev_items,
                                                       settings, Path(tmp), step)
        draft = ModelVersion(
            version="draft", engine=options.engine,
            catalog={"name": options.catalog, "content_hash": content_hash},
            engine_options=engine_options, files={}, dataset=dataset,
            code={"voxsearch": __version__, "git_commit": _git_commit()},
            tuning=tuning, metrics=metrics,
        )
        step("storing the model version", None)
        version = registry.create(draft, files)
    if options.promote:
        registry.promote(version.version, options.catalog)
    wall = time.perf_counter() - started
    flat: dict[str, Any] = {"wall_time_s": wall, **{k: metrics[k] for k in ("vocabulary", "g2p_words") if k in metrics}}
    if metrics.get("tuned"):
        flat.update({f"dev_{k}": v for k, v in metrics["dev"].items()})
        flat.update({f"dev_unadapted_{k}": v for k, v in metrics["dev_unadapted"].items()})
    params = {k: v for k, v in engine_options.items() if k not in ("catalog_lm", "dictionary", "hotwords")}
    run = record_run(settings.home, kind="train",
                     params={"catalog": options.catalog, "engine": options.engine, **params,
                             "data": str(options.data) if options.data else None,
                             "queries": str(options.queries) if options.queries else None,
                             "promote": options.promote},
                     data_version=dataset.get("sha256", "none"), model_version=version.version,
                     metrics=flat, artifacts={"model": str(version.path)})
    log.info("trained %s in %.1f s", version.version, wall)
    return TrainResult(version, options.promote, run.run_id, wall, metrics)


def _train_best_engine(options: TrainOptions, settings: Settings, progress: Progress | None) -> TrainResult:
    """A version per engine, each tuned on the same dev set (synthesized with the same seed, or --data's dev
    split); the one with the best dev top-1, then WER, is the result (and promoted with --promote). Both stay
    in the registry. Without dev data there is nothing to compare on: the first engine (pocketsphinx), untuned."""
    step = progress or (lambda stage, total: (lambda: None))
    results: dict[str, TrainResult] = {}
    for engine in ENGINES:
        def engine_step(stage: str, total: int | None, engine: str = engine) -> Callable[[], None]:
            return step(f"{engine}: {stage}", total)

        results[engine] = train_model(replace(options, engine=engine, promote=False), settings, engine_step)
        if not results[engine].metrics.get("tuned"):  # no dev data: nothing to compare the engines on
            log.warning("no dev data to choose an engine on: keeping %s (untuned)", engine)
            break
    chosen = max(results.values(), key=_dev_rank)
    if options.promote:
        ModelRegistry(settings.home).promote(chosen.version.version, options.catalog)
    selection = {engine: {"version": r.version.version, "dev": r.metrics.get("dev")} for engine, r in results.items()}
    log.info("engine chosen on the dev set: %s (%s)", chosen.version.engine, chosen.version.version)
    return replace(chosen, promoted=options.promote, wall_time_s=sum(r.wall_time_s for r in results.values()),
                   metrics={**chosen.metrics, "engine_selection": selection})


def _dev_rank(result: TrainResult) -> tuple[float, float]:
    dev = result.metrics.get("dev") or {}
    return (dev.get("top1", 0.0), -dev.get("wer", 1.0))


Built = tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Path]]  # options, tuning, metrics, files


def _pocketsphinx_version(options: TrainOptions, entries: list[CatalogEntry], texts: list[str], dev_items: list[Any],
                          settings: Settings, tmp: Path, step: Progress) -> Built:
    from voxsearch.asr.pocketsphinx_engine import PocketsphinxOptions

    step(f"building the LM and dictionary ({len(entries)} entries)", None)
    built = build_pocketsphinx_files(entries, texts, tmp, options.files)
    base = PocketsphinxOptions(catalog_lm_path=built.lm_path, dict_path=built.dict_path)
    if dev_items:
        advance = step(f"tuning on {len(dev_items)} dev clips", len(dev_items) * len(options.tuning.lw_grid))
        with CatalogStore(settings.home).open(options.catalog) as index:
            tuned = tune_pocketsphinx(base, dev_items, index, settings, options.tuning, advance)
        best = {"catalog_bias": tuned.best.catalog_bias,
                "catalog_posterior_weight": tuned.best.posterior_weight, "lw": tuned.best.lw}
        tuning = {"grid": {"catalog_bias": list(options.tuning.bias_grid),
                           "catalog_posterior_weight": list(options.tuning.posterior_weight_grid),
                           "lw": list(options.tuning.lw_grid)},
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
    return engine_options, tuning, metrics, {LM_FILE: built.lm_path, DICT_FILE: built.dict_path}


def _whisper_version(options: TrainOptions, entries: list[CatalogEntry], texts: list[str], dev_items: list[Any],
                     settings: Settings, tmp: Path, step: Progress) -> Built:
    from voxsearch.catalog_rescoring import CatalogRescoring

    if texts:
        log.info("whisper adaptation does not use transcripts or logged queries (%d ignored)", len(texts))
    hotwords = hotwords_for(entries)
    grid = options.whisper_tuning
    if dev_items:
        advance = step(f"tuning on {len(dev_items)} dev clips", len(dev_items) * len(grid.hotwords_grid))
        with CatalogStore(settings.home).open(options.catalog) as index:
            tuned = tune_whisper(dev_items, index, settings, hotwords, grid, advance)
        rescoring = CatalogRescoring.from_dict({**grid.base.to_dict(), "bonus": tuned.best.bonus,
                                                "token_bonus": tuned.best.token_bonus})
        use_hotwords = tuned.best.hotwords
        tuning = {"grid": {"bonus": list(grid.bonus_grid), "token_bonus": list(grid.token_bonus_grid),
                           "hotwords": list(grid.hotwords_grid)}, **tuned.to_dict()}
        metrics = {"tuned": True, "dev_clips": tuned.clips,
                   "dev": _trial_metrics(asdict(tuned.best)), "dev_unadapted": _trial_metrics(asdict(tuned.unadapted))}
    else:
        rescoring, use_hotwords = grid.base, False
        tuning = {"grid": None, "note": "no dev data: default catalog rescoring, no prompt words"}
        metrics = {"tuned": False, "note": f"untuned: catalog rescoring {grid.base.to_dict()}, no dev data"}
    engine_options: dict[str, Any] = {"catalog_rescoring": rescoring.to_dict()}
    if use_hotwords:
        engine_options["hotwords"] = hotwords
    return engine_options, tuning, metrics, {}


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

