"""Rich tables of an evaluation report for the terminal (the same numbers as eval.json and eval.html)."""

from __future__ import annotations

from rich.table import Table

from voxsearch.eval.html import METRICS, fmt
from voxsearch.eval.priorities import baseline_name
from voxsearch.eval.report import EvalReport


def overall_table(report: EvalReport) -> Table:
    ref = report.reference_label
    others = [label for label in report.labels if label != ref]
    table = Table(title=f"{len(report.utterances)} clips — overall", title_justify="left")
    table.add_column("metric")
    for label in report.labels:
        table.add_column(label, justify="right")
    for other in others:
        table.add_column(f"Δ {other}", justify="right")
    if report.baseline.kind == "human":
        table.add_column("human", justify="right")
    for name, get, lower, kind in METRICS:
        row = [name] + [fmt(get(report.overall[label]), kind) for label in report.labels]
        for other in others:
            row.append(_delta(get(report.overall[ref]), get(report.overall[other]), lower, kind))
        if report.baseline.kind == "human":
            row.append(fmt(report.baseline_wer, "pct") if name == "WER" else "")
        table.add_row(*row)
    return table


def slice_table(report: EvalReport) -> Table:
    table = Table(title="by slice (WER; search top-1 on in-domain clips)", title_justify="left")
    for column in ("tag", "value", "clips"):
        table.add_column(column, justify="right" if column == "clips" else "left")
    for label in report.labels:
        table.add_column(f"WER {label}", justify="right")
    if report.baseline.kind == "human":
        table.add_column("WER human", justify="right")
    for label in report.labels:
        table.add_column(f"top-1 {label}", justify="right")
    for tag in report.slice_tags:
        for n, s in enumerate(report.slices_of(tag)):
            row = [tag if n == 0 else "", s.value, str(s.clips)]
            row += [fmt(s.scores[label].wer.wer, "pct") for label in report.labels]
            row += [fmt(s.baseline_wer, "pct")] if report.baseline.kind == "human" else []
            row += [fmt(s.scores[label].top1.rate if s.scores[label].top1 else None, "pct") for label in report.labels]
            table.add_row(*row, end_section=n == len(report.slices_of(tag)) - 1)
    return table


def priority_lines(report: EvalReport, limit: int = 5) -> list[str]:
    name = baseline_name(report.baseline.kind, report.baseline.label)
    lines = []
    for label, priorities in report.priorities.items():
        lines.append(f"[bold]where more data would help {label} most[/bold] (vs {name}):")
        lines += [f"  {i}. {p.sentence(name)}" for i, p in enumerate(priorities[:limit], 1)] or ["  (no slice is worse)"]
    return lines


def _delta(ref: float | None, value: float | None, lower_better: bool, kind: str) -> str:
    if ref is None or value is None:
        return "–"
    delta = value - ref
    text = f"{100 * delta:+.1f} pts" if kind == "pct" else (f"{delta:+.0f}" if kind == "ms" else f"{delta:+.3f}")
    if delta == 0:
        return text
    return f"[green]{text}[/green]" if (delta < 0) == lower_better else f"[red]{text}[/red]"
