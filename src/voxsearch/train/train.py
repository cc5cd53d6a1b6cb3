"""`voxsearch train`: adapt an engine to a catalog, tune it on dev data, store it as a model version.

For pocketsphinx: a catalog LM (catalog names in carrier phrases + the manifest's train transcripts +
logged queries) and a dictionary extended by G2P, decoded next to the generic LM (never instead of
it); catalog_bias (and lw) tuned by a grid on the manifest's dev split. Every version records its
lineage: catalog hash, dataset hash, code version and commit, every trial, the best parameters.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
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
from voxsearch.train.tuning import TuningOptions, tune_pocketsphinx
from voxsearch.types import CatalogEntry

__all__ = ["DEFAULT_CATALOG_BIAS", "TrainOptions", "TrainResult", "catalog_entries", "train_model"]

log = logging.getLogger(__name__)

# Used when there is no dev data to tune on (recorded as such in the model's metrics): the best of the
# grid on the synthesized corpus's dev split (114 clips) with the 34k-entry demo catalog, under the
# out-of-domain constraints (the only eligible trial; bolder ones hurt clean out-of-domain clips).
DEFAULT_CATALOG_BIAS = -0.05
DEFAULT_POSTERIOR_WEIGHT = 0.0

Progress = Callable[[str, int | None], Callable[[], None]]  # (stage, total) -> advance


@dataclass(frozen=True)
class TrainOptions:
    catalog: str
    engine: str = "pocketsphinx"
    data: Path | None = None  # manifest: split=train transcripts go into the LM, split=dev tunes
    queries: Path | None = None  # request log (JSONL) whose transcripts go into the LM
    promote: bool = False
    files: PocketsphinxFilesOptions = PocketsphinxFilesOptions()
    tuning: TuningOptions = TuningOptions()


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
    started = time.perf_counter()
    if options.engine != "pocketsphinx":
        raise ModelError(f"training for engine {options.engine!r} is not implemented; use --engine pocketsphinx")
    step = progress or (lambda stage, total: (lambda: None))
    step("reading the catalog", None)
    entries, content_hash = catalog_entries(settings, options.catalog)
    train_texts, dev_items, dataset = _dataset(options.data)
    logged = _logged_queries(options.queries) if options.queries else []
    registry = ModelRegistry(settings.home)
    with tempfile.TemporaryDirectory(prefix="voxsearch-train-") as tmp:
        step(f"building the LM and dictionary ({len(entries)} entries)", None)
        built = build_pocketsphinx_files(entries, [*train_texts, *logged], Path(tmp), options.files)
        from voxsearch.asr.pocketsphinx_engine import PocketsphinxOptions

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
            best = {"catalog_bias": DEFAULT_CATALOG_BIAS, "catalog_posterior_weight": DEFAULT_POSTERIOR_WEIGHT,
                    "lw": None}
            tuning = {"grid": None, "note": "no dev data (--data): documented default catalog_bias used"}
            metrics = {"tuned": False, "note": f"untuned: catalog_bias={DEFAULT_CATALOG_BIAS}, catalog_posterior_weight="
                       f"{DEFAULT_POSTERIOR_WEIGHT} (defaults), no dev data"}
        metrics.update(lm_ngrams=list(built.lm_stats.ngrams), vocabulary=built.lm_stats.vocabulary,
                       g2p_words=built.new_words, g2p_failed=len(built.g2p_failed))
        engine_options = {"catalog_lm": LM_FILE, "dictionary": DICT_FILE,
                          **{k: v for k, v in best.items() if v is not None}}
        draft = ModelVersion(
            version="draft", engine="pocketsphinx",
            catalog={"name": options.catalog, "content_hash": content_hash},
            engine_options=engine_options, files={}, dataset=dataset,
            code={"voxsearch": __version__, "git_commit": _git_commit()},
            tuning=tuning, metrics=metrics,
        )
        step("storing the model version", None)
        version = registry.create(draft, {LM_FILE: built.lm_path, DICT_FILE: built.dict_path})
    if options.promote:
        registry.promote(version.version, options.catalog)
    wall = time.perf_counter() - started
    flat = {"wall_time_s": wall, "vocabulary": built.lm_stats.vocabulary, "g2p_words": built.new_words}
    if metrics.get("tuned"):
        flat.update({f"dev_{k}": v for k, v in metrics["dev"].items()})
        flat.update({f"dev_unadapted_{k}": v for k, v in metrics["dev_unadapted"].items()})
    run = record_run(settings.home, kind="train",
                     params={"catalog": options.catalog, "engine": options.engine, **best,
                             "data": str(options.data) if options.data else None,
                             "queries": str(options.queries) if options.queries else None,
                             "promote": options.promote},
                     data_version=dataset.get("sha256", "none"), model_version=version.version,
                     metrics=flat, artifacts={"model": str(version.path)})
    log.info("trained %s in %.1f s", version.version, wall)
    return TrainResult(version, options.promote, run.run_id, wall, metrics)


def _trial_metrics(trial: dict[str, Any]) -> dict[str, float]:
    return {k: trial[k] for k in ("wer", "wer_in", "wer_out", "wer_out_clean", "top1")}


def _dataset(manifest: Path | None) -> tuple[list[str], list[Any], dict[str, Any]]:
    if manifest is None:
        return [], [], {"manifest": None}
    eval_set = load_eval_set(manifest)
    train = [i.reference for i in eval_set.items if i.tags.get("split") == "train"]
    dev = [i for i in eval_set.items if i.tags.get("split") == "dev"]
    if not dev:
        log.warning("%s has no lines tagged split=dev: the model is not tuned", manifest)
    return train, dev, {"manifest": str(manifest), "sha256": eval_set.sha256, "train_lines": len(train),
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

