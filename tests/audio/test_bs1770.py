"""The numpy BS.1770 meter against pyloudnorm (and scipy's recursive filter) on real speech at several rates."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
import scipy.signal
import soxr

from voxsearch.audio import load_audio
from voxsearch.audio.bs1770 import integrated_loudness, k_weighted, k_weighting
from voxsearch.config import AudioLimits

from .conftest import ALL_SPEECH

RATES = (8000, 16000, 22050, 44100, 48000)


def _speech(index: int, rate: int, channels: int) -> np.ndarray:
    audio = load_audio(ALL_SPEECH[index % len(ALL_SPEECH)], AudioLimits())
    samples = soxr.resample(audio.samples, audio.sample_rate, rate).astype(np.float64)
    rng = np.random.default_rng(index)
    samples = np.concatenate([np.zeros(rate // 3), samples, np.zeros(rate // 2)])  # quiet blocks to gate out
    samples += rng.standard_normal(len(samples)) * 1e-4
    if channels == 1:
        return samples
    return np.stack([samples * 0.5 ** ch for ch in range(channels)], axis=1)


def _pyloudnorm_filters(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    meter = pyloudnorm.Meter(rate)
    return [(stage.b, stage.a) for stage in meter._filters.values()]


@pytest.mark.parametrize("rate", RATES)
def test_coefficients_are_pyloudnorms(rate: int) -> None:
    ours = k_weighting(rate).sections
    for (b, a), section in zip(_pyloudnorm_filters(rate), ours, strict=True):
        np.testing.assert_allclose(section, np.concatenate([b, a]), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rate", RATES)
def test_filtering_matches_the_recursive_filter(rate: int) -> None:
    samples = _speech(rate, rate, 1)
    expected = samples
    for b, a in _pyloudnorm_filters(rate):
        expected = scipy.signal.lfilter(b, a, expected)
    np.testing.assert_allclose(k_weighted(samples, rate), expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize(("index", "rate", "channels"),
                         [(0, 16000, 1), (1, 22050, 1), (2, 8000, 1), (3, 44100, 2), (4, 48000, 1), (5, 16000, 5)])
def test_integrated_loudness_matches_pyloudnorm(index: int, rate: int, channels: int) -> None:
    samples = _speech(index, rate, channels) * 10 ** (-index * 4 / 20)
    expected = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert integrated_loudness(samples, rate) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("block_s", [0.05, 0.2, 0.399])
def test_short_blocks_match_pyloudnorm(block_s: float) -> None:
    samples = _speech(1, 16000, 1)[: 6400]  # 0.4 s: what loudness_lufs measures with a shorter block
    expected = pyloudnorm.Meter(16000, block_size=block_s).integrated_loudness(samples)
    assert integrated_loudness(samples, 16000, block_s=block_s) == pytest.approx(expected, abs=1e-6)


def test_gated_out_audio_measures_minus_infinity() -> None:
    assert integrated_loudness(np.full(16000, 1e-6), 16000) == -math.inf
    assert integrated_loudness(np.zeros(16000), 16000) == -math.inf
