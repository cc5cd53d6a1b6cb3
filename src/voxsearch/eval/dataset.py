"""The evaluation set: a manifest's utterances with their audio checked, references and extra labels."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from voxsearch.data.manifest import read_manifest, resolve_audio_path
from voxsearch.errors import DatasetError

_MAX_PROBLEMS_SHOWN = 3


@dataclass(frozen=True)
class EvalItem:
    line: int  # 1-based line in the manifest
    audio: str  # as written in the manifest
    path: Path  # resolved audio file
    reference: str  # the first label: what the model is scored against
    labels: tuple[tuple[str, str], ...]  # (annotator, text) of every label, the reference included
    expected: tuple[str, ...]
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def in_domain(self) -> bool:
        """Counts for the search hit rate: has catalog answers and is not tagged out-of-domain."""
        return bool(self.expected) and self.tags.get("domain", "in") != "out"


@dataclass(frozen=True)
class EvalSet:
    manifest: Path
    sha256: str  # of the manifest bytes: the data version of this evaluation
    items: tuple[EvalItem, ...]


def load_eval_set(manifest: Path) -> EvalSet:
    """Read and check a manifest; DatasetError naming the line for bad JSON, bad paths or missing audio."""
    parsed = read_manifest(Path(manifest))
    if parsed.problems:
        shown = "; ".join(p.message for p in parsed.problems[:_MAX_PROBLEMS_SHOWN])
        more = len(parsed.problems) - _MAX_PROBLEMS_SHOWN
        raise DatasetError(f"{parsed.path}: {shown}" + (f" (and {more} more problems)" if more > 0 else ""))
    items = []
    for entry in parsed.entries:
        try:
            path = resolve_audio_path(parsed.root, entry.audio)
        except DatasetError as exc:
            raise DatasetError(f"{parsed.path} line {entry.line}: {exc.message}") from exc
        if not path.is_file():
            raise DatasetError(f"{parsed.path} line {entry.line}: audio {entry.audio!r} does not exist "
                               f"(looked for {str(path)!r}); fix the path or remove the line")
        if not entry.labels:
            raise DatasetError(f"{parsed.path} line {entry.line}: no reference text; add \"text\" (or \"labels\")")
        items.append(EvalItem(
            line=entry.line, audio=entry.audio, path=path, reference=entry.text,
            labels=tuple((label.annotator, label.text) for label in entry.labels),
            expected=_ids(entry.extra.get("expected"), parsed.path, entry.line),
            tags=_tags(entry.extra.get("tags"), parsed.path, entry.line),
        ))
    if not items:
        raise DatasetError(f"manifest {str(parsed.path)!r} has no utterances; add one JSON object per line")
    digest = hashlib.sha256(parsed.path.read_bytes()).hexdigest()
    return EvalSet(manifest=parsed.path, sha256=digest, items=tuple(items))


def _ids(value: object, path: Path, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise DatasetError(f"{path} line {line}: expected={value!r} is not a list of catalog ids; "
                           'write e.g. "expected": ["city:3936456"]')
    return tuple(str(v) for v in value)


def _tags(value: object, path: Path, line: int) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DatasetError(f"{path} line {line}: tags={value!r} is not an object; write e.g. "
                           '"tags": {"noise": "babble"}')
    return {str(k): str(v) for k, v in value.items()}
