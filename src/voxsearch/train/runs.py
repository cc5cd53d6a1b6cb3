"""Experiment records: every `train` and `eval` leaves `VOXSEARCH_HOME/runs/<run_id>/run.json`.

A record says what ran (kind, parameters), on which data (data version or manifest hash), with which
model versions, what it measured (metrics), what it wrote (artifacts), and which code produced it
(package version, git commit when the code lives in a git checkout). Records are written once,
atomically, and never changed. With the `mlflow` extra installed the same run is also logged to MLflow
(MLFLOW_TRACKING_URI, else a local `VOXSEARCH_HOME/mlruns`).
"""

from __future__ import annotations

import json
import logging
import math
import re
import secrets
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voxsearch import __version__
from voxsearch.errors import DatasetError
from voxsearch.fileio import write_text_atomic

__all__ = ["RunComparison", "RunRecord", "compare_runs", "list_runs", "load_run", "record_run", "runs_dir"]

log = logging.getLogger(__name__)

RUN_FILE = "run.json"
_RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[a-z0-9_-]+-[0-9a-f]{6}$")
_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    kind: str  # "train", "eval", ...
    params: dict[str, Any]
    data_version: str  # dataset version or manifest content hash
    model_versions: tuple[str, ...]
    metrics: dict[str, float]
    artifacts: dict[str, str]  # name -> path of a file the run wrote
    code_version: str
    git_commit: str | None
    started_at: str  # ISO 8601, UTC
    ended_at: str
    path: Path | None = field(default=None, compare=False)  # the run.json, once written or read

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        data["model_versions"] = list(self.model_versions)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Path | None = None) -> RunRecord:
        return cls(
            run_id=str(data["run_id"]),
            kind=str(data["kind"]),
            params=dict(data.get("params") or {}),
            data_version=str(data.get("data_version") or ""),
            model_versions=tuple(str(v) for v in data.get("model_versions") or ()),
            metrics={str(k): _metric(v) for k, v in (data.get("metrics") or {}).items()},
            artifacts={str(k): str(v) for k, v in (data.get("artifacts") or {}).items()},
            code_version=str(data.get("code_version") or ""),
            git_commit=data.get("git_commit"),
            started_at=str(data.get("started_at") or ""),
            ended_at=str(data.get("ended_at") or ""),
            path=path,
        )


def runs_dir(home: Path) -> Path:
    return Path(home) / "runs"


def record_run(
    home: Path,
    kind: str,
    params: Mapping[str, Any],
    data_version: str,
    model_version: str | Sequence[str],
    metrics: Mapping[str, float],
    artifacts: Mapping[str, str | Path],
    *,
    started_at: datetime | None = None,
) -> RunRecord:
    """Write a new run record under `home/runs/<run_id>/run.json` and return it.

    `model_version` is one version or several (an eval comparing models); `metrics` are numbers
    (NaN/inf are stored as null); `started_at` defaults to now (pass the real start for long runs).
    """
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise DatasetError(f"run kind {kind!r} is not a short lowercase word; use e.g. 'train' or 'eval'")
    ended = datetime.now(UTC)
    started = (started_at or ended).astimezone(UTC)
    versions = (model_version,) if isinstance(model_version, str) else tuple(str(v) for v in model_version)
    run_id = f"{ended:%Y%m%dT%H%M%SZ}-{kind}-{secrets.token_hex(3)}"
    record = RunRecord(
        run_id=run_id,
        kind=kind,
        params=_jsonable(dict(params)),
        data_version=str(data_version),
        model_versions=versions,
        metrics={str(k): _metric(v) for k, v in metrics.items()},
        artifacts={str(k): str(v) for k, v in artifacts.items()},
        code_version=__version__,
        git_commit=_git_commit(),
        started_at=started.isoformat(timespec="seconds"),
        ended_at=ended.isoformat(timespec="seconds"),
    )
    path = runs_dir(home) / run_id / RUN_FILE
    text = json.dumps(_strict_json(record.to_dict()), indent=2, ensure_ascii=False, sort_keys=False)
    write_text_atomic(path, text + "\n")
    log.info("recorded %s run %s", kind, run_id)
    record = RunRecord.from_dict(record.to_dict(), path=path)
    _log_to_mlflow(Path(home), record)
    return record


def load_run(home: Path, run_id: str) -> RunRecord:
    """The record of `run_id`; DatasetError naming the id (and how to list them) when there is none."""
    if not _RUN_ID.match(run_id):
        raise DatasetError(f"{run_id!r} is not a run id (like 20250101T120000Z-eval-a1b2c3); "
                           "see them with: voxsearch runs list")
    path = runs_dir(home) / run_id / RUN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(f"no run {run_id!r} in {str(runs_dir(home))!r}; see them with: voxsearch runs list") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(f"run record {str(path)!r} is not valid JSON ({exc}); delete the run folder") from exc
    return RunRecord.from_dict(data, path=path)


def list_runs(home: Path, kind: str | None = None) -> list[RunRecord]:
    """Every readable run record, oldest first; unreadable ones are skipped with a warning."""
    folder = runs_dir(home)
    if not folder.is_dir():
        return []
    records = []
    for child in sorted(folder.iterdir()):
        if not (child / RUN_FILE).is_file() or not _RUN_ID.match(child.name):
            continue
        try:
            record = load_run(home, child.name)
        except DatasetError as exc:
            log.warning("%s", exc.message)
            continue
        if kind is None or record.kind == kind:
            records.append(record)
    return records


@dataclass(frozen=True)
class RunComparison:
    """Runs side by side: one row per parameter / metric name, one value per run (None: not recorded)."""

    run_ids: tuple[str, ...]
    params: dict[str, tuple[Any, ...]]
    metrics: dict[str, tuple[float | None, ...]]
    info: dict[str, tuple[Any, ...]]  # kind, data version, model versions, commit, times

    def differs(self, values: Sequence[Any]) -> bool:
        return len({json.dumps(v, sort_keys=True, default=str) for v in values}) > 1


def compare_runs(home: Path, ids: Sequence[str]) -> RunComparison:
    """Parameters, metrics and provenance of the runs `ids`, aligned by name (union of names, sorted)."""
    if len(ids) < 2:
        raise DatasetError(f"got {len(ids)} run id(s); compare two or more (see them with: voxsearch runs list)")
    records = [load_run(home, run_id) for run_id in ids]
    param_names = sorted({k for r in records for k in r.params})
    metric_names = sorted({k for r in records for k in r.metrics})
    info = {
        "kind": tuple(r.kind for r in records),
        "data_version": tuple(r.data_version for r in records),
        "model_versions": tuple(", ".join(r.model_versions) for r in records),
        "code_version": tuple(r.code_version for r in records),
        "git_commit": tuple(r.git_commit for r in records),
        "started_at": tuple(r.started_at for r in records),
    }
    return RunComparison(
        run_ids=tuple(r.run_id for r in records),
        params={name: tuple(r.params.get(name) for r in records) for name in param_names},
        metrics={name: tuple(r.metrics.get(name) for r in records) for name in metric_names},
        info=info,
    )


# --- provenance ----------------------------------------------------------------------------------------


def _git_commit() -> str | None:
    """The commit of the checkout this package runs from, if it runs from one (editable install)."""
    source = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True,
                              timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def _metric(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise DatasetError(f"metric value {value!r} is not a number; record numbers only") from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _strict_json(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict_json(v) for v in value]
    return value


# --- MLflow (optional extra) ---------------------------------------------------------------------------


def mlflow_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("mlflow") is not None


def _log_to_mlflow(home: Path, record: RunRecord) -> None:
    if not mlflow_available():
        return
    from voxsearch.train.mlflow_log import log_run_to_mlflow

    try:
        log_run_to_mlflow(home, record)
    except Exception as exc:  # noqa: BLE001 — MLflow is a mirror; run.json is the record of truth
        log.warning("run %s recorded in %s but not logged to MLflow: %s", record.run_id, record.path, exc)
