"""voxsearch runs list | compare: the experiment records in VOXSEARCH_HOME/runs."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from voxsearch.cli.common import exits_on_bad_input, load_settings, stdout_console
from voxsearch.train.runs import compare_runs, list_runs

app = typer.Typer(help="Experiment records of train and eval runs.", no_args_is_help=True)
_HEADLINE = ("wer", "top1", "latency_p50_ms")


@app.command("list")
@exits_on_bad_input
def list_(
    kind: str = typer.Option(None, "--kind", help="Only runs of this kind (train, eval)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON record per line instead of a table."),
) -> None:
    """List runs, oldest first."""
    runs = list_runs(load_settings().home, kind=kind)
    if as_json:
        for run in runs:
            print(json.dumps(run.to_dict(), ensure_ascii=False, default=str))
        return
    table = Table(title=f"{len(runs)} runs", title_justify="left")
    for column in ("run id", "kind", "data", "models", *_HEADLINE):
        table.add_column(column, justify="right" if column in _HEADLINE else "left")
    for run in runs:
        table.add_row(run.run_id, run.kind, run.data_version[:19], ", ".join(run.model_versions),
                      *(_cell(run.metrics.get(name)) for name in _HEADLINE))
    stdout_console().print(table)


@app.command("compare")
@exits_on_bad_input
def compare(ids: list[str] = typer.Argument(..., help="Two or more run ids (see: voxsearch runs list).")) -> None:
    """Parameters and metrics of runs side by side; values that differ are highlighted."""
    comparison = compare_runs(load_settings().home, ids)
    table = Table(title="runs compared (differences in yellow)", title_justify="left")
    table.add_column("")
    for run_id in comparison.run_ids:
        table.add_column(run_id, justify="right")
    for section, rows in (("run", comparison.info), ("params", comparison.params), ("metrics", comparison.metrics)):
        table.add_row(f"[bold]{section}[/bold]", *[""] * len(comparison.run_ids))
        for name, values in rows.items():
            style = "yellow" if comparison.differs(values) else ""
            cells = [_cell(v) for v in values]
            table.add_row(f"  {name}", *(f"[{style}]{c}[/{style}]" if style else c for c in cells))
    stdout_console().print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
