"""`data standardize`: apply a data definition to a manifest and write a new dataset version.

Labels: the convention is applied; the text as given is kept as `text_raw`. Audio: converted to the
definition's rate, channels and WAV subtype; silence before and after the speech (VAD, refined to 10 ms)
cut or padded to exactly `pad_ms`; loudness set to `target_lufs` with the sample peak kept under
`peak_limit_dbfs`; mostly-silent or clipped clips flagged or dropped as the definition says. Broken
files and refused paths are recorded, never fatal. Inputs are only read.

Rerun safety: every output file is written atomically and each clip's result is recorded in a journal in
OUT/.partial/, keyed by the source bytes and the definition, so a run killed at any point and run again
finishes with the same bytes as one uninterrupted run (outputs do not depend on timing or process order;
only run.log has times).

Speed: clips go to the workers in batches that shrink towards the end, so the workers finish together;
each WAV is written (temp file, fsync, rename), then its record appended to the batch's journal, by a
writer thread while the next clip is computed; the audio folder is fsynced once at the end, with the
version's own files, written at once. One journal per batch, not a file per clip: creating files is what
the filesystem charges most for. Journals are not fsynced: a record is trusted only when its output's sha256
matches, so a record lost or torn by a kill or a power cut only means that clip is done again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from voxsearch.audio import clipped_fraction as measure_clipped
from voxsearch.audio import (
    decode_audio,
    encode_wav,
    loudness_lufs,
    normalize_loudness,
    peak_dbfs,
    prepare_for_asr,
    resample,
    to_mono,
)
from voxsearch.data.definition import (
    READ_LIMITS,
    AudioRules,
    DataDefinition,
    load_definition,
)
from voxsearch.data.manifest import (
    ManifestEntry,
    is_valid_utf8,
    json_safe,
    read_manifest,
    resolve_audio_path,
)
from voxsearch.data.parallel import (
    ProgressCallback,
    default_jobs,
    map_in_processes,
    worker_vad,
)
from voxsearch.data.speech_bounds import find_speech_bounds
from voxsearch.data.versions import (
    CHANGES,
    CHECKSUMS,
    DEFINITION,
    MANIFEST,
    PARTIAL_DIR,
    RUN_LOG,
    VERSION_FILE,
    checksums_listing,
    file_sha256,
    version_of,
)
from voxsearch.errors import DatasetError, VoxsearchError
from voxsearch.fileio import fsync_dir, write_atomic, write_text_atomic
from voxsearch.text.conventions import apply_convention
from voxsearch.types import Audio

logger = logging.getLogger(__name__)

__all__ = ["ClipOutcome", "StandardizeOptions", "StandardizeResult", "output_name", "standardize", "trim_to_pad"]

AUDIO_DIR = "audio"
_WRITERS = 4  # fsyncs in flight per worker: the disk groups them, the CPU computes the next clip meanwhile
_MAX_BATCH = 16  # clips per task sent to a worker (fewer towards the end: see _batches)


@dataclass(frozen=True)
class StandardizeOptions:
    jobs: int = field(default_factory=default_jobs)


@dataclass(frozen=True)
class ClipOutcome:
    audio: str  # the path as the manifest gives it
    status: str  # kept | flagged | dropped | broken | refused
    output: str | None = None  # audio/<name>.wav inside the version
    source_sha256: str | None = None
    sha256: str | None = None
    flags: tuple[str, ...] = ()
    reason: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}  # json_safe copies: no asdict deep copy
        row["flags"] = list(self.flags)
        return json_safe(row)


@dataclass(frozen=True)
class StandardizeResult:
    out_dir: Path
    version: str
    clips: tuple[ClipOutcome, ...]
    lines_in: int
    lines_out: int
    labels_changed: int
    definition: dict[str, Any]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for clip in self.clips:
            counts[clip.status] = counts.get(clip.status, 0) + 1
        return dict(sorted(counts.items()))


def output_name(audio: str) -> str:
    """A readable, collision-free file name for a source path: audio/<path with _>-<8 hex of its hash>.wav."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", str(PurePosixPath(audio).with_suffix("")))[-80:].strip("._") or "clip"
    return f"{AUDIO_DIR}/{stem}-{hashlib.sha256(audio.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}.wav"


def standardize(manifest_path: Path, out_dir: Path, definition: DataDefinition | None = None,
                options: StandardizeOptions | None = None, progress: ProgressCallback | None = None
                ) -> StandardizeResult:
    definition = definition or load_definition()
    options = options or StandardizeOptions()
    manifest = read_manifest(manifest_path)
    out_dir = Path(out_dir)
    _check_out_dir(out_dir, manifest.root, Path(manifest_path))
    (out_dir / PARTIAL_DIR).mkdir(parents=True, exist_ok=True)
    _remove_temp_files(out_dir)

    records = _read_journals(out_dir)
    tasks: list[Task] = [(audio, records.get(audio)) for audio in sorted({entry.audio for entry in manifest.entries})]
    texts: dict[str, str] = {}  # label as given -> under the convention, worked out while the workers run

    def log_start_and_apply_to_labels() -> None:
        _log(out_dir, f"start: {manifest_path} with definition {definition.convention.label} "
                      f"({definition.sha256[:12]})")
        for entry in manifest.entries:
            for label in entry.labels:
                if label.text not in texts and is_valid_utf8(label.text):
                    texts[label.text] = apply_convention(label.text, definition.convention)

    outcomes = _run_batches(tasks, manifest.root, definition, out_dir, options.jobs, progress,
                            log_start_and_apply_to_labels)
    by_audio = {o.audio: o for o in outcomes}

    lines, label_changes, dropped_lines = [], 0, []
    for entry in manifest.entries:
        line, changed, problem = _standard_line(entry, by_audio[entry.audio], texts)
        label_changes += changed
        if line is not None:
            lines.append(line)
        if problem:
            dropped_lines.append({"line": entry.line, "audio": entry.audio, "status": "line_dropped",
                                  "reason": problem})
    dropped_lines += [{"line": p.line, "status": "line_dropped", "reason": p.message} for p in manifest.problems]

    files: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.output and outcome.sha256:
            files[outcome.output] = outcome.sha256
    _prune_stale_audio(out_dir, set(files))
    contents = {
        MANIFEST: "".join(json.dumps(json_safe(line), ensure_ascii=False, sort_keys=False) + "\n" for line in lines),
        DEFINITION: definition.source_text,
        CHANGES: "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
                         for row in [o.to_dict() for o in outcomes] + sorted(dropped_lines, key=lambda r: r["line"])),
    }
    for name, text in contents.items():
        files[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    contents[CHECKSUMS] = checksums_listing(files)
    version_id = version_of(contents[CHECKSUMS])
    _write_together(out_dir, contents)
    summary = {
        "version": version_id,
        "definition": definition.describe(),
        "source_manifest": {"name": Path(manifest_path).name, "sha256": file_sha256(Path(manifest_path))},
        "lines": {"in": len(manifest.entries) + len(manifest.problems), "out": len(lines),
                  "dropped": len(dropped_lines)},
        "labels_changed": label_changes,
        "clips": _count(outcomes),
    }
    write_text_atomic(out_dir / VERSION_FILE, json.dumps(summary, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(out_dir / PARTIAL_DIR, ignore_errors=True)
    _log(out_dir, f"done: version {version_id}, clips {_count(outcomes)}")
    return StandardizeResult(out_dir=out_dir, version=version_id, clips=tuple(outcomes),
                             lines_in=summary["lines"]["in"], lines_out=len(lines), labels_changed=label_changes,
                             definition=definition.describe())


def trim_to_pad(audio: Audio, start_s: float, end_s: float, pad_ms: float) -> Audio:
    """Exactly `pad_ms` before `start_s` and after `end_s`: the clip is cut, or digital silence is added."""
    rate = audio.sample_rate
    pad = round(pad_ms * rate / 1000)
    start, end = round(start_s * rate), round(end_s * rate)
    first, last = start - pad, end + pad
    body = audio.samples[max(0, first): min(audio.frames, last)]
    lead, trail = max(0, -first), max(0, last - audio.frames)
    widths = [(lead, trail)] + [(0, 0)] * (audio.samples.ndim - 1)
    return Audio(samples=np.ascontiguousarray(np.pad(body, widths), dtype=np.float32), sample_rate=rate)


# the audio as the manifest gives it, its record from an earlier run (or None)
Task = tuple[str, dict[str, Any] | None]


def _run_batches(tasks: list[Task], root: Path, definition: DataDefinition, out_dir: Path, jobs: int,
                 progress: ProgressCallback | None, meanwhile: Callable[[], None] | None = None
                 ) -> list[ClipOutcome]:
    batches = _batches(tasks, jobs)
    done_after = list(itertools.accumulate(len(batch) for batch in batches))

    def batch_progress(done: int, _total: int) -> None:
        if progress:
            progress(done_after[done - 1], len(tasks))

    job = partial(_standardize_batch, root=str(root), rules=definition.audio, definition_sha=definition.sha256,
                  out_dir=str(out_dir))
    return [o for batch in map_in_processes(job, batches, jobs, batch_progress, meanwhile) for o in batch]


def _batches(tasks: list[Task], jobs: int) -> list[list[Task]]:
    """Consecutive batches of at most _MAX_BATCH tasks, each about 1/(2 * jobs) of the tasks still left:
    the last ones hold a clip or two, so the workers finish within a clip of each other."""
    batches, start = [], 0
    while start < len(tasks):
        size = max(1, min(_MAX_BATCH, -(-(len(tasks) - start) // (2 * max(1, jobs)))))
        batches.append(tasks[start:start + size])
        start += size
    return batches


def _standardize_batch(tasks: list[Task], root: str, rules: AudioRules, definition_sha: str, out_dir: str
                       ) -> list[ClipOutcome]:
    """The clips in order. Each new clip's files are written by a thread while the next clip is computed
    (file creations and renames wait for the fsyncs in flight: computing never does)."""
    out, base = Path(out_dir), Path(root)
    outcomes: list[ClipOutcome] = []
    writes: list[Future[None]] = []
    journal = _Journal(out / PARTIAL_DIR / f"{uuid.uuid4().hex}.jsonl")
    with journal, ThreadPoolExecutor(max_workers=_WRITERS, thread_name_prefix="standardize-write") as writer:
        for task in tasks:
            outcome, encoded, cached = _standardize_clip(task, base, rules, definition_sha, out)
            outcomes.append(outcome)
            if not cached:
                writes.append(writer.submit(_write_clip, out, outcome, encoded, definition_sha, journal))
        for write in writes:
            write.result()
    return outcomes


def _standardize_clip(task: Task, root: Path, rules: AudioRules, definition_sha: str, out: Path
                      ) -> tuple[ClipOutcome, bytes | None, bool]:
    """The clip's outcome, its WAV bytes when they are still to be written, and whether it was cached.
    The path is resolved here, in the worker: resolving is a few system calls per folder of the path."""
    audio, record = task
    try:
        data = resolve_audio_path(root, audio).read_bytes()
    except VoxsearchError as exc:
        return ClipOutcome(audio, "refused", reason=exc.message), None, False
    except OSError as exc:
        return ClipOutcome(audio, "broken", reason=f"audio {audio!r} cannot be read ({exc.strerror}); "
                                                   "add the file or remove its line"), None, False
    source_sha = hashlib.sha256(data).hexdigest()
    rel = output_name(audio)
    cached = _cached(record, out, source_sha, definition_sha) if record else None
    if cached is not None:
        return cached, None, True
    outcome, encoded = _process(audio, data, source_sha, rel, rules)
    return outcome, encoded, False


class _Journal:
    """One batch's records, a JSON line each, appended by the writer threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file: Any = None

    def __enter__(self) -> _Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    def append(self, row: dict[str, Any]) -> None:
        line = json.dumps(row, sort_keys=True) + "\n"
        with self._lock:
            if self._file is None:
                self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed on __exit__)
            self._file.write(line)
            self._file.flush()  # whole lines reach the file in order; a kill can only tear the last one


def _read_journals(out: Path) -> dict[str, dict[str, Any]]:
    """Every whole record left by earlier runs, by source audio path (the later one wins)."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((out / PARTIAL_DIR).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue  # torn by a kill
            if isinstance(row, dict) and isinstance(row.get("audio"), str):
                records[row["audio"]] = row
    return records


def _write_clip(out: Path, outcome: ClipOutcome, encoded: bytes | None, definition_sha: str,
                journal: _Journal) -> None:
    """The clip's WAV, then its record: a record never names an output that is not in place."""
    if encoded and outcome.output:
        _write_output(out / outcome.output, encoded)
    if outcome.source_sha256 is not None:  # read, so a rerun can find it by its bytes
        journal.append({"definition_sha256": definition_sha, **outcome.to_dict()})


def _write_output(target: Path, encoded: bytes) -> None:
    if not (target.is_file() and target.read_bytes() == encoded):
        write_atomic(target, encoded, sync_folder=False)  # the folder is fsynced once, at the end of the run


def _cached(record: dict[str, Any], out: Path, source_sha: str, definition_sha: str) -> ClipOutcome | None:
    """The recorded outcome when it is for these source bytes and this definition and its output is intact."""
    row = dict(record)
    if row.pop("definition_sha256", None) != definition_sha or row.get("source_sha256") != source_sha:
        return None
    output = row.get("output")
    if output and not ((out / output).is_file() and file_sha256(out / output) == row.get("sha256")):
        return None
    try:
        return ClipOutcome(**{**row, "flags": tuple(row.get("flags", ()))})
    except TypeError:  # a record from another voxsearch version
        return None


def _process(audio: str, data: bytes, source_sha: str, rel: str, rules: AudioRules
             ) -> tuple[ClipOutcome, bytes | None]:
    try:
        decoded = decode_audio(data, READ_LIMITS)
    except VoxsearchError as exc:
        return ClipOutcome(audio, "broken", source_sha256=source_sha, reason=exc.message), None
    changes: dict[str, Any] = {"sample_rate_hz": [decoded.sample_rate, rules.sample_rate_hz],
                               "channels": [decoded.channels, rules.channels]}
    clipped = measure_clipped(decoded)
    converted = _convert(decoded, rules)
    bounds = find_speech_bounds(prepare_for_asr(converted), worker_vad(rules.vad))
    speech_ms = round(bounds.speech_s * 1000, 1) if bounds else 0.0
    flags = []
    if speech_ms < rules.min_speech_ms:
        flags.append("mostly_silence")
    if clipped > rules.max_clipped_fraction:
        flags.append("clipped")
    changes.update(speech_ms=speech_ms, clipped_fraction=round(clipped, 6))
    actions = {"mostly_silence": rules.on_mostly_silence, "clipped": rules.on_clipped}
    dropping = [flag for flag in flags if actions[flag] == "drop"]
    if dropping:
        reason = f"{' and '.join(dropping)}: the definition drops such clips"
        return ClipOutcome(audio, "dropped", source_sha256=source_sha, flags=tuple(flags), reason=reason,
                           changes=changes), None
    if bounds is not None:
        duration_s = converted.duration_s
        changes["lead_silence_ms"] = [round(bounds.start_s * 1000, 1), rules.pad_ms]
        changes["trail_silence_ms"] = [round((duration_s - bounds.end_s) * 1000, 1), rules.pad_ms]
        converted = trim_to_pad(converted, bounds.start_s, bounds.end_s, rules.pad_ms)
    before = loudness_lufs(converted)
    normalized = normalize_loudness(converted, rules.target_lufs, rules.peak_limit_dbfs, measured_lufs=before)
    gain_db = _gain_db(converted, normalized)
    after = before + gain_db  # loudness scales with the gain: no second measurement needed
    changes["loudness_lufs"] = [_r(before), _r(after)]
    changes["gain_db"] = _r(gain_db)
    if np.isfinite(after) and after < rules.target_lufs - 0.5:
        changes["peak_limited"] = f"peak {_r(peak_dbfs(normalized))} dBFS kept loudness {_r(after)} LUFS"
    encoded = encode_wav(normalized, rules.subtype)
    return ClipOutcome(audio, "flagged" if flags else "kept", output=rel, source_sha256=source_sha,
                       sha256=hashlib.sha256(encoded).hexdigest(), flags=tuple(flags), changes=changes,
                       reason=f"{' and '.join(flags)} (kept: the definition flags such clips)" if flags else None), encoded


def _convert(audio: Audio, rules: AudioRules) -> Audio:
    mono = to_mono(audio)
    if rules.channels == 1:
        converted = mono
    elif audio.channels == rules.channels:
        converted = audio
    else:
        converted = Audio(samples=np.repeat(mono.samples[:, None], rules.channels, axis=1),
                          sample_rate=audio.sample_rate)
    return resample(converted, rules.sample_rate_hz)


def _standard_line(entry: ManifestEntry, outcome: ClipOutcome, texts: dict[str, str]
                   ) -> tuple[dict[str, Any] | None, int, str | None]:
    """The output line for one manifest line, how many labels changed, and why the line was left out.
    `texts` holds every valid UTF-8 label under the convention."""
    if outcome.status not in ("kept", "flagged"):
        return None, 0, f"clip {outcome.status}: {outcome.reason}"
    labels, problems = [], []
    for label in entry.labels:
        if not is_valid_utf8(label.text):
            problems.append(f"label by {label.annotator or 'unnamed'} is not UTF-8")
            continue
        text = texts[label.text]
        if not text:
            problems.append(f"label {label.text!r} is empty under the convention")
            continue
        labels.append((label, text))
    if not labels:
        return None, 0, "; ".join(problems) or "the line has no label"
    line: dict[str, Any] = {"audio": outcome.output}
    if entry.labels_field:
        line["labels"] = [{"annotator": lab.annotator, "text": text, "text_raw": lab.text} for lab, text in labels]
    else:
        label, text = labels[0]
        line["text"], line["text_raw"] = text, label.text
        if label.annotator:
            line["annotator"] = label.annotator
    line.update(entry.extra)
    line["source"] = entry.audio
    if outcome.flags:
        line["flags"] = list(outcome.flags)
    changed = sum(1 for lab, text in labels if lab.text != text)
    return line, changed, "; ".join(problems) or None


def _check_out_dir(out_dir: Path, root: Path, manifest_path: Path) -> None:
    out, source = out_dir.resolve(), root.resolve()
    if out == source or source.is_relative_to(out):
        raise DatasetError(f"output folder {str(out_dir)!r} holds the input manifest's folder {str(root)!r}; "
                           "write the new version to a separate folder, e.g. --out data-v2")
    if out_dir.exists() and any(out_dir.iterdir()):
        ours = (out_dir / VERSION_FILE).is_file() or (out_dir / PARTIAL_DIR).is_dir()
        if not ours:
            raise DatasetError(f"output folder {str(out_dir)!r} is not empty and is not a dataset version; "
                               "choose a new or empty folder")


def _write_together(out_dir: Path, contents: dict[str, str]) -> None:
    """Write the files at once (their fsyncs overlap), then make their renames and the clips' durable."""
    folders = [out_dir] + ([out_dir / AUDIO_DIR] if (out_dir / AUDIO_DIR).is_dir() else [])
    with ThreadPoolExecutor(max_workers=len(contents)) as pool:
        writes = [pool.submit(write_atomic, out_dir / name, text.encode("utf-8"), sync_folder=False)
                  for name, text in contents.items()]
        for write in writes:
            write.result()
    for folder in folders:
        fsync_dir(folder)


def _remove_temp_files(out_dir: Path) -> None:
    """Leftovers of atomic writes that a killed run never renamed."""
    for folder in (out_dir, out_dir / AUDIO_DIR, out_dir / PARTIAL_DIR):
        if folder.is_dir():
            for temp in folder.glob(".*.tmp"):
                temp.unlink(missing_ok=True)


def _prune_stale_audio(out_dir: Path, keep: set[str]) -> None:
    folder = out_dir / AUDIO_DIR
    if folder.is_dir():
        for path in folder.glob("*.wav"):
            if f"{AUDIO_DIR}/{path.name}" not in keep:
                path.unlink()


def _log(out_dir: Path, message: str) -> None:
    logger.info(message)
    with open(out_dir / RUN_LOG, "a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {message}\n")


def _count(outcomes: list[ClipOutcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return dict(sorted(counts.items()))


def _gain_db(before: Audio, after: Audio) -> float:
    peak_before, peak_after = float(np.max(np.abs(before.samples))), float(np.max(np.abs(after.samples)))
    return 20 * float(np.log10(peak_after / peak_before)) if peak_before > 0 and peak_after > 0 else 0.0


def _r(value: float) -> float:
    return round(float(value), 2)
