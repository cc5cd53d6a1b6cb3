"""voxsearch models list | show | promote | rollback: the model registry in VOXSEARCH_HOME/models."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer
from rich.table import Table

from voxsearch.cli.common import exits_on_bad_input, load_settings, stdout_console
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.runs import list_runs

app = typer.Typer(help="Trained model versions and their promotion per catalog.", no_args_is_help=True)


def _registry() -> ModelRegistry:
    return ModelRegistry(load_settings().home)


@app.command("list")
@exits_on_bad_input
def list_(as_json: bool = typer.Option(False, "--json", help="One JSON record per line instead of a table.")) -> None:
    """List model versions, oldest first; '*' marks the promoted one of its catalog."""
    registry = _registry()
    versions = registry.list()
    promoted = {registry.promoted(c) for c in {v.catalog.get("name", "") for v in versions} if c}
    if as_json:
        for v in versions:
            print(json.dumps({**v.to_dict(), "promoted": v.version in promoted}, ensure_ascii=False))
        return
    table = Table(title=f"{len(versions)} model versions", title_justify="left")
    for column in ("", "version", "engine", "catalog", "created", "dev WER", "dev top-1"):
        table.add_column(column)
    for v in versions:
        dev = v.metrics.get("dev") or {}
        table.add_row("*" if v.version in promoted else "", v.version, v.engine, v.catalog.get("name", ""),
                      datetime.fromtimestamp(v.created_at, UTC).strftime("%Y-%m-%d %H:%M"),
                      _num(dev.get("wer")), _num(dev.get("top1")))
    stdout_console().print(table)


@app.command("show")
@exits_on_bad_input
def show(version: str = typer.Argument(..., help="Version id (see: voxsearch models list).")) -> None:
    """Print a version's model.json (lineage, options, tuning, metrics) and every train run that built it.

    Version ids are content hashes, so a later training that builds the same content gets the same version:
    model.json keeps the first training's dev metrics, and `train_runs` lists each run (voxsearch runs)."""
    home = load_settings().home
    record = ModelRegistry(home).get(version).to_dict()
    record["train_runs"] = [run.run_id for run in list_runs(home, "train") if version in run.model_versions]
    print(json.dumps(record, indent=2, ensure_ascii=False))


@app.command("promote")
@exits_on_bad_input
def promote(
    version: str = typer.Argument(..., help="Version id to serve."),
    catalog: str = typer.Option(..., "--catalog", help="Catalog the version serves."),
) -> None:
    """Serve VERSION for CATALOG (files verified first); the previous version can be rolled back to."""
    record = _registry().promote(version, catalog)
    print(json.dumps({"catalog": catalog, "promoted": record.version}))


@app.command("rollback")
@exits_on_bad_input
def rollback(catalog: str = typer.Option(..., "--catalog", help="Catalog to roll back.")) -> None:
    """Go back to the version promoted before the current one (or to the unadapted engine)."""
    current = _registry().rollback(catalog)
    print(json.dumps({"catalog": catalog, "promoted": current}))


def _num(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else ""
