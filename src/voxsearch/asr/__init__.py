"""Speech recognition engines behind one small interface; backends load lazily."""

from voxsearch.asr.engine import Engine, check_asr_input
from voxsearch.asr.pocketsphinx_engine import PocketsphinxEngine, PocketsphinxOptions
from voxsearch.asr.registry import ENGINE_NAMES, available_engines, choose_engine, create_engine, engine_extra
from voxsearch.asr.whisper_engine import WhisperEngine

__all__ = [
    "ENGINE_NAMES",
    "Engine",
    "PocketsphinxEngine",
    "PocketsphinxOptions",
    "WhisperEngine",
    "available_engines",
    "check_asr_input",
    "choose_engine",
    "create_engine",
    "engine_extra",
]
