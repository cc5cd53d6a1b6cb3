"""Speech fixtures (tests/data/audio, made by scripts/make_audio_fixtures.sh) and signal builders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voxsearch.audio import load_audio
from voxsearch.config import AudioLimits
from voxsearch.types import Audio

AUDIO_DIR = Path(__file__).resolve().parents[1] / "data" / "audio"
SPEECH_16K = AUDIO_DIR / "directions_to_san_francisco_16k.wav"
SPEECH_22K = AUDIO_DIR / "weather_in_new_york_22k.wav"
SPEECH_8K = AUDIO_DIR / "museums_in_paris_8k.wav"
ALL_SPEECH = (SPEECH_16K, SPEECH_22K, SPEECH_8K)


@pytest.fixture(scope="session")
def speech_16k() -> Audio:
    return load_audio(SPEECH_16K, AudioLimits())


@pytest.fixture(scope="session")
def speech_8k() -> Audio:
    return load_audio(SPEECH_8K, AudioLimits())


def sine(frequency_hz: float, duration_s: float, sample_rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(duration_s * sample_rate)) / sample_rate
    return (amplitude * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def speech_bounds_s(audio: Audio, below_peak_db: float = 40.0) -> tuple[float, float]:
    """Reference speech start/end: first and last 10 ms frame within `below_peak_db` of the loudest frame."""
    hop = audio.sample_rate // 100
    frames = audio.samples[: audio.frames // hop * hop].reshape(-1, hop).astype(np.float64)
    level_db = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    loud = np.flatnonzero(level_db > level_db.max() - below_peak_db)
    return loud[0] / 100, (loud[-1] + 1) / 100
