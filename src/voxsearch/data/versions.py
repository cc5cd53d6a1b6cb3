"""Dataset versions: a folder of audio + manifest + definition + record of changes, named by its content hash.

    OUT/audio/*.wav  manifest.jsonl  definition.toml  changes.jsonl  checksums.sha256  version.json  run.log

`checksums.sha256` lists every content file (sha256sum format, sorted by path); the version id is the
sha256 of that listing, so two versions with the same id hold the same bytes. `run.log` (timestamps) is
not content and is not hashed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from voxsearch.errors import DatasetError

__all__ = ["CHECKSUMS", "VERSION_FILE", "DatasetVersion", "checksums_listing", "file_sha256", "read_version",
           "version_of"]

CHECKSUMS = "checksums.sha256"
VERSION_FILE = "version.json"
MANIFEST = "manifest.jsonl"
DEFINITION = "definition.toml"
CHANGES = "changes.jsonl"
RUN_LOG = "run.log"
PARTIAL_DIR = ".partial"


@dataclass(frozen=True)
class DatasetVersion:
    path: Path
    id: str
    files: dict[str, str]  # relative path -> sha256

    @property
    def manifest(self) -> Path:
        return self.path / MANIFEST


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums_listing(files: dict[str, str]) -> str:
    """The text of checksums.sha256 for `files` (path inside the version -> sha256)."""
    return "".join(f"{sha}  {rel}\n" for rel, sha in sorted(files.items()))


def version_of(listing: str) -> str:
    """The version id: sha256 of the checksums listing, 16 hex digits."""
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()[:16]


def read_version(folder: Path) -> DatasetVersion:
    folder = Path(folder)
    listing = folder / CHECKSUMS
    if not listing.is_file():
        raise DatasetError(f"{str(folder)!r} is not a dataset version (no {CHECKSUMS}); "
                           "pass a folder written by `voxsearch data standardize`")
    files = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        sha, _, rel = line.partition("  ")
        files[rel] = sha
    version_id = hashlib.sha256(listing.read_bytes()).hexdigest()[:16]
    recorded = json.loads((folder / VERSION_FILE).read_text(encoding="utf-8")).get("version") \
        if (folder / VERSION_FILE).is_file() else version_id
    if recorded != version_id:
        raise DatasetError(f"dataset version {str(folder)!r} says {recorded!r} but its checksums hash to "
                           f"{version_id!r}; the folder was edited: standardize again")
    return DatasetVersion(path=folder, id=version_id, files=files)
