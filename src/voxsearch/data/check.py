"""`data check`: validate every clip and label of a manifest against the data definition.

Errors (the data cannot be used as it is): unreadable lines, unsafe or missing paths, undecodable or empty
audio, NaN/Inf samples, empty / non-UTF-8 / control-character labels, the same audio (content hash) under
different labels. Warnings (usable, but off the definition): rate, channels, clipping, loudness far from
the target, long silences, mostly silence, low SNR. Measured silences use the definition's VAD, refined
to 10 ms (`speech_bounds`), the same measure `data standardize` trims with.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from voxsearch.audio import load_audio
from voxsearch.data.definition import READ_LIMITS, DataDefinition, load_definition
from voxsearch.data.manifest import is_valid_utf8, json_safe, read_manifest, resolve_audio_path
from voxsearch.data.measure import ClipLevels, measure_clip
from voxsearch.data.parallel import ProgressCallback, default_jobs, map_in_processes, worker_vad
from voxsearch.errors import VoxsearchError
from voxsearch.text.conventions import apply_convention

logger = logging.getLogger(__name__)

__all__ = ["CheckOptions", "CheckReport", "ClipCheck", "Issue", "check_manifest", "READ_LIMITS"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class CheckOptions:
    jobs: int = field(default_factory=default_jobs)
    long_silence_ms: float = 1000.0  # lead or trail beyond this: warning
    loudness_tolerance_lu: float = 10.0  # this far from the target: warning
    min_snr_db: float = 10.0


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" | "warning"
    code: str
    message: str
    line: int | None = None
    audio: str | None = None


@dataclass(frozen=True)
class ClipCheck:
    audio: str
    lines: tuple[int, ...]
    sha256: str | None
    levels: ClipLevels | None
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class CheckReport:
    manifest: str
    definition: dict[str, Any]
    clips: tuple[ClipCheck, ...]
    issues: tuple[Issue, ...]  # every issue: manifest lines, labels, clips, duplicates
    labels: int

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def counts_by_code(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for issue in self.issues:
            counts[f"{issue.severity}:{issue.code}"] += 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        return json_safe({
            "manifest": self.manifest, "definition": self.definition, "labels": self.labels,
            "summary": {"clips": len(self.clips), "errors": len(self.errors), "warnings": len(self.warnings),
                        "by_code": self.counts_by_code()},
            "issues": [asdict(i) for i in self.issues],
            "clips": [{"audio": c.audio, "lines": list(c.lines), "sha256": c.sha256,
                       "levels": asdict(c.levels) if c.levels else None,
                       "issues": [i.code for i in c.issues]} for c in self.clips],
        })


def check_manifest(manifest_path: Path, definition: DataDefinition | None = None,
                   options: CheckOptions | None = None, progress: ProgressCallback | None = None) -> CheckReport:
    definition = definition or load_definition()
    options = options or CheckOptions()
    manifest = read_manifest(manifest_path)
    issues: list[Issue] = [Issue("error", "manifest_line", p.message, line=p.line) for p in manifest.problems]
    lines_by_audio: dict[str, list[int]] = defaultdict(list)
    for entry in manifest.entries:
        lines_by_audio[entry.audio].append(entry.line)
        issues.extend(_label_issues(entry.audio, entry.line, [lab.text for lab in entry.labels]))
    targets: list[tuple[str, str | None, str | None]] = []  # (audio, resolved path, refusal)
    for audio in sorted(lines_by_audio):
        try:
            targets.append((audio, str(resolve_audio_path(manifest.root, audio)), None))
        except VoxsearchError as exc:
            targets.append((audio, None, exc.message))
    job = partial(_check_clip, vad_name=definition.audio.vad)
    results = map_in_processes(job, [(a, p, r) for a, p, r in targets], options.jobs, progress)
    clips = []
    for (audio, _, _), (sha, levels, clip_issues) in zip(targets, results, strict=True):
        clip_issues = clip_issues + _level_issues(audio, levels, definition, options)
        clips.append(ClipCheck(audio, tuple(lines_by_audio[audio]), sha, levels, tuple(clip_issues)))
        issues.extend(clip_issues)
    issues.extend(_duplicate_issues(manifest, clips, definition))
    return CheckReport(manifest=str(manifest_path), definition=definition.describe(), clips=tuple(clips),
                       issues=tuple(issues), labels=len(manifest.labels()))


def _check_clip(target: tuple[str, str | None, str | None], vad_name: str
                ) -> tuple[str | None, ClipLevels | None, list[Issue]]:
    audio, path, refusal = target
    if refusal is not None:
        return None, None, [Issue("error", "unsafe_path", refusal, audio=audio)]
    assert path is not None
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None, None, [Issue("error", "missing_file", f"audio {audio!r} does not exist next to the manifest; "
                                                            "add the file or remove its line", audio=audio)]
    except OSError as exc:
        return None, None, [Issue("error", "unreadable", f"audio {audio!r} cannot be read ({exc.strerror})",
                                  audio=audio)]
    sha = hashlib.sha256(data).hexdigest()
    try:
        decoded = load_audio(path, READ_LIMITS)
    except VoxsearchError as exc:
        code = "nan_inf" if "NaN" in exc.message else "empty_audio" if "no sample frames" in exc.message \
            else "undecodable"
        return sha, None, [Issue("error", code, f"audio {audio!r}: {exc.message}", audio=audio)]
    return sha, measure_clip(decoded, worker_vad(vad_name)), []


def _label_issues(audio: str, line: int, texts: list[str]) -> list[Issue]:
    issues = []
    if not texts:
        issues.append(Issue("error", "empty_label", f"line {line} ({audio!r}) has no label; add \"text\"",
                            line=line, audio=audio))
    for text in texts:
        if not is_valid_utf8(text):
            issues.append(Issue("error", "non_utf8_label", f"line {line}: label {text!r} holds bytes that are not "
                                                           "UTF-8; re-export the labels as UTF-8", line=line, audio=audio))
        elif not text.strip():
            issues.append(Issue("error", "empty_label", f"line {line} ({audio!r}) has an empty label; transcribe "
                                                        "the clip or remove the line", line=line, audio=audio))
        if _CONTROL.search(text):
            found = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)})
            issues.append(Issue("error", "control_chars", f"line {line}: label {text!r} holds control characters "
                                                          f"{found}; remove them", line=line, audio=audio))
    return issues


def _level_issues(audio: str, levels: ClipLevels | None, definition: DataDefinition,
                  options: CheckOptions) -> list[Issue]:
    if levels is None:
        return []
    rules, found = definition.audio, []

    def warn(code: str, message: str) -> None:
        found.append(Issue("warning", code, f"audio {audio!r}: {message}", audio=audio))

    if levels.sample_rate != rules.sample_rate_hz:
        warn("sample_rate", f"{levels.sample_rate} Hz, the definition says {rules.sample_rate_hz} Hz")
    if levels.channels != rules.channels:
        warn("channels", f"{levels.channels} channels, the definition says {rules.channels}")
    if levels.clipped_fraction > rules.max_clipped_fraction:
        warn("clipped", f"{100 * levels.clipped_fraction:.2f}% of samples at full scale "
                        f"(limit {100 * rules.max_clipped_fraction:.2f}%)")
    if levels.speech_ms < rules.min_speech_ms:
        warn("mostly_silence", f"{levels.speech_ms:.0f} ms of speech found (minimum {rules.min_speech_ms:.0f} ms)")
    if abs(levels.loudness_lufs - rules.target_lufs) > options.loudness_tolerance_lu:
        warn("loudness", f"{levels.loudness_lufs:.1f} LUFS, {options.loudness_tolerance_lu:g}+ LU from the "
                         f"{rules.target_lufs:g} LUFS target")
    for name, value in (("leading", levels.lead_silence_ms), ("trailing", levels.trail_silence_ms)):
        if value is not None and value > options.long_silence_ms:
            warn("long_silence", f"{value:.0f} ms of {name} silence (pad is {rules.pad_ms:g} ms)")
    if levels.snr_db is not None and levels.snr_db < options.min_snr_db:
        warn("low_snr", f"estimated SNR {levels.snr_db:.1f} dB (below {options.min_snr_db:g} dB)")
    return found


def _duplicate_issues(manifest, clips: list[ClipCheck], definition: DataDefinition) -> list[Issue]:
    """The same audio bytes under two paths whose labels differ (after the convention)."""
    labels_by_audio: dict[str, set[str]] = defaultdict(set)
    for entry in manifest.entries:
        labels_by_audio[entry.audio] |= {apply_convention(lab.text, definition.convention) for lab in entry.labels
                                         if is_valid_utf8(lab.text)}
    by_hash: dict[str, list[str]] = defaultdict(list)
    for clip in clips:
        if clip.sha256:
            by_hash[clip.sha256].append(clip.audio)
    issues = []
    for sha, audios in sorted(by_hash.items()):
        label_sets = {frozenset(labels_by_audio[a]) for a in audios}
        if len(audios) > 1 and len(label_sets) > 1:
            issues.append(Issue("error", "duplicate_audio", f"the same audio (sha256 {sha[:12]}) is {audios} with "
                                f"different labels {sorted(sorted(s) for s in label_sets)}; keep one label",
                                audio=audios[0]))
    return issues
