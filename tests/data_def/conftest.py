"""A messy dataset (real synthesized speech, real broken files), written once per session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from voxsearch.data.messy import MessyOptions, MessyResult, write_messy_dataset


@pytest.fixture(scope="session")
def messy(tmp_path_factory: pytest.TempPathFactory) -> MessyResult:
    return write_messy_dataset(tmp_path_factory.mktemp("messy"), MessyOptions(seed=11, clips=10))


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under `folder` (symbolic links by their target path)."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            hashes[rel] = "link:" + str(path.readlink())
        elif path.is_file():
            hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes
