"""Run records: written atomically under VOXSEARCH_HOME/runs, listed in order, compared side by side."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from voxsearch.errors import DatasetError
from voxsearch.train.runs import compare_runs, list_runs, load_run, record_run


def test_record_run_writes_everything_needed_to_reproduce(tmp_path: Path) -> None:
    started = datetime.now(UTC) - timedelta(minutes=3)
    record = record_run(
        tmp_path, "train", {"lm_weight": 0.5, "manifest": Path("a/b.jsonl")}, "sha256:abc", "places-v1",
        {"wer": 0.125, "top1": float("nan")}, {"model": tmp_path / "models" / "places-v1"}, started_at=started,
    )
    assert record.path == tmp_path / "runs" / record.run_id / "run.json"
    on_disk = json.loads(record.path.read_text(encoding="utf-8"))
    assert on_disk["kind"] == "train"
    assert on_disk["params"] == {"lm_weight": 0.5, "manifest": "a/b.jsonl"}
    assert on_disk["data_version"] == "sha256:abc"
    assert on_disk["model_versions"] == ["places-v1"]
    assert on_disk["metrics"] == {"wer": 0.125, "top1": None}  # strict JSON: NaN stored as null
    assert on_disk["artifacts"]["model"].endswith("models/places-v1")
    assert on_disk["code_version"]
    assert on_disk["started_at"] < on_disk["ended_at"]
    # the package runs from a git checkout here, so the commit is known
    assert on_disk["git_commit"] and len(on_disk["git_commit"]) == 40
    again = load_run(tmp_path, record.run_id)
    assert again.metrics["wer"] == 0.125 and math.isnan(again.metrics["top1"])
    assert again.model_versions == ("places-v1",)


def test_list_and_compare_runs(tmp_path: Path) -> None:
    first = record_run(tmp_path, "eval", {"beam": 5, "catalog": "places"}, "d1", ["whisper", "v2"],
                       {"wer": 0.2}, {})
    second = record_run(tmp_path, "eval", {"beam": 1, "catalog": "places"}, "d1", ["whisper"],
                        {"wer": 0.3, "top1": 0.9}, {})
    record_run(tmp_path, "train", {}, "d1", "v3", {}, {})
    assert [r.run_id for r in list_runs(tmp_path, kind="eval")] == sorted([first.run_id, second.run_id])
    assert len(list_runs(tmp_path)) == 3
    comparison = compare_runs(tmp_path, [first.run_id, second.run_id])
    assert comparison.params["beam"] == (5, 1) and comparison.differs(comparison.params["beam"])
    assert not comparison.differs(comparison.params["catalog"])
    assert comparison.metrics["top1"] == (None, 0.9)
    assert comparison.info["model_versions"] == ("whisper, v2", "whisper")


def test_bad_run_ids_and_kinds_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="voxsearch runs list"):
        load_run(tmp_path, "20250101T000000Z-eval-abcdef")
    with pytest.raises(DatasetError, match="not a run id"):
        load_run(tmp_path, "../etc")
    with pytest.raises(DatasetError, match="two or more"):
        compare_runs(tmp_path, ["20250101T000000Z-eval-abcdef"])
    with pytest.raises(DatasetError, match="'Train Run'"):
        record_run(tmp_path, "Train Run", {}, "", "", {}, {})
    with pytest.raises(DatasetError, match="'fast'"):
        record_run(tmp_path, "eval", {}, "", "", {"wer": "fast"}, {})


def test_runs_are_mirrored_to_mlflow_when_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mlflow = pytest.importorskip("mlflow", reason="the mlflow extra is not installed")
    from voxsearch.train.mlflow_log import tracking_uri

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    if tracking_uri(tmp_path).startswith("file:"):  # MLflow 3 without SQLAlchemy refuses the file store otherwise
        monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    record = record_run(tmp_path, "eval", {"engine": "whisper", "slice/noise=babble": 1}, "d1", "whisper",
                        {"wer": 0.25}, {})
    client = mlflow.MlflowClient(tracking_uri=tracking_uri(tmp_path))
    runs = client.search_runs([client.get_experiment_by_name("voxsearch").experiment_id])
    assert [r.data.tags["voxsearch.run_id"] for r in runs] == [record.run_id]
    assert runs[0].data.metrics == {"wer": 0.25}
    assert runs[0].data.params == {"engine": "whisper", "slice/noise_babble": "1"}
    assert runs[0].data.tags["mlflow.source.git.commit"] == record.git_commit
