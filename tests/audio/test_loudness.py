"""Level measurements against signals with known levels, and loudness normalization on real speech."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest

from voxsearch.audio import clipped_fraction, loudness_lufs, normalize_loudness, peak_dbfs, rms_dbfs
from voxsearch.errors import InvalidRequest
from voxsearch.types import Audio

from .conftest import sine


def reference_lufs(audio: Audio) -> float:
    return pyloudnorm.Meter(audio.sample_rate).integrated_loudness(audio.samples.astype(np.float64))


def test_sine_levels() -> None:
    tone = Audio(samples=sine(1_000, 1.0, 16_000, amplitude=0.5), sample_rate=16_000)
    assert peak_dbfs(tone) == pytest.approx(20 * math.log10(0.5), abs=0.01)
    assert rms_dbfs(tone) == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.01)


def test_silence_measures_minus_infinity() -> None:
    silence = Audio(samples=np.zeros(8_000, dtype=np.float32), sample_rate=16_000)
    assert rms_dbfs(silence) == peak_dbfs(silence) == loudness_lufs(silence) == -math.inf
    assert normalize_loudness(silence, -23.0) is silence


def test_clipped_fraction_counts_full_scale_samples() -> None:
    samples = np.full(1_000, 0.2, dtype=np.float32)
    samples[:25] = 1.0
    samples[25:30] = -0.9995
    assert clipped_fraction(Audio(samples=samples, sample_rate=8_000)) == pytest.approx(0.03)
    with pytest.raises(InvalidRequest, match="threshold"):
        clipped_fraction(Audio(samples=samples, sample_rate=8_000), threshold=1.5)


@pytest.mark.parametrize("target_lufs", [-30.0, -23.0, -16.0])
def test_normalization_hits_target(speech_16k: Audio, target_lufs: float) -> None:
    normalized = normalize_loudness(speech_16k, target_lufs, peak_limit_dbfs=-0.1)
    assert reference_lufs(normalized) == pytest.approx(target_lufs, abs=0.5)
    assert normalized.samples.dtype == np.float32


def test_peak_limit_wins_over_target(speech_16k: Audio) -> None:
    normalized = normalize_loudness(speech_16k, -3.0, peak_limit_dbfs=-1.0)
    assert peak_dbfs(normalized) == pytest.approx(-1.0, abs=0.01)
    assert loudness_lufs(normalized) < -4.0


def test_clip_shorter_than_a_gating_block_is_measured() -> None:
    short = Audio(samples=sine(1_000, 0.2, 16_000), sample_rate=16_000)
    long = Audio(samples=sine(1_000, 2.0, 16_000), sample_rate=16_000)
    assert loudness_lufs(short) == pytest.approx(reference_lufs(long), abs=0.5)
    assert math.isfinite(loudness_lufs(normalize_loudness(short, -23.0)))


def test_stereo_loudness_matches_pyloudnorm(speech_16k: Audio) -> None:
    stereo = Audio(samples=np.stack([speech_16k.samples, 0.5 * speech_16k.samples], axis=1), sample_rate=16_000)
    assert loudness_lufs(stereo) == pytest.approx(reference_lufs(stereo), abs=1e-6)


def test_bad_target_is_refused(speech_16k: Audio) -> None:
    with pytest.raises(InvalidRequest, match="LUFS"):
        normalize_loudness(speech_16k, math.nan)
    with pytest.raises(InvalidRequest, match="peak limit 3"):
        normalize_loudness(speech_16k, -23.0, peak_limit_dbfs=3.0)
