"""`voxsearch data ...`: conventions, agreement, check, standardize, diff (thin wrappers over voxsearch.data).

What only one command uses is imported in that command, so `data standardize` starts without the others'
(nor the progress bar's, when stderr is not a terminal: there is no bar to draw then).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from voxsearch.cli.common import exits_on_bad_input, load_settings, stdout_console
from voxsearch.data.definition import load_definition
from voxsearch.data.manifest import is_valid_utf8, json_safe, read_manifest
from voxsearch.data.parallel import ProgressCallback, default_jobs
from voxsearch.data.standardize import StandardizeOptions, standardize
from voxsearch.fileio import write_text_atomic
from voxsearch.text.conventions import default_definition_path

if TYPE_CHECKING:
    from voxsearch.text.detect import LabelRecord

app = typer.Typer(help="Data definition: label conventions, checks, standardized dataset versions.",
                  no_args_is_help=True)
conventions_app = typer.Typer(help="The labelling convention: show it, detect what labels follow.",
                              no_args_is_help=True)
app.add_typer(conventions_app, name="conventions")
console = stdout_console()
stderr = Console(stderr=True)

DEFINITION = typer.Option(None, "--definition", "-d", help="Definition TOML (default: the one shipped).")
JOBS = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: up to 2).")


@contextmanager
def _progress(label: str) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr when it is a terminal; None (no callback) otherwise."""
    if not stderr.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # refreshed from this thread on each update: no refresh thread is running when workers are forked
    with Progress(*columns, console=stderr, transient=True, auto_refresh=False) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, refresh=True)

        yield update


def _records(manifest_path: Path) -> list[LabelRecord]:
    from voxsearch.text.detect import LabelRecord

    manifest = read_manifest(manifest_path)
    return [LabelRecord(audio, label.annotator or "(none)", label.text)
            for audio, label in manifest.labels() if is_valid_utf8(label.text)]


@conventions_app.command("show")
@exits_on_bad_input
def show_convention(definition: Path = DEFINITION) -> None:
    """Print the definition file (the shipped default without --definition)."""
    sys.stdout.write((definition or default_definition_path()).read_text(encoding="utf-8"))


@conventions_app.command("detect")
@exits_on_bad_input
def detect(manifest: Path = typer.Argument(..., help="JSONL manifest."), definition: Path = DEFINITION,
           json_out: Path = typer.Option(None, "--json", help="Also write the result as JSON here."),
           groups: int = typer.Option(10, help="Convention-only groups to print.")) -> None:
    """Which conventions the labels follow, how mixed they are, per annotator."""
    from voxsearch.text.agreement import measure_agreement
    from voxsearch.text.detect import detect_conventions

    convention = load_definition(definition).convention
    records = _records(manifest)
    result = detect_conventions(records, convention)
    agreement = measure_agreement(records, convention)
    console.print(f"[bold]{result.labels} labels[/bold]; {result.follows} already follow {result.convention}")
    for mix in result.overall:
        console.print("  " + mix.describe())
    for annotator, mixes in result.by_annotator.items():
        console.print(f"[bold]annotator {annotator}[/bold]")
        for mix in mixes:
            if mix.applicable:
                console.print("  " + mix.describe())
    console.print(f"[bold]{len(result.groups)} groups of labels differ only by convention[/bold]")
    for group in result.groups[:groups]:
        console.print(f"  {group.canonical!r} <- {list(group.variants)}")
    _print_agreement(agreement)
    if json_out:
        write_text_atomic(json_out, json.dumps(json_safe({"detect": asdict(result), "agreement": asdict(agreement)}),
                                               indent=1, ensure_ascii=False) + "\n")


@app.command("agreement")
@exits_on_bad_input
def agreement(manifest: Path = typer.Argument(..., help="JSONL manifest with several labels per clip."),
              definition: Path = DEFINITION, show: int = typer.Option(20, help="Disagreements to list per kind.")
              ) -> None:
    """Inter-annotator agreement (pairwise WER before/after the convention) and the disagreements."""
    from voxsearch.text.agreement import measure_agreement

    result = measure_agreement(_records(manifest), load_definition(definition).convention)
    _print_agreement(result)
    for kind, items in (("convention only", result.convention_only), ("content", result.content)):
        console.print(f"[bold]{len(items)} disagreements: {kind}[/bold]")
        for item in items[:show]:
            console.print(f"  {item.clip} {item.annotators[0]}={item.texts[0]!r} {item.annotators[1]}={item.texts[1]!r}")


def _print_agreement(result) -> None:
    if not result.pairs:
        console.print("agreement: no clip has two labels or more")
        return
    console.print(f"[bold]agreement[/bold] over {result.clips} clips, {result.pairs} label pairs: pairwise WER "
                  f"{100 * result.wer_before:.1f}% as written, {100 * result.wer_after:.1f}% after the convention "
                  f"(human-level estimate); disagreements: {len(result.convention_only)} convention only, "
                  f"{len(result.content)} content")


@app.command("check")
@exits_on_bad_input
def check(manifest: Path = typer.Argument(..., help="JSONL manifest."), definition: Path = DEFINITION,
          json_out: Path = typer.Option(Path("data-check.json"), "--json", help="JSON report."),
          html_out: Path = typer.Option(Path("data-check.html"), "--html", help="HTML report with histograms."),
          jobs: int = JOBS) -> None:
    """Validate every clip and label; exit code 1 when errors are found."""
    from rich.table import Table

    from voxsearch.data.check import CheckOptions, check_manifest
    from voxsearch.data.report_html import render_check_html

    options = CheckOptions(jobs=jobs or default_jobs())
    with _progress("checking") as progress:
        report = check_manifest(manifest, load_definition(definition), options, progress)
    table = Table(title=f"data check: {manifest}")
    for column in ("severity", "code", "count"):
        table.add_column(column)
    for key, count in report.counts_by_code().items():
        severity, code = key.split(":")
        table.add_row(severity, code, str(count))
    console.print(table)
    for issue in report.errors[:30]:
        console.print(f"[red]error[/red] {issue.code}: {issue.message}", markup=True, highlight=False)
    write_text_atomic(json_out, json.dumps(report.to_dict(), indent=1, ensure_ascii=False) + "\n")
    write_text_atomic(html_out, render_check_html(report))
    console.print(f"{len(report.clips)} clips, {len(report.errors)} errors, {len(report.warnings)} warnings; "
                  f"reports: {json_out}, {html_out}")
    if report.errors:
        raise typer.Exit(1)


@app.command("standardize")
@exits_on_bad_input
def standardize_command(manifest: Path = typer.Argument(..., help="JSONL manifest."), definition: Path = DEFINITION,
                        out: Path = typer.Option(None, "--out", "-o", help="Folder of the new dataset version "
                                                 "(default: VOXSEARCH_HOME/datasets/<manifest folder>/<version>)."),
                        jobs: int = JOBS) -> None:
    """Apply the definition: a new dataset version (inputs are never modified)."""
    rules, options = load_definition(definition), StandardizeOptions(jobs=jobs or default_jobs())
    with _progress("standardizing") as progress:
        if out is None:
            from voxsearch.data.placement import standardize_to_home

            result = standardize_to_home(manifest, load_settings().home, rules, options, progress)
        else:
            result = standardize(manifest, out, rules, options, progress)
    console.print(f"version [bold]{result.version}[/bold] in {result.out_dir}: clips {result.counts()}, "
                  f"lines {result.lines_in} -> {result.lines_out}, {result.labels_changed} labels rewritten")
    for clip in result.clips:
        if clip.status in ("broken", "refused", "dropped"):
            console.print(f"  {clip.status}: {clip.audio}: {clip.reason}", highlight=False)


@app.command("diff")
@exits_on_bad_input
def diff(old: Path = typer.Argument(..., help="Dataset version folder or manifest."),
         new: Path = typer.Argument(..., help="Dataset version folder or manifest."),
         show: int = typer.Option(20, help="Items to list per kind.")) -> None:
    """Clips added, removed or changed and labels changed between two versions."""
    from voxsearch.data.diff import diff_datasets

    result = diff_datasets(old, new)
    console.print(f"added {len(result.added)}, removed {len(result.removed)}, audio changed "
                  f"{len(result.audio_changed)}, labels changed {len(result.labels_changed)}, "
                  f"unchanged {result.unchanged}")
    for kind, items in (("added", result.added), ("removed", result.removed), ("audio changed", result.audio_changed)):
        for item in items[:show]:
            console.print(f"  {kind}: {item}", highlight=False)
    for clip, before, after in result.labels_changed[:show]:
        console.print(f"  labels changed: {clip}: {list(before)} -> {list(after)}", highlight=False)
