"""The real `voxsearch eval` and `voxsearch runs` commands in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run_cli
from tests.eval.test_eval_report import copy_clips
from voxsearch.train.runs import list_runs, record_run


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"audio": "audio/nowhere.wav", "text": "salta"}', "line 2: audio 'audio/nowhere.wav' does not exist"),
        ('{"audio": "/etc/passwd", "text": "salta"}', "line 2: audio path '/etc/passwd' is absolute"),
        ('{"audio": "audio/x.wav", "text": "salta"', "line 2 is not valid JSON"),
        ('{"audio": "audio/salta-hibari-heart-clean.wav", "text": "salta", "tags": ["noise"]}',
         "line 2: tags=['noise'] is not an object"),
    ],
)
def test_bad_manifest_exits_2_naming_the_line(tmp_path: Path, line: str, message: str) -> None:
    manifest = copy_clips(tmp_path, (16,), {})
    manifest.write_text(manifest.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    done = run_cli(tmp_path, "eval", str(manifest), "--engine", "whisper", "--catalog", "")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "runs").exists()


def test_unknown_model_version_and_engine_exit_2(tmp_path: Path) -> None:
    manifest = copy_clips(tmp_path, (16,), {})
    done = run_cli(tmp_path, "eval", str(manifest), "--engine", "kaldi", "--catalog", "")
    assert done.returncode == 2 and "unknown engine 'kaldi'" in done.stderr
    done = run_cli(tmp_path, "eval", str(manifest), "--model", "places-v9", "--catalog", "")
    assert done.returncode == 2 and "places-v9" in done.stderr


def test_eval_writes_report_and_run_record_then_runs_compare(tmp_path: Path) -> None:
    manifest = copy_clips(tmp_path / "set", (16, 52), {})
    out = tmp_path / "report"
    done = run_cli(tmp_path, "eval", str(manifest), "--engine", "whisper", "--catalog", "", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "overall" in done.stdout and "by slice" in done.stdout
    data = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert len(data["utterances"]) == 2 and data["overall"]["whisper"]["top1"] is None  # no catalog searched
    assert (out / "eval.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    [run] = list_runs(tmp_path)
    assert run.kind == "eval" and run.model_versions == ("whisper",)
    assert run.data_version == "sha256:" + data["manifest_sha256"]
    assert run.metrics["wer"] == pytest.approx(data["overall"]["whisper"]["wer"]["wer"])
    assert run.artifacts["html"] == str((out / "eval.html").resolve())
    other = record_run(tmp_path, "eval", {**run.params, "top_k": 10}, run.data_version, "whisper",
                       {**run.metrics, "wer": run.metrics["wer"] + 0.5}, {})
    listed = run_cli(tmp_path, "runs", "list", "--json")
    assert [json.loads(x)["run_id"] for x in listed.stdout.splitlines()] == sorted([run.run_id, other.run_id])
    compared = run_cli(tmp_path, "runs", "compare", run.run_id, other.run_id)
    assert compared.returncode == 0, compared.stderr
    assert "top_k" in compared.stdout and "wer" in compared.stdout
    missing = run_cli(tmp_path, "runs", "compare", run.run_id, "20200101T000000Z-eval-000000")
    assert missing.returncode == 2 and "voxsearch runs list" in missing.stderr
