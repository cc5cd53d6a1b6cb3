"""The engine of a stored model version: its files and tuned options, named by its version id.

Called by `ModelRegistry.load_engine` after the files are verified. Any load failure is a ModelError
naming the file and the fix, so a server keeps serving its old model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from pydantic import ValidationError

from voxsearch.asr.engine import Engine
from voxsearch.config import DenoiseSettings, Settings
from voxsearch.errors import ModelError, VoxsearchError
from voxsearch.search.rank import RANKING_VERSION
from voxsearch.train.registry import ModelVersion
from voxsearch.types import ModelInfo

__all__ = ["engine_from_version", "pocketsphinx_options", "ranking_drift"]

log = logging.getLogger(__name__)

_TUNED = ("catalog_bias", "catalog_posterior_weight", "lw", "wip", "beam", "nbest_size")


def engine_from_version(record: ModelVersion, settings: Settings) -> Engine:
    """Load the engine `record` describes; its `info.version` is the model version id."""
    if record.path is None:
        raise ModelError(f"model version {record.version!r} has no folder; get it from ModelRegistry.get")
    if record.engine == "pocketsphinx":
        engine = _pocketsphinx(record, settings)
    elif record.engine == "whisper":
        engine = _whisper(record, settings)
    elif record.engine == "hybrid":
        engine = _hybrid(record, settings)
    else:
        raise ModelError(f"model version {record.version!r} is for engine {record.engine!r}, which this voxsearch "
                         "cannot load; use pocketsphinx, whisper or hybrid versions (voxsearch models list)")
    base = engine.info
    engine.info = ModelInfo(engine=record.engine, version=record.version,
                            options={**base.options, "engine_build": base.version})
    log.info("loaded model version %s", record.version)
    if (drift := ranking_drift(record)) is not None:
        log.warning(drift)
    return engine


def ranking_drift(record: ModelVersion) -> str | None:
    """A warning when `record` was tuned against search scores of another ranking: its thresholds
    (routing, rescoring) were chosen on scores this voxsearch no longer gives. Versions from before the
    ranking was recorded ranked as their index format did (1 or 2)."""
    trained_on = str(record.catalog.get("ranking", record.catalog.get("index_format", "1")))
    if trained_on == str(RANKING_VERSION):
        return None
    return (f"model version {record.version} was tuned on search scores of ranking {trained_on}; this voxsearch "
            f"ranks with ranking {RANKING_VERSION}, so its thresholds may be off: train it again with: "
            f"voxsearch train --catalog {record.catalog.get('name', 'NAME')}")


def pocketsphinx_options(record: ModelVersion) -> Any:
    """The PocketsphinxOptions of a version: its LM and dictionary files plus the tuned parameters."""
    from voxsearch.asr.pocketsphinx_engine import PocketsphinxOptions

    assert record.path is not None
    opts = record.engine_options
    files = {}
    for key, field_name in (("catalog_lm", "catalog_lm_path"), ("dictionary", "dict_path")):
        name = opts.get(key)
        if name is not None:
            if name not in record.files:
                raise ModelError(f"model version {record.version!r}: engine option {key}={name!r} is not one of its "
                                 f"files ({', '.join(sorted(record.files)) or 'none'}); train the version again")
            files[field_name] = record.path / name
    tuned = {k: opts[k] for k in _TUNED if opts.get(k) is not None}
    try:
        if opts.get("denoise") is not None:  # the front end the version was tuned with (train/tuning)
            tuned["denoise"] = DenoiseSettings(**opts["denoise"], enabled=True)
        return replace(PocketsphinxOptions(), **files, **tuned)
    except (TypeError, ValidationError) as e:
        raise ModelError(f"model version {record.version!r} has unusable engine options {opts} ({e}); "
                         "train the version again") from e


def _pocketsphinx(record: ModelVersion, settings: Settings) -> Engine:
    from voxsearch.asr.engine_process import EngineProcess
    from voxsearch.asr.pocketsphinx_engine import PocketsphinxEngine

    options = pocketsphinx_options(record)
    try:
        if settings.engine.isolate_pocketsphinx:
            return EngineProcess(partial(PocketsphinxEngine, options))  # type: ignore[return-value]
        return PocketsphinxEngine(options)
    except ModelError as e:
        raise ModelError(f"model version {record.version!r} does not load: {e.message}; "
                         "promote another version (voxsearch models rollback) or train it again") from e
    except (VoxsearchError, RuntimeError, ValueError, OSError) as e:
        raise ModelError(f"model version {record.version!r}: pocketsphinx failed on {options.catalog_lm_path} / "
                         f"{options.dict_path} ({e}); promote another version or train it again") from e


def _hybrid(record: ModelVersion, settings: Settings) -> Engine:
    """The version's pocketsphinx (catalog LM, dictionary, routing bias) in front of the unadapted Whisper;
    with tuned `match_thresholds`, both hypotheses verified against the version's catalog (and, with a
    `whisper_veto`, the catalog hypothesis checked by Whisper)."""
    from voxsearch.asr.hybrid_engine import HybridEngine, MatchThresholds
    from voxsearch.asr.whisper_engine import WhisperEngine

    catalog = _pocketsphinx(record, settings)
    try:
        general = WhisperEngine(settings.engine.model_copy(update=_whisper_settings(record)))
    except (VoxsearchError, RuntimeError, ValueError, OSError) as e:
        raise ModelError(f"model version {record.version!r}: its whisper part failed to load ({e}); "
                         "install the whisper extra, or promote another version") from e
    thresholds = record.engine_options.get("match_thresholds")
    if thresholds is None:  # a version trained before verification: routing alone
        return HybridEngine(catalog, general)
    routing = record.engine_options.get("routing", "scores")  # versions trained before "general" routing
    try:
        verified = MatchThresholds(**thresholds)
        veto = record.engine_options.get("whisper_veto")  # None: versions trained before the veto, or without it
        return HybridEngine(catalog, general, _catalog_matcher(record, settings), verified, routing, veto)
    except (TypeError, ValueError) as e:
        raise ModelError(f"model version {record.version!r} has unusable match_thresholds {thresholds}, routing "
                         f"{routing!r} or whisper_veto {record.engine_options.get('whisper_veto')!r} ({e}); "
                         "train the version again") from e


def _catalog_matcher(record: ModelVersion, settings: Settings) -> Callable[[str], float]:
    from voxsearch.search import CatalogStore

    name = record.catalog.get("name", "")
    try:
        index = CatalogStore(settings.home).open(name)
    except VoxsearchError as e:
        raise ModelError(f"model version {record.version!r} verifies against catalog {name!r}, which does not open "
                         f"({e}); import it again (voxsearch catalog import FILE --name {name})") from e

    def best_match(text: str) -> float:
        hits = index.search(text, top_k=1)
        return hits[0].score if hits else 0.0

    return best_match


def _whisper(record: ModelVersion, settings: Settings) -> Engine:
    """Whisper with the version's prompt words and catalog rescoring options (nothing else is trained)."""
    from voxsearch.asr.whisper_engine import WhisperEngine
    from voxsearch.catalog_rescoring import CatalogRescoring

    options = record.engine_options
    try:
        rescoring = CatalogRescoring.from_dict(options["catalog_rescoring"]) if options.get("catalog_rescoring") else None
        engine = WhisperEngine(settings.engine.model_copy(update=_whisper_settings(record)),
                               hotwords=options.get("hotwords"))
    except (TypeError, KeyError) as e:
        raise ModelError(f"model version {record.version!r} has unusable engine options {options} ({e}); "
                         "train the version again") from e
    except (VoxsearchError, RuntimeError, ValueError, OSError) as e:
        raise ModelError(f"model version {record.version!r}: whisper failed to load ({e}); "
                         "promote another version or train it again") from e
    engine.catalog_rescoring = rescoring
    return engine


def _whisper_settings(record: ModelVersion) -> dict[str, Any]:
    """The engine settings a version's Whisper was tuned with: its model (versions from before it was
    recorded take the served settings' model)."""
    options = record.engine_options
    return {**{k: v for k, v in options.items() if k in ("whisper_model", "whisper_beam_size", "whisper_compute_type")},
            "name": "whisper"}
