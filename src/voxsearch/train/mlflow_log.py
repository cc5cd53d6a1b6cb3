"""Mirror a run record into MLflow (the `mlflow` extra; imported only when it is installed)."""

from __future__ import annotations

import importlib.util
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voxsearch.train.runs import RunRecord

EXPERIMENT = "voxsearch"
_MAX_PARAM_CHARS = 500  # MLflow's limit on a parameter value
_NOT_IN_KEY = re.compile(r"[^\w\-. /]")  # MLflow keys: letters, digits, _ - . space /


def mlflow_key(name: str) -> str:
    return _NOT_IN_KEY.sub("_", name)


def tracking_uri(home: Path) -> str:
    """MLFLOW_TRACKING_URI if set, else a local store in VOXSEARCH_HOME/mlruns.

    The local store is SQLite when SQLAlchemy is there (the full `mlflow` package: MLflow 3 refuses the
    plain file store unless MLFLOW_ALLOW_FILE_STORE=true), else the file store (mlflow-skinny, MLflow 2).
    """
    if os.environ.get("MLFLOW_TRACKING_URI"):
        return os.environ["MLFLOW_TRACKING_URI"]
    folder = (Path(home) / "mlruns").resolve()
    if importlib.util.find_spec("sqlalchemy") is not None:
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'mlflow.db'}"
    return folder.as_uri()


def artifact_root(home: Path) -> str:
    return (Path(home) / "mlruns" / "artifacts").resolve().as_uri()


def log_run_to_mlflow(home: Path, record: RunRecord) -> str:
    """Log `record` as one MLflow run (params, metrics, tags, run.json as artifact); returns the MLflow run id."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri(home))
    experiment = client.get_experiment_by_name(EXPERIMENT)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(
        EXPERIMENT, artifact_location=artifact_root(home))
    tags = {
        "voxsearch.run_id": record.run_id,
        "voxsearch.kind": record.kind,
        "voxsearch.data_version": record.data_version,
        "voxsearch.model_versions": ", ".join(record.model_versions),
        "voxsearch.code_version": record.code_version,
        "mlflow.runName": record.run_id,
    }
    if record.git_commit:
        tags["mlflow.source.git.commit"] = record.git_commit
    run = client.create_run(experiment_id, tags=tags)
    run_id = run.info.run_id
    for key, value in record.params.items():
        client.log_param(run_id, mlflow_key(key), str(value)[:_MAX_PARAM_CHARS])
    for key, value in record.metrics.items():
        if math.isfinite(value):
            client.log_metric(run_id, mlflow_key(key), value)
    if record.path is not None:
        client.log_artifact(run_id, str(record.path))
    client.set_terminated(run_id)
    return run_id
