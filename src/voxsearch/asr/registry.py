"""Which engines exist, which are installed, and building one from settings (backends import lazily)."""

from __future__ import annotations

import importlib.util
import logging

from voxsearch.asr.engine import Engine
from voxsearch.config import EngineSettings
from voxsearch.errors import EngineUnavailable, InvalidRequest, missing_extra

logger = logging.getLogger(__name__)

ENGINE_NAMES = ("whisper", "pocketsphinx")
# engine name -> (importable module, pip package, pyproject extra)
_BACKENDS = {
    "whisper": ("faster_whisper", "faster-whisper", "whisper"),
    "pocketsphinx": ("pocketsphinx", "pocketsphinx", "pocketsphinx"),
}


def engine_extra(name: str) -> str:
    """The pyproject extra that installs engine `name`."""
    return _BACKENDS[_known(name)][2]


def available_engines() -> dict[str, bool]:
    """Engine name -> whether its backend is installed (found, not imported)."""
    return {name: importlib.util.find_spec(_BACKENDS[name][0]) is not None for name in ENGINE_NAMES}


def choose_engine(requested: str | None, available: dict[str, bool], default: str) -> str:
    """The engine to use: `requested` if given, else `default`, else the first installed one.

    Raises InvalidRequest for an unknown name, EngineUnavailable when the engine is not installed.
    """
    if requested is not None:
        name = _known(requested)
        if not available.get(name, False):
            raise _unavailable(name)
        return name
    default = _known(default)
    if available.get(default, False):
        return default
    for name in ENGINE_NAMES:
        if available.get(name, False):
            logger.info("default engine %r is not installed; using %r", default, name)
            return name
    raise _unavailable(default)


def create_engine(settings: EngineSettings) -> Engine:
    """Load the engine named in `settings` (blocking: seconds, not milliseconds)."""
    name = choose_engine(settings.name, available_engines(), default=ENGINE_NAMES[0])
    if name == "whisper":
        from voxsearch.asr.whisper_engine import WhisperEngine

        return WhisperEngine(settings)
    from voxsearch.asr.pocketsphinx_engine import PocketsphinxEngine

    if settings.isolate_pocketsphinx:
        from voxsearch.asr.engine_process import EngineProcess

        return EngineProcess(PocketsphinxEngine)  # type: ignore[return-value]
    return PocketsphinxEngine()


def _known(name: str) -> str:
    key = name.strip().lower()
    if key not in _BACKENDS:
        raise InvalidRequest(f"unknown engine {name!r}; use one of: {', '.join(ENGINE_NAMES)}")
    return key


def _unavailable(name: str) -> EngineUnavailable:
    _, package, extra = _BACKENDS[name]
    return missing_extra(package, extra, f"The {name} engine")
