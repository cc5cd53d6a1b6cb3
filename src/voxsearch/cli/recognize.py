"""voxsearch recognize / search: one JSON object per line on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import Progress

from voxsearch.cli.common import EXIT_BAD_INPUT, exits_on_bad_input, load_settings, stderr
from voxsearch.config import Settings
from voxsearch.errors import AudioTooLarge, BadAudio, VoxsearchError
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogStore


@exits_on_bad_input
def recognize(
    files: list[Path] = typer.Argument(..., help="Audio files (WAV, FLAC, OGG; any rate, mono or stereo)."),
    catalog: str = typer.Option(None, "--catalog", help="Catalog to search (default: VOXSEARCH_CATALOG)."),
    engine: str = typer.Option(None, "--engine", help="whisper or pocketsphinx (default: VOXSEARCH_ENGINE__NAME)."),
    top_k: int = typer.Option(5, "--top-k", min=1, max=50),
) -> None:
    """Recognize each file and search the catalog; a file that fails gets an error line, and the exit code is 2."""
    settings = load_settings(engine=engine)
    name = catalog or settings.catalog
    index = CatalogStore(settings.home).open(name)
    with stderr.status(f"loading the model for {name}…"):
        pipeline = _pipeline(settings, name, engine)
    failures = 0
    with Progress(console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("recognizing", total=len(files))
        for path in files:
            try:
                answer = pipeline.recognize(_read_audio_file(path, settings.limits.max_bytes), index, top_k)
                line = answer.to_wire(file=str(path))
            except VoxsearchError as exc:
                failures += 1
                line = {"file": str(path), "error": {"code": exc.code, "message": exc.message}}
                print(f"voxsearch: error: {path}: {exc.message}", file=sys.stderr)
            print(json.dumps(line, ensure_ascii=False), flush=True)
            progress.advance(task)
    if failures:
        raise SystemExit(EXIT_BAD_INPUT)


@exits_on_bad_input
def search(
    text: str = typer.Argument(..., help="The query text."),
    catalog: str = typer.Option(None, "--catalog", help="Catalog to search (default: VOXSEARCH_CATALOG)."),
    top_k: int = typer.Option(5, "--top-k", min=1, max=50),
) -> None:
    """Search a catalog with typed text."""
    settings = load_settings()
    index = CatalogStore(settings.home).open(catalog or settings.catalog)
    hits = index.search(text, top_k=top_k)
    print(json.dumps({"query": text, "results": [h.to_wire() for h in hits]}, ensure_ascii=False))


def _pipeline(settings: Settings, catalog: str, engine: str | None) -> Pipeline:
    """The catalog's promoted model version if it has one (and no --engine was asked for), else the plain engine."""
    if not engine:
        from voxsearch.train.registry import ModelRegistry

        registry = ModelRegistry(settings.home)
        version = registry.promoted(catalog)
        if version:
            loaded = registry.load_engine(version, settings)
            return Pipeline.with_engine(loaded, settings)
    return Pipeline.from_settings(settings)


def _read_audio_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise AudioTooLarge(
                f"{path} is {size} bytes, over the {max_bytes}-byte limit; trim it or raise VOXSEARCH_LIMITS__MAX_BYTES"
            )
        return path.read_bytes()
    except OSError as exc:
        raise BadAudio(f"cannot read {path}: {exc.strerror or exc}; check the path") from exc
