"""`voxsearch eval` as a library call: run each model over a manifest, score, write eval.json and eval.html."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voxsearch.asr import ENGINE_NAMES
from voxsearch.config import Settings
from voxsearch.eval.baseline import choose_baseline
from voxsearch.eval.dataset import EvalSet, load_eval_set
from voxsearch.eval.models import ModelRef, default_model, load_pipeline, model_refs
from voxsearch.eval.report import EvalReport, ModelColumn, ReportOptions, build_report
from voxsearch.eval.runner import Outcome, run_model
from voxsearch.fileio import write_text_atomic
from voxsearch.pipeline import Pipeline

if TYPE_CHECKING:
    from voxsearch.search import CatalogIndex

log = logging.getLogger(__name__)

# label, clips done, clips in all (called once with done=0 when a model starts)
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class EvalOptions:
    manifest: Path
    catalog: str | None = None  # None: the settings' catalog; "" : no search (WER only)
    versions: list[str] = field(default_factory=list)  # model versions from the registry
    engines: list[str] = field(default_factory=list)  # unadapted engines by name
    baseline: str | None = None  # a model label; None: human agreement if the manifest has it
    top_k: int = 5
    report: ReportOptions = field(default_factory=ReportOptions)


def evaluate(options: EvalOptions, settings: Settings, progress: ProgressCallback | None = None) -> EvalReport:
    """Run every model over the manifest and build the report (slow: loads each model and decodes every clip)."""
    eval_set = load_eval_set(options.manifest)
    catalog = settings.catalog if options.catalog is None else options.catalog
    index = _open_catalog(settings, catalog)
    refs = _models(options, settings, catalog)
    outcomes: dict[str, list[Outcome]] = {}
    columns = []
    for ref in refs:
        pipeline = load_pipeline(ref, settings)
        info = pipeline.engine.info
        columns.append(ModelColumn(ref.label, ref.source, info.engine, info.version, dict(info.options)))
        try:
            outcomes[ref.label] = _run(pipeline, ref, eval_set, index, settings, options.top_k, progress)
        finally:
            pipeline.close()  # one model in memory at a time
        del pipeline
    baseline = choose_baseline(eval_set.items, options.baseline)
    return build_report(eval_set, columns, outcomes, baseline, catalog or None, options.report)


def write_report_files(report: EvalReport, out_dir: Path) -> dict[str, Path]:
    """eval.json (every number and per-utterance record) and eval.html (tables, plots, audio) in `out_dir`."""
    from voxsearch.eval.html import render_html

    out_dir = Path(out_dir)
    paths = {"json": out_dir / "eval.json", "html": out_dir / "eval.html"}
    write_text_atomic(paths["json"], json.dumps(report.to_json_dict(), indent=1, ensure_ascii=False) + "\n")
    write_text_atomic(paths["html"], render_html(report, Path(report.manifest).parent))
    return paths


def _models(options: EvalOptions, settings: Settings, catalog: str) -> list[ModelRef]:
    refs = model_refs(options.versions, options.engines) or [default_model(settings, catalog or None)]
    if options.baseline and options.baseline not in {r.label for r in refs}:
        # a baseline not among the compared models: an engine if it is one's name, else a version
        as_engine = options.baseline.strip().lower() in ENGINE_NAMES
        refs += model_refs([] if as_engine else [options.baseline], [options.baseline] if as_engine else [])
    return refs


def _open_catalog(settings: Settings, catalog: str) -> CatalogIndex | None:
    if not catalog:
        return None
    from voxsearch.search import CatalogStore

    return CatalogStore(settings.home).open(catalog)


def _run(pipeline: Pipeline, ref: ModelRef, eval_set: EvalSet, index: CatalogIndex | None, settings: Settings,
         top_k: int, progress: ProgressCallback | None) -> list[Outcome]:
    total = len(eval_set.items)
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(ref.label, done, total)

    if progress:
        progress(ref.label, 0, total)
    return run_model(pipeline, eval_set.items, index, settings.limits, top_k, advance)
