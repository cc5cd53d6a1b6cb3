"""`data diff`: what changed between two dataset versions (or any two manifests): clips and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from voxsearch.data.manifest import Manifest, read_manifest, resolve_audio_path
from voxsearch.data.versions import CHECKSUMS, MANIFEST, file_sha256
from voxsearch.errors import DatasetError, VoxsearchError

__all__ = ["DatasetDiff", "diff_datasets"]


@dataclass(frozen=True)
class DatasetDiff:
    old: str
    new: str
    added: tuple[str, ...] = ()  # clips (keyed by source path) only in `new`
    removed: tuple[str, ...] = ()
    audio_changed: tuple[str, ...] = ()  # same clip, different bytes
    labels_changed: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = field(default_factory=tuple)
    unchanged: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.audio_changed or self.labels_changed)


def diff_datasets(old: Path, new: Path) -> DatasetDiff:
    """Compare two versions (folders) or manifests; clips are matched by their source path."""
    old_clips, new_clips = _clips(Path(old)), _clips(Path(new))
    shared = sorted(set(old_clips) & set(new_clips))
    audio_changed = tuple(k for k in shared if old_clips[k][0] != new_clips[k][0])
    labels_changed = tuple((k, old_clips[k][1], new_clips[k][1]) for k in shared if old_clips[k][1] != new_clips[k][1])
    touched = set(audio_changed) | {k for k, _, _ in labels_changed}
    return DatasetDiff(old=str(old), new=str(new), added=tuple(sorted(set(new_clips) - set(old_clips))),
                       removed=tuple(sorted(set(old_clips) - set(new_clips))), audio_changed=audio_changed,
                       labels_changed=labels_changed, unchanged=len([k for k in shared if k not in touched]))


def _clips(path: Path) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """source path -> (audio sha256, sorted labels)."""
    manifest_path = path / MANIFEST if path.is_dir() else path
    if not manifest_path.is_file():
        raise DatasetError(f"{str(path)!r} is neither a dataset version folder nor a manifest; pass one of them")
    manifest = read_manifest(manifest_path)
    known = _checksums(manifest_path.parent)
    clips: dict[str, tuple[str | None, list[str]]] = {}
    for entry in manifest.entries:
        key = str(entry.extra.get("source", entry.audio))
        sha = known.get(entry.audio) or _hash(manifest, entry.audio)
        previous = clips.get(key, (sha, []))
        clips[key] = (sha, previous[1] + [f"{lab.annotator}: {lab.text}" if lab.annotator else lab.text
                                          for lab in entry.labels])
    return {k: (sha, tuple(sorted(labels))) for k, (sha, labels) in clips.items()}


def _checksums(folder: Path) -> dict[str, str]:
    listing = folder / CHECKSUMS
    if not listing.is_file():
        return {}
    pairs = (line.partition("  ") for line in listing.read_text(encoding="utf-8").splitlines())
    return {rel: sha for sha, _, rel in pairs}


def _hash(manifest: Manifest, audio: str) -> str | None:
    try:
        return file_sha256(resolve_audio_path(manifest.root, audio))
    except (VoxsearchError, OSError):
        return None
