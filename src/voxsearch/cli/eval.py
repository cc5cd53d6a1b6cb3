"""voxsearch eval MANIFEST: score models on a manifest; tables here, eval.json + eval.html in --out, a run record."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from voxsearch.cli.common import exits_on_bad_input, load_settings, stderr, stdout_console
from voxsearch.cli.eval_tables import overall_table, priority_lines, slice_table
from voxsearch.eval.evaluate import EvalOptions, evaluate, write_report_files
from voxsearch.eval.report import EvalReport
from voxsearch.train.runs import record_run

_METRIC_KEYS = {"wer": lambda s: s.wer.wer, "ser": lambda s: s.wer.ser, "cer": lambda s: s.wer.cer,
                "top1": lambda s: s.top1.rate if s.top1 else None, "top5": lambda s: s.top5.rate if s.top5 else None,
                "latency_p50_ms": lambda s: s.total_ms.p50, "latency_p95_ms": lambda s: s.total_ms.p95,
                "asr_p50_ms": lambda s: s.asr_ms.p50, "asr_p95_ms": lambda s: s.asr_ms.p95, "rtf": lambda s: s.rtf}


@exits_on_bad_input
def eval_(
    manifest: Path = typer.Argument(..., help="JSONL manifest: audio, text, expected, tags (DESIGN.md)."),
    catalog: str = typer.Option(None, "--catalog", help="Catalog searched for the hit rate (default: VOXSEARCH_CATALOG)."),
    model: list[str] = typer.Option([], "--model", help="Model version from the registry (repeatable)."),
    engine: list[str] = typer.Option([], "--engine", help="Unadapted engine by name: whisper, pocketsphinx (repeatable)."),
    out: Path = typer.Option(None, "--out", help="Folder for eval.json and eval.html (default: VOXSEARCH_HOME/evals/...)."),
    baseline: str = typer.Option(None, "--baseline", help="Model version or engine to compare against "
                                                           "(default: human agreement if clips have several labels)."),
    top_k: int = typer.Option(5, "--top-k", min=5, max=50, help="Search results kept per clip (top-5 needs 5)."),
) -> None:
    """Evaluate models on a manifest: WER/SER/CER, search hit rate, latency, per slice, against a baseline."""
    if logging.getLogger().level > logging.DEBUG:  # faster-whisper logs every clip at INFO: noise beside the bar
        logging.getLogger("faster_whisper").setLevel(logging.WARNING)
    settings = load_settings()
    started = datetime.now(UTC)
    options = EvalOptions(manifest=manifest, catalog=catalog, versions=list(model), engines=list(engine),
                          baseline=baseline, top_k=top_k)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        tasks: dict[str, int] = {}

        def on_progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(f"{label}: recognizing", total=total)
            progress.update(tasks[label], completed=done)

        report = evaluate(options, settings, on_progress)
    out_dir = out or settings.home / "evals" / f"{manifest.stem}-{started:%Y%m%dT%H%M%SZ}"
    with stderr.status("writing the report…"):
        paths = write_report_files(report, out_dir)
    console = stdout_console()
    console.print(overall_table(report))
    console.print(slice_table(report))
    for line in priority_lines(report):
        console.print(line)
    run = record_run(settings.home, "eval", _params(options, report), f"sha256:{report.manifest_sha256}",
                     report.labels, _metrics(report), {k: str(p.resolve()) for k, p in paths.items()},
                     started_at=started)
    stderr.print(f"report: {paths['html']}\njson: {paths['json']}\nrun: {run.run_id}")


def _params(options: EvalOptions, report: EvalReport) -> dict:
    return {"manifest": str(options.manifest), "catalog": report.catalog, "models": report.labels,
            "baseline": report.baseline.label or report.baseline.kind, "top_k": options.top_k,
            "normalization": report.normalization,
            "model_details": {m.label: f"{m.engine} {m.version}" for m in report.models}}


def _metrics(report: EvalReport) -> dict[str, float]:
    """The first model's metrics under plain names, every model's under 'label/name'."""
    metrics: dict[str, float] = {}
    for n, label in enumerate(report.labels):
        for key, get in _METRIC_KEYS.items():
            value = get(report.overall[label])
            if value is None:
                continue
            metrics[f"{label}/{key}"] = value
            if n == 0:
                metrics[key] = value
    if report.baseline_wer is not None:
        metrics["baseline_wer"] = report.baseline_wer
    return metrics
