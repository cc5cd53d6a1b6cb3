"""The real `voxsearch` command in a subprocess: JSON lines out, one-line errors and exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.badaudio import random_bytes, tone, wav_bytes

SONGS = [
    {"id": "s1", "title": "Bohemian Rhapsody", "text": "Queen", "category": "song", "popularity": 90},
    {"id": "s2", "title": "Jolene", "text": "Dolly Parton", "category": "song", "popularity": 80},
    {"id": "s3", "title": "Hotel California", "text": "Eagles", "category": "song", "popularity": 85},
]


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOXSEARCH_")}
    env["VOXSEARCH_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "voxsearch", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def songs_file(tmp_path: Path) -> Path:
    path = tmp_path / "songs.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in SONGS) + "\n", encoding="utf-8")
    return path


def test_catalog_import_then_search(tmp_path: Path, songs_file: Path) -> None:
    imported = run_cli(tmp_path, "catalog", "import", str(songs_file), "--name", "songs")
    assert imported.returncode == 0, imported.stderr
    found = run_cli(tmp_path, "search", "--catalog", "songs", "play bohemian rap city by queen")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["results"][0]["id"] == "s1"
    listed = run_cli(tmp_path, "catalog", "list")
    assert json.loads(listed.stdout.splitlines()[0])["entries"] == 3


def test_bad_catalog_line_exits_2_naming_line_and_field(tmp_path: Path, songs_file: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(songs_file.read_text() + json.dumps({"id": "s4", "title": ""}) + "\n", encoding="utf-8")
    result = run_cli(tmp_path, "catalog", "import", str(bad), "--name", "songs")
    assert result.returncode == 2
    assert "line 4" in result.stderr and "title" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli(tmp_path, "search", "--catalog", "songs", "jolene")
    assert missing.returncode == 2, "a failed import must not leave a half-built catalog"


def test_missing_file_and_missing_catalog_exit_2(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "catalog", "import", str(tmp_path / "nope.csv"), "--name", "x")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run_cli(tmp_path, "search", "--catalog", "nothing", "paris")
    assert result.returncode == 2 and "voxsearch catalog import" in result.stderr


@pytest.mark.integration
def test_recognize_writes_one_json_line_per_file_and_errors_for_bad_ones(
    tmp_path: Path, songs_file: Path
) -> None:
    run_cli(tmp_path, "catalog", "import", str(songs_file), "--name", "songs")
    good = tmp_path / "tone.wav"
    good.write_bytes(wav_bytes(tone(1.0), 16_000))
    junk = tmp_path / "junk.wav"
    junk.write_bytes(random_bytes())
    result = run_cli(tmp_path, "recognize", "--catalog", "songs", "--engine", "pocketsphinx", str(good), str(junk))
    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(junk)]
    assert set(lines[0]) >= {"transcript", "results", "model", "timings_ms"}
    assert lines[0]["model"]["engine"] == "pocketsphinx"
    assert lines[1]["error"]["code"] == "unsupported_format"
    assert "Traceback" not in result.stderr
