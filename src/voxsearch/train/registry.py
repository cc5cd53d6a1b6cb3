"""Model registry: immutable model versions under `VOXSEARCH_HOME/models/<version>/`, promotion per catalog.

A version folder holds `model.json` (what produced it, its hyperparameters, metrics, and a files map
name -> sha256) and the engine's files. It is built in a temp folder and renamed into place, so a
reader never sees half a version. Promotion state is one small JSON (`models/promoted.json`), written
atomically: per catalog, the promoted version and the history of earlier promotions (for rollback).
`load_engine` re-hashes every file and refuses a version whose files are missing or changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from voxsearch.errors import ModelError
from voxsearch.fileio import write_text_atomic

__all__ = ["ModelRegistry", "ModelVersion", "file_sha256"]

log = logging.getLogger(__name__)

MODEL_FILE = "model.json"
PROMOTED_FILE = "promoted.json"
_VERSION = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,127}$")
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ModelVersion:
    """The content of one `model.json`; `path` is the version folder."""

    version: str
    engine: str
    catalog: dict[str, str]  # name, content_hash
    engine_options: dict[str, Any]  # what load_engine passes to the engine (file names are keys of `files`)
    files: dict[str, str]  # file name (relative to the folder) -> sha256
    dataset: dict[str, Any] = field(default_factory=dict)  # manifest path + sha256, or "synthesized"
    code: dict[str, Any] = field(default_factory=dict)  # voxsearch version, git commit
    tuning: dict[str, Any] = field(default_factory=dict)  # grid, best, trials
    metrics: dict[str, Any] = field(default_factory=dict)  # on the dev split
    created_at: float = 0.0
    path: Path | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Path | None = None) -> "ModelVersion":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data and k != "path"}
        return cls(**known, path=path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class ModelRegistry:
    """Model versions and promotions under `home/models`. Safe for one writer and many readers."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.models_dir = self.home / "models"

    # --- versions ---------------------------------------------------------------------------------------

    def create(self, draft: ModelVersion, files: Mapping[str, Path]) -> ModelVersion:
        """Store `files` (name -> path to copy) with `draft`'s metadata as a new version; returns it.

        The version id is `<catalog>-<engine>-<12 hex>`, a hash of the files and the engine options: the
        same content gives the same version (stored once).
        """
        for name in files:
            _check_file_name(name)
        self.models_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.models_dir))
        try:
            hashes = {}
            for name, source in sorted(files.items()):
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                hashes[name] = file_sha256(target)
            identity = json.dumps({"engine": draft.engine, "options": draft.engine_options, "files": hashes},
                                  sort_keys=True).encode()
            digest = hashlib.sha256(identity).hexdigest()[:12]
            version_id = f"{draft.catalog.get('name', 'any')}-{draft.engine}-{digest}"
            record = ModelVersion.from_dict(
                {**draft.to_dict(), "version": version_id, "files": hashes, "created_at": time.time()}
            )
            (staging / MODEL_FILE).write_text(json.dumps(record.to_dict(), indent=2) + "\n", encoding="utf-8")
            final = self.models_dir / version_id
            if final.exists():
                log.info("model version %s already exists; keeping the stored one", version_id)
                return self.get(version_id)
            os.chmod(staging, 0o755)
            os.replace(staging, final)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        log.info("stored model version %s", version_id)
        return self.get(version_id)

    def list(self) -> list[ModelVersion]:
        """Every readable version, oldest first."""
        if not self.models_dir.is_dir():
            return []
        versions = []
        for folder in self.models_dir.iterdir():
            if folder.is_dir() and _VERSION.match(folder.name) and (folder / MODEL_FILE).is_file():
                try:
                    versions.append(self.get(folder.name))
                except ModelError as e:
                    log.warning("skipping %s: %s", folder, e.message)
        return sorted(versions, key=lambda v: (v.created_at, v.version))

    def get(self, version: str) -> ModelVersion:
        folder = self._folder(version)
        try:
            data = json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
            return ModelVersion.from_dict(data, path=folder)
        except FileNotFoundError as e:
            known = ", ".join(v.name for v in sorted(self.models_dir.glob("*")) if v.is_dir() and
                              not v.name.startswith(".")) if self.models_dir.is_dir() else ""
            raise ModelError(
                f"model version {version!r} does not exist in {str(self.models_dir)!r} (versions: {known or 'none'}); "
                "list them with: voxsearch models list, or build one with: voxsearch train --catalog NAME"
            ) from e
        except (ValueError, TypeError) as e:
            raise ModelError(
                f"model version {version!r}: {folder / MODEL_FILE} is not a valid model.json ({e}); "
                "delete the folder and train again"
            ) from e

    def verify(self, version: str) -> ModelVersion:
        """The version, after checking every file against its sha256; ModelError names a bad file."""
        record = self.get(version)
        assert record.path is not None
        for name, expected in sorted(record.files.items()):
            path = record.path / name
            if not path.is_file():
                raise ModelError(
                    f"model version {version!r} is missing its file {name!r} ({path}); "
                    "the version cannot be served: train it again or promote another version"
                )
            actual = file_sha256(path)
            if actual != expected:
                raise ModelError(
                    f"model version {version!r}: file {name!r} has sha256 {actual[:12]}…, model.json says "
                    f"{expected[:12]}… (changed or corrupt); train the version again or promote another one"
                )
        return record

    # --- promotion --------------------------------------------------------------------------------------

    def promote(self, version: str, catalog: str) -> ModelVersion:
        """Serve `version` for `catalog` from now on; the previous one goes onto the rollback history."""
        record = self.verify(version)
        if record.catalog.get("name") != catalog:
            raise ModelError(
                f"model version {version!r} was trained for catalog {record.catalog.get('name')!r}, not {catalog!r}; "
                f"train one for it with: voxsearch train --catalog {catalog}"
            )
        state = self._state()
        entry = state.setdefault(catalog, {"current": None, "history": []})
        if entry["current"] == version:
            return record
        if entry["current"] is not None:
            entry["history"].append(entry["current"])
        entry["current"] = version
        self._write_state(state)
        log.info("promoted %s for catalog %r", version, catalog)
        return record

    def rollback(self, catalog: str) -> str | None:
        """Go back to the version promoted before the current one (None: back to the unadapted engine)."""
        state = self._state()
        entry = state.get(catalog)
        if not entry or entry.get("current") is None:
            raise ModelError(
                f"catalog {catalog!r} has no promoted model version to roll back; "
                "see the versions with: voxsearch models list"
            )
        history = entry.get("history", [])
        entry["current"] = history.pop() if history else None
        self._write_state(state)
        log.info("rolled back catalog %r to %s", catalog, entry["current"] or "the unadapted engine")
        return entry["current"]

    def promoted(self, catalog: str) -> str | None:
        return (self._state().get(catalog) or {}).get("current")

    def history(self, catalog: str) -> list[str]:
        """Earlier promotions of `catalog`, oldest first (rollback goes to the last one)."""
        return list((self._state().get(catalog) or {}).get("history", []))

    # --- engines ----------------------------------------------------------------------------------------

    def load_engine(self, version: str, settings: Any) -> Any:
        """The engine of `version` (files verified first); ModelError if a file is bad or fails to load."""
        from voxsearch.train.model_engine import engine_from_version

        return engine_from_version(self.verify(version), settings)

    # --- internals --------------------------------------------------------------------------------------

    def _folder(self, version: str) -> Path:
        if not isinstance(version, str) or not _VERSION.match(version):
            raise ModelError(f"model version {version!r} is not a valid version id; copy it from: voxsearch models list")
        return self.models_dir / version

    def _state(self) -> dict[str, Any]:
        path = self.models_dir / PROMOTED_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError as e:
            raise ModelError(f"promotion state {path} is not valid JSON ({e}); restore it or delete it") from e
        return dict(data.get("catalogs", {}))

    def _write_state(self, state: dict[str, Any]) -> None:
        text = json.dumps({"catalogs": state, "updated_at": time.time()}, indent=2, sort_keys=True)
        write_text_atomic(self.models_dir / PROMOTED_FILE, text + "\n")


def _check_file_name(name: str) -> None:
    parts = Path(name).parts
    if not name or Path(name).is_absolute() or ".." in parts or name == MODEL_FILE:
        raise ModelError(f"model file name {name!r} is not a plain relative name; use e.g. 'catalog.lm'")
