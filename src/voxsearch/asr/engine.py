"""The recognition engine interface and the input contract every backend checks."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from voxsearch.errors import EngineError
from voxsearch.types import TARGET_SAMPLE_RATE, Audio, ModelInfo, Transcript


@runtime_checkable
class Engine(Protocol):
    """A loaded speech recognizer: audio in, transcript out.

    The model loads when the engine is constructed, never per call. An instance is NOT thread-safe:
    use it from one thread at a time (the server keeps a pool of instances, one per worker).
    """

    info: ModelInfo
    """Engine name, model version (library version, model name, hash of the model files), options."""

    def transcribe(self, audio: Audio) -> Transcript:
        """Recognize one utterance of 16 kHz mono float32 audio; raise EngineError for other input."""
        ...


def check_asr_input(audio: Audio) -> np.ndarray:
    """Return the samples of `audio` as a 1-D float32 array, or raise EngineError saying how to fix it."""
    fix = "convert it with voxsearch.audio.prepare_for_asr first"
    if not isinstance(audio, Audio):
        raise EngineError(f"engines take a voxsearch.types.Audio, got {type(audio).__name__}; {fix}")
    if audio.sample_rate != TARGET_SAMPLE_RATE:
        raise EngineError(
            f"audio sample rate is {audio.sample_rate} Hz, engines need {TARGET_SAMPLE_RATE} Hz; {fix}"
        )
    if audio.samples.ndim != 1:
        raise EngineError(f"audio has shape {audio.samples.shape}, engines need mono (1-D) samples; {fix}")
    if audio.samples.dtype != np.float32:
        raise EngineError(f"audio samples are {audio.samples.dtype}, engines need float32 in [-1, 1]; {fix}")
    if not np.isfinite(audio.samples).all():
        raise EngineError(f"audio contains NaN or infinite samples; {fix}")
    return np.ascontiguousarray(audio.samples)
