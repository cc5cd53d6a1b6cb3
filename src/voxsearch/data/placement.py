"""Where dataset versions go when no folder is given: HOME/datasets/<manifest folder name>/<version id>.

The id is known only at the end, so the run writes into a hidden folder named by the manifest and the
definition (a killed run resumes there), which is renamed to the id once complete. A version already in
place with that id holds the same bytes, so the new copy is dropped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

from voxsearch.data.definition import DataDefinition, load_definition
from voxsearch.data.parallel import ProgressCallback
from voxsearch.data.standardize import (
    StandardizeOptions,
    StandardizeResult,
    standardize,
)
from voxsearch.data.versions import file_sha256, read_version
from voxsearch.errors import DatasetError
from voxsearch.fileio import fsync_dir

logger = logging.getLogger(__name__)

__all__ = ["DATASETS_DIR", "dataset_folder", "standardize_to_home"]

DATASETS_DIR = "datasets"


def dataset_folder(home: Path, manifest_path: Path) -> Path:
    """HOME/datasets/<the manifest's folder name, made safe for a file name>."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(manifest_path).resolve().parent.name).strip("._") or "dataset"
    return Path(home) / DATASETS_DIR / name


def standardize_to_home(manifest_path: Path, home: Path, definition: DataDefinition | None = None,
                        options: StandardizeOptions | None = None, progress: ProgressCallback | None = None
                        ) -> StandardizeResult:
    definition = definition or load_definition()
    folder = dataset_folder(home, manifest_path)
    key = hashlib.sha256(f"{file_sha256(Path(manifest_path))} {definition.sha256}".encode()).hexdigest()[:16]
    work = folder / f".incoming-{key}"
    result = standardize(manifest_path, work, definition, options, progress)
    final = folder / result.version
    if final.exists() and _holds(final, result.version):
        logger.info("version %s is already in %s", result.version, final)
        shutil.rmtree(work)
    else:
        if final.exists():  # an edited or broken copy under the id: replace it
            stale = folder / f".stale-{result.version}"
            shutil.rmtree(stale, ignore_errors=True)
            os.replace(final, stale)
            shutil.rmtree(stale)
        os.replace(work, final)
        fsync_dir(folder)
    return replace(result, out_dir=final)


def _holds(folder: Path, version: str) -> bool:
    try:
        return read_version(folder).id == version
    except (DatasetError, OSError, ValueError):
        return False
