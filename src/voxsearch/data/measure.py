"""Measurements of one clip: format, level, loudness, clipping, silence around the speech, SNR."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from voxsearch.audio import clipped_fraction, loudness_lufs, peak_dbfs, prepare_for_asr, rms_dbfs
from voxsearch.audio.vad import Vad
from voxsearch.data.speech_bounds import find_speech_bounds
from voxsearch.types import Audio

__all__ = ["ClipLevels", "measure_clip"]


@dataclass(frozen=True)
class ClipLevels:
    sample_rate: int
    channels: int
    duration_s: float
    clipped_fraction: float
    rms_dbfs: float
    peak_dbfs: float
    loudness_lufs: float
    speech_ms: float  # VAD speech in total (0: no speech found)
    lead_silence_ms: float | None  # before the (refined) speech start; None without speech
    trail_silence_ms: float | None
    snr_db: float | None  # speech level over the level outside the speech; None without both


def measure_clip(audio: Audio, vad: Vad) -> ClipLevels:
    mono16k = prepare_for_asr(audio)
    bounds = find_speech_bounds(mono16k, vad)
    duration_s = audio.duration_s
    lead = trail = snr = None
    speech_ms = 0.0
    if bounds is not None:
        lead = round(bounds.start_s * 1000, 1)
        trail = round(max(0.0, mono16k.duration_s - bounds.end_s) * 1000, 1)
        speech_ms = round(bounds.speech_s * 1000, 1)
        snr = _snr_db(mono16k.samples, bounds.start_s, bounds.end_s)
    return ClipLevels(
        sample_rate=audio.sample_rate, channels=audio.channels, duration_s=round(duration_s, 4),
        clipped_fraction=clipped_fraction(audio), rms_dbfs=_round(rms_dbfs(audio)), peak_dbfs=_round(peak_dbfs(audio)),
        loudness_lufs=_round(loudness_lufs(audio)), speech_ms=speech_ms, lead_silence_ms=lead,
        trail_silence_ms=trail, snr_db=snr,
    )


def _snr_db(samples: np.ndarray, start_s: float, end_s: float, rate: int = 16000) -> float | None:
    """10 log10((P_speech - P_noise) / P_noise), speech = inside the bounds, noise = outside (>= 100 ms of it)."""
    first, last = int(start_s * rate), int(end_s * rate)
    outside = np.concatenate([samples[:first], samples[last:]]).astype(np.float64)
    inside = samples[first:last].astype(np.float64)
    if len(outside) < rate // 10 or len(inside) == 0:
        return None
    p_noise, p_total = float(np.mean(outside**2)), float(np.mean(inside**2))
    if p_noise <= 1e-12:
        return 120.0  # digital silence around the speech
    return round(10 * math.log10(max(p_total - p_noise, 1e-12) / p_noise), 1)


def _round(value: float) -> float:
    return round(value, 2) if math.isfinite(value) else value
