"""python -m bench [--manifest PATH] [--engines whisper,pocketsphinx] [--sections serving,adaptation]
[--out reports/bench.json] [--quick]"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.options import DEFAULT_MANIFEST, SECTIONS, BenchOptions
from bench.run import run_bench
from bench.table import render_adaptation_table, render_table
from voxsearch.asr import ENGINE_NAMES


def parse_options(argv: list[str] | None = None) -> BenchOptions:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--manifest", type=Path, default=DEFAULT_MANIFEST,
        help=f"JSONL manifest of clips (default {DEFAULT_MANIFEST}; a bigger one: corpus/manifest.jsonl)",
    )
    parser.add_argument("--engines", default=",".join(ENGINE_NAMES), help="comma-separated engines to compare")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS),
        help="comma-separated sections to run: serving (direct decoding, servers, search, against the raw "
        "reference), adaptation (unadapted vs a version trained for the demo catalog, train wall time)",
    )
    parser.add_argument("--out", type=Path, default=Path("reports/bench.json"), help="where to write the JSON report")
    parser.add_argument("--quick", action="store_true", help="a small diverse subset of clips, one search round")
    parser.add_argument("--max-clips", type=int, default=None, help="benchmark at most this many clips")
    parser.add_argument("--split", default=None, help="only clips tagged split=SPLIT (e.g. test)")
    args = parser.parse_args(argv)
    engines = tuple(e.strip().lower() for e in args.engines.split(",") if e.strip())
    unknown = [e for e in engines if e not in ENGINE_NAMES]
    if not engines or unknown:
        parser.error(f"--engines {args.engines!r}: use a comma-separated list of {', '.join(ENGINE_NAMES)}")
    sections = tuple(s.strip().lower() for s in args.sections.split(",") if s.strip())
    if not sections or any(s not in SECTIONS for s in sections):
        parser.error(f"--sections {args.sections!r}: use a comma-separated list of {', '.join(SECTIONS)}")
    common = {"manifest": args.manifest, "engines": engines, "sections": sections, "out": args.out,
              "split": args.split}
    if args.max_clips is not None:
        common["max_clips"] = args.max_clips
    return BenchOptions.quick(**common) if args.quick else BenchOptions(**common)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    err = Console(stderr=True)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", handlers=[RichHandler(console=err)])
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        report = run_bench(options, progress)
    out = Console()
    out.width = max(out.width, 132)  # the table stays readable when piped (make bench | tee)
    if report.engines:
        out.print(render_table(report))
    if report.adaptation:
        out.print(render_adaptation_table(report))
    data = report.to_json_dict()
    data["meta"]["wall_s"] = round(time.perf_counter() - started, 1)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    best = data["best_top1_engine"] or "–"
    err.print(f"wrote {options.out} in {data['meta']['wall_s']} s; best top-1 engine: {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
