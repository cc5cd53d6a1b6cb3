"""voxsearch train: adapt an engine to a catalog and store the result as a model version."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from voxsearch.cli.common import exits_on_bad_input, load_settings, stderr
from voxsearch.train.train import TrainOptions, train_model


@exits_on_bad_input
def train(
    catalog: str = typer.Option(..., "--catalog", help="Imported catalog to adapt to."),
    engine: str = typer.Option("auto", "--engine",
                               help="Engine to adapt: pocketsphinx, whisper, hybrid (pocketsphinx's catalog LM for "
                               "catalog queries, Whisper for the rest; trains all three), or auto (all three on the "
                               "same dev set; the best dev top-1 that keeps out-of-domain WER is kept)."),
    data: Path = typer.Option(None, "--data", help="Manifest: split=train transcripts feed the LM, split=dev tunes."),
    synth_dev: bool = typer.Option(True, "--synth-dev/--no-synth-dev",
                                   help="Without --data, tune on a dev set synthesized from the catalog."),
    queries: Path = typer.Option(None, "--queries", help="Request log (JSONL with a transcript per line) for the LM."),
    promote: bool = typer.Option(False, "--promote", help="Promote the new version for the catalog."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1,
                             help="Processes decoding the dev clips (default: every core; results are the same)."),
    whisper_model: list[str] = typer.Option(None, "--whisper-model",
                                            help="Whisper for the whisper and hybrid engines: tiny.en (default), "
                                            "base (whisper-base extra; twice the decoding time) or a CTranslate2 "
                                            "folder. Repeat it to train each and let the dev set pick. The "
                                            "version keeps it."),
) -> None:
    """Build a catalog-aware model version, tune it on dev data, and print its summary as JSON."""
    settings = load_settings()
    if whisper_model and len(whisper_model) == 1:
        settings = settings.with_engine(whisper_model=whisper_model[0])
    options = TrainOptions(catalog=catalog, engine=engine, data=data, queries=queries, promote=promote,
                           synthesize_dev=synth_dev, jobs=jobs,
                           whisper_models=tuple(whisper_model) if whisper_model and len(whisper_model) > 1 else None)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        current: list[int] = []

        def stage(description: str, total: int | None) -> Callable[[], None]:
            if current:
                progress.update(current[-1], completed=progress.tasks[-1].total or 1, total=progress.tasks[-1].total or 1)
            task = progress.add_task(description, total=total)
            current.append(task)
            return lambda: progress.advance(task)

        result = train_model(options, settings, stage)
    print(json.dumps({"version": result.version.version, "engine": result.version.engine, "promoted": result.promoted, "run_id": result.run_id,
                      "wall_time_s": round(result.wall_time_s, 1), "engine_options": result.version.engine_options,
                      "metrics": result.metrics}, ensure_ascii=False))
