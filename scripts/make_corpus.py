"""Synthesize the spoken test corpus for the demo catalog (thin CLI over voxsearch.data.synth).

    python scripts/make_corpus.py --out corpus/                 # full corpus: corpus/manifest.jsonl + audio/
    python scripts/make_corpus.py --subset tests/data/corpus    # the small committed fixture set

Needs flite, festival + festvox-us-slt-hts, espeak-ng (apt) and hibari-tts (pip).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from voxsearch.data.synth import CorpusOptions, plan_corpus, plan_subset, write_corpus
from voxsearch.data.voices import VOICES
from voxsearch.errors import VoxsearchError
from voxsearch.search.demo import build_demo_catalog

app = typer.Typer(add_completion=False)
logger = logging.getLogger("make_corpus")


@app.command()
def main(
    out: Optional[Path] = typer.Option(None, help="Folder of the full corpus (manifest.jsonl + audio/)."),
    subset: Optional[Path] = typer.Option(None, help="Folder of the small committed subset instead."),
    seed: int = typer.Option(1234, help="Same seed, same bytes."),
    jobs: int = typer.Option(2, min=1, help="Clips synthesized in parallel."),
    voices: str = typer.Option(",".join(v.name for v in VOICES), help="Comma-separated voice names."),
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", handlers=[RichHandler(show_path=False)])
    if (out is None) == (subset is None):
        raise typer.BadParameter("give exactly one of --out DIR (full corpus) or --subset DIR (test fixtures)")
    options = CorpusOptions(seed=seed, jobs=jobs, voices=tuple(v.strip() for v in voices.split(",") if v.strip()))
    started = time.perf_counter()
    try:
        catalog = build_demo_catalog()
        plan = plan_subset(catalog, options) if subset is not None else plan_corpus(catalog, options)
        target = subset if subset is not None else out
        columns = (TextColumn("synthesizing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns) as progress:
            task = progress.add_task("clips", total=len(plan.clips))
            result = write_corpus(plan, target, lambda done, total: progress.update(task, completed=done))
    except VoxsearchError as e:
        logger.error("%s", e.message)
        sys.exit(1)
    logger.info(
        "%d clips of %d queries by %d voices (%s), %.1f MB, %d unchanged, in %.1f s -> %s",
        result.clips, result.queries, len(result.voices), ", ".join(result.voices),
        result.bytes_written / 1e6, result.files_unchanged, time.perf_counter() - started, result.manifest,
    )


if __name__ == "__main__":
    app()
