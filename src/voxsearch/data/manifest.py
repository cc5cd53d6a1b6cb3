"""Manifests (JSONL) as typed entries, with the path rules every data command shares.

One line is one utterance: {"audio": path relative to the manifest, "text": label, ...}. A clip labelled
by several people carries `labels: [{"annotator", "text"}]`, or appears on several lines each with an
`annotator`. Unknown fields are kept as they are (`extra`). A line that cannot be read becomes a
`ManifestProblem`, never an exception, so one bad line does not hide the rest of the data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from voxsearch.errors import DatasetError

__all__ = [
    "Label",
    "Manifest",
    "ManifestEntry",
    "ManifestProblem",
    "clips_by_audio",
    "is_valid_utf8",
    "read_manifest",
    "resolve_audio_path",
]

_KNOWN_FIELDS = ("audio", "text", "annotator", "labels")


@dataclass(frozen=True)
class Label:
    annotator: str
    text: str


@dataclass(frozen=True)
class ManifestEntry:
    line: int  # 1-based line number in the manifest
    audio: str
    labels: tuple[Label, ...]
    extra: dict[str, Any] = field(default_factory=dict)
    labels_field: bool = False  # the line used `labels: [...]` rather than `text`

    @property
    def text(self) -> str:
        return self.labels[0].text if self.labels else ""


@dataclass(frozen=True)
class ManifestProblem:
    line: int
    message: str


@dataclass(frozen=True)
class Manifest:
    path: Path
    entries: tuple[ManifestEntry, ...]
    problems: tuple[ManifestProblem, ...]

    @property
    def root(self) -> Path:
        return self.path.parent

    def labels(self) -> list[tuple[str, Label]]:
        """Every (audio, label) pair, in manifest order."""
        return [(entry.audio, label) for entry in self.entries for label in entry.labels]


def read_manifest(path: Path) -> Manifest:
    """Parse a JSONL manifest; unreadable lines become problems. Raises DatasetError if the file is missing."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DatasetError(f"manifest {str(path)!r} does not exist; pass the path of a .jsonl manifest") from exc
    except IsADirectoryError as exc:
        raise DatasetError(f"manifest {str(path)!r} is a folder; pass the .jsonl file inside it") from exc
    entries: list[ManifestEntry] = []
    problems: list[ManifestProblem] = []
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        # surrogateescape keeps undecodable bytes visible to the label checks instead of losing the line
        text = line.decode("utf-8", errors="surrogateescape")
        try:
            row = json.loads(text, parse_constant=_refuse_constant)
        except (json.JSONDecodeError, ValueError) as exc:
            problems.append(ManifestProblem(number, f"line {number} is not valid JSON ({exc}); fix or remove it"))
            continue
        entry = _entry(row, number, problems)
        if entry is not None:
            entries.append(entry)
    return Manifest(path=path, entries=tuple(entries), problems=tuple(problems))


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _entry(row: Any, number: int, problems: list[ManifestProblem]) -> ManifestEntry | None:
    if not isinstance(row, dict):
        problems.append(ManifestProblem(number, f"line {number} is a JSON {type(row).__name__}, not an object; "
                                                'write {"audio": ..., "text": ...}'))
        return None
    audio = row.get("audio")
    if not isinstance(audio, str) or not audio:
        problems.append(ManifestProblem(number, f"line {number} has audio={audio!r}; give the clip's path relative "
                                                "to the manifest as a string"))
        return None
    labels: list[Label] = []
    if isinstance(row.get("labels"), list):
        for index, item in enumerate(row["labels"]):
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                problems.append(ManifestProblem(number, f"line {number}: labels[{index}] = {item!r} is not "
                                                        '{"annotator": ..., "text": "..."}; fix it'))
                continue
            labels.append(Label(str(item.get("annotator") or f"#{index + 1}"), item["text"]))
    elif "labels" in row:
        problems.append(ManifestProblem(number, f"line {number}: labels must be a list of "
                                                '{"annotator", "text"} objects'))
    elif isinstance(row.get("text"), str):
        labels.append(Label(str(row.get("annotator") or ""), row["text"]))
    elif row.get("text") is not None:
        problems.append(ManifestProblem(number, f"line {number}: text={row['text']!r} is not a string; quote it"))
    extra = {k: v for k, v in row.items() if k not in _KNOWN_FIELDS}
    return ManifestEntry(line=number, audio=audio, labels=tuple(labels), extra=extra,
                         labels_field="labels" in row)


def clips_by_audio(manifest: Manifest) -> dict[str, list[Label]]:
    """All labels of each clip (lines naming the same audio path are merged), in manifest order."""
    clips: dict[str, list[Label]] = {}
    for entry in manifest.entries:
        clips.setdefault(_normal_key(entry.audio), []).extend(entry.labels)
    return clips


def _normal_key(audio: str) -> str:
    parts = [p for p in PurePosixPath(audio).parts if p not in (".", "")]
    return "/".join(parts)


def resolve_audio_path(root: Path, audio: str) -> Path:
    """The file `audio` names inside `root`; refuses paths that are absolute or lead outside `root`."""
    if "\x00" in audio or not is_valid_utf8(audio):
        raise DatasetError(f"audio path {audio!r} holds a NUL or non-UTF-8 byte; rename the file")
    if audio.startswith(("/", "\\", "~")) or (len(audio) > 1 and audio[1] == ":") or "\\" in audio:
        raise DatasetError(f"audio path {audio!r} is absolute or uses backslashes; write it relative to the "
                           "manifest's folder with forward slashes, e.g. audio/clip.wav")
    if ".." in PurePosixPath(audio).parts:
        raise DatasetError(f"audio path {audio!r} climbs out with '..'; keep the clip inside the manifest's folder")
    base = root.resolve()
    target = (base / audio).resolve()
    if not target.is_relative_to(base):
        raise DatasetError(f"audio path {audio!r} leads outside the manifest's folder {str(base)!r} "
                           "(through a symbolic link); copy the clip into the folder")
    return target


def is_valid_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_safe(value: Any) -> Any:
    """NaN and infinities as null (strict JSON), recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
