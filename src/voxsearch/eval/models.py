"""Which models an evaluation runs: a model version from the registry, or an unadapted engine by name.

The registry (`voxsearch.train.registry`, built by `voxsearch train`) is optional: it is looked up when a
version is asked for, so evaluation of plain engines works without it.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from typing import Any, Literal

from voxsearch.asr import ENGINE_NAMES, Engine, create_engine
from voxsearch.config import Settings
from voxsearch.errors import InvalidRequest, ModelError
from voxsearch.pipeline import Pipeline

log = logging.getLogger(__name__)

REGISTRY_MODULE = "voxsearch.train.registry"


@dataclass(frozen=True)
class ModelRef:
    """A model to evaluate; `label` names its column in reports."""

    label: str
    source: Literal["version", "engine"]


def registry_available() -> bool:
    return importlib.util.find_spec(REGISTRY_MODULE) is not None


def default_model(settings: Settings, catalog: str | None) -> ModelRef:
    """The promoted version for `catalog` if the registry has one, else the engine named by the settings."""
    if registry_available() and catalog:
        promoted = _registry(settings).promoted(catalog)
        if promoted:
            return ModelRef(str(getattr(promoted, "version", promoted)), "version")
    return ModelRef(settings.engine.name, "engine")


def model_refs(versions: list[str], engines: list[str]) -> list[ModelRef]:
    """Versions then engines, in the order given; duplicates refused."""
    refs = [ModelRef(v, "version") for v in versions] + [ModelRef(e, "engine") for e in engines]
    for ref in refs:
        if ref.source == "engine" and ref.label.strip().lower() not in ENGINE_NAMES:
            raise InvalidRequest(f"unknown engine {ref.label!r}; use one of: {', '.join(ENGINE_NAMES)} "
                                 "(for a trained model version use --model)")
    labels = [r.label for r in refs]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise InvalidRequest(f"model {repeated[0]!r} is given twice; name each model once")
    return refs


def load_engine(ref: ModelRef, settings: Settings) -> Engine:
    """Load the engine of `ref` (slow: model weights)."""
    if ref.source == "engine":
        return create_engine(settings.engine.model_copy(update={"name": ref.label}))
    if not registry_available():
        raise ModelError(f"model version {ref.label!r} needs the model registry ({REGISTRY_MODULE}), which this "
                         "install does not have; evaluate an engine instead with --engine whisper")
    model_json = settings.models_dir / ref.label / "model.json"
    if not model_json.is_file():
        known = sorted(p.parent.name for p in settings.models_dir.glob("*/model.json")) or ["none"]
        raise ModelError(f"model version {ref.label!r} not found ({str(model_json)!r} is missing; versions there: "
                         f"{', '.join(known)}); train one with voxsearch train or pass --engine")
    return _registry(settings).load_engine(ref.label, settings)


def load_pipeline(ref: ModelRef, settings: Settings) -> Pipeline:
    """The model's pipeline as the server would run it (Settings.as_served)."""
    settings = settings.as_served()
    return Pipeline.with_engine(load_engine(ref, settings), settings)


def _registry(settings: Settings) -> Any:
    from voxsearch.train.registry import (
        ModelRegistry,  # optional: built by the train package
    )

    return ModelRegistry(settings.home)
