"""`data standardize` without --out: the version lands in HOME/datasets/<manifest folder>/<version id>."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.data_def.conftest import tree_hashes
from voxsearch.data.definition import load_definition
from voxsearch.data.messy import MessyResult
from voxsearch.data.placement import dataset_folder, standardize_to_home
from voxsearch.data.standardize import StandardizeOptions, standardize
from voxsearch.data.versions import read_version


def test_the_version_is_named_by_its_id_and_a_rerun_keeps_it(messy: MessyResult, tmp_path: Path) -> None:
    home, definition = tmp_path / "home", load_definition()
    result = standardize_to_home(messy.manifest, home, definition, StandardizeOptions(jobs=1))
    folder = dataset_folder(home, messy.manifest)
    assert result.out_dir == folder / result.version and folder.parent == home / "datasets"
    assert read_version(result.out_dir).id == result.version
    assert [p.name for p in folder.iterdir()] == [result.version]  # no work folder left
    elsewhere = standardize(messy.manifest, tmp_path / "explicit", definition, StandardizeOptions(jobs=1))
    content = {k: v for k, v in tree_hashes(result.out_dir).items() if k != "run.log"}
    assert content == {k: v for k, v in tree_hashes(elsewhere.out_dir).items() if k != "run.log"}
    again = standardize_to_home(messy.manifest, home, definition, StandardizeOptions(jobs=1))
    assert again.out_dir == result.out_dir and [p.name for p in folder.iterdir()] == [result.version]


def test_the_command_says_where_the_version_went(messy: MessyResult, tmp_path: Path) -> None:
    env = {**os.environ, "VOXSEARCH_HOME": str(tmp_path / "home"), "COLUMNS": "400"}
    done = subprocess.run([sys.executable, "-m", "voxsearch", "data", "standardize", str(messy.manifest), "--jobs",
                           "2"], capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    (version,) = dataset_folder(tmp_path / "home", messy.manifest).iterdir()
    assert f"version {version.name} in {version}" in done.stdout
