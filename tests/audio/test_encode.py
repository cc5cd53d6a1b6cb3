"""encode_wav's PCM_16 fast path writes exactly what libsndfile writes."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from voxsearch.audio.encode import encode_wav
from voxsearch.types import Audio


def _libsndfile(samples: np.ndarray, rate: int, subtype: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(samples, -1.0, 1.0), rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


@pytest.mark.parametrize("shape, rate", [((48_000,), 16_000), ((9_001, 2), 44_100), ((1,), 8_000), ((0,), 16_000)])
def test_pcm16_bytes_match_libsndfile(shape: tuple[int, ...], rate: int):
    samples = np.random.default_rng(3).uniform(-1.3, 1.3, shape).astype(np.float32)
    edges = np.array([1.0, -1.0, 0.0, 0.5 / 32768, -0.5 / 32768, 1.5 / 32768, 32767.5 / 32768, -32767.5 / 32768],
                     dtype=np.float32)
    flat = samples.reshape(-1)
    flat[: min(len(flat), len(edges))] = edges[: len(flat)]
    encoded = encode_wav(Audio(samples=samples, sample_rate=rate), "PCM_16")
    assert encoded == _libsndfile(samples, rate, "PCM_16")
    decoded, read_rate = sf.read(io.BytesIO(encoded), dtype="float32", always_2d=False)
    assert read_rate == rate and decoded.shape == samples.shape


def test_other_subtypes_go_through_libsndfile():
    samples = np.linspace(-1, 1, 1000, dtype=np.float32)
    assert encode_wav(Audio(samples=samples, sample_rate=16_000), "PCM_24") == _libsndfile(samples, 16_000, "PCM_24")
