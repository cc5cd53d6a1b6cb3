"""ITU-R BS.1770-4 integrated loudness in numpy alone: K-weighting, 400 ms blocks, absolute and relative gates.

The numbers are pyloudnorm's (its "K-weighting" class: an RBJ high shelf, +4 dB at 1500 Hz, then an RBJ
high pass at 38 Hz; its block count, block bounds and channel weights), without importing scipy, which
costs most of a second per process. The two biquads are designed once per sample rate, with their frequency
response on an FFT grid several times longer than their ringing, and applied by overlap-save: the result is
the zero-state recursive filter's output to within rounding (the impulse response left out is below 1e-12).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

__all__ = ["ABSOLUTE_GATE_LUFS", "KWeighting", "integrated_loudness", "k_weighted", "k_weighting"]

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
CHANNEL_WEIGHTS = (1.0, 1.0, 1.0, 1.41, 1.41)  # L, R, C, Ls, Rs
_OFFSET = -0.691
_TAIL_LEVEL = 1e-12  # the impulse response is followed until its envelope falls below this
_FFT_OVER_TAIL = 4  # FFT windows at least this many times the ringing: 3/4 of each window is output


@dataclass(frozen=True)
class KWeighting:
    """Two biquads as rows of (b0, b1, b2, 1, a1, a2), how many samples their response rings for, and their
    response on the FFT grid the filtering uses."""

    sections: np.ndarray
    tail_samples: int
    fft_size: int
    fft_response: np.ndarray

    def response(self, size: int) -> np.ndarray:
        """The cascade's frequency response at the `size // 2 + 1` bins of a real FFT of length `size`."""
        delay = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)  # z^-1
        response = np.ones(size // 2 + 1, dtype=np.complex128)
        for b0, b1, b2, _, a1, a2 in self.sections:
            response *= (b0 + delay * (b1 + delay * b2)) / (1.0 + delay * (a1 + delay * a2))
        return response


@lru_cache(maxsize=8)
def k_weighting(rate: int) -> KWeighting:
    """The K-weighting pre-filter (high shelf) and RLB high pass for `rate` Hz, as pyloudnorm designs them."""
    shelf = _rbj_biquad("high_shelf", gain_db=4.0, q=1 / math.sqrt(2), fc_hz=1500.0, rate=rate)
    high_pass = _rbj_biquad("high_pass", gain_db=0.0, q=0.5, fc_hz=38.0, rate=rate)
    sections = np.array([shelf, high_pass], dtype=np.float64)
    radius = max(float(np.max(np.abs(np.roots([1.0, s[4], s[5]])))) for s in sections)
    # a repeated pole decays as n * r^n: twice the single-pole length leaves it far below the level
    tail = 2 * (math.ceil(math.log(_TAIL_LEVEL) / math.log(radius)) if radius > 0 else 1)
    size = 1 << (_FFT_OVER_TAIL * tail - 1).bit_length()
    design = KWeighting(sections=sections, tail_samples=tail, fft_size=size, fft_response=np.empty(0))
    return replace(design, fft_response=design.response(size))


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """K-weighted float64 copy of (frames,) or (frames, channels) samples, filtered from a zero state.

    Overlap-save: windows of `fft_size` samples, each starting `tail_samples` before the samples it outputs.
    """
    design = k_weighting(rate)
    tail, size = design.tail_samples, design.fft_size
    hop = size - tail
    data = np.asarray(samples, dtype=np.float64).reshape(samples.shape[0], -1).T  # (channels, frames)
    channels, frames = data.shape
    windows = -(-frames // hop)
    padded = np.zeros((channels, tail + windows * hop))
    padded[:, tail:tail + frames] = data
    framed = np.lib.stride_tricks.sliding_window_view(padded, size, axis=-1)[:, ::hop]  # (channels, windows, size)
    filtered = np.fft.irfft(np.fft.rfft(framed, axis=-1) * design.fft_response, size, axis=-1)[..., tail:]
    out = filtered.reshape(channels, windows * hop)[:, :frames].T
    return out.reshape(samples.shape)


def integrated_loudness(samples: np.ndarray, rate: int, block_s: float = 0.400, overlap: float = 0.75) -> float:
    """Gated loudness in LUFS of (frames,) or (frames, channels <= 5) samples; -inf when every block is gated."""
    data = samples.reshape(samples.shape[0], -1)
    frames, channels = data.shape
    weighted = k_weighted(data, rate)
    energy = np.zeros((frames + 1, channels))
    np.cumsum(np.square(weighted), axis=0, out=energy[1:])
    step = 1.0 - overlap
    blocks = int(np.round((frames / rate - block_s) / (block_s * step))) + 1
    index = np.arange(blocks)
    lower = np.minimum((block_s * (index * step) * rate).astype(np.int64), frames)
    upper = np.minimum((block_s * (index * step + 1) * rate).astype(np.int64), frames)
    mean_square = (energy[upper] - energy[lower]) / (block_s * rate)  # (blocks, channels)
    weights = np.array(CHANNEL_WEIGHTS[:channels])
    with np.errstate(divide="ignore"):
        block_lufs = _OFFSET + 10.0 * np.log10((mean_square * weights).sum(axis=1))
    loud = block_lufs >= ABSOLUTE_GATE_LUFS
    if not loud.any():
        return -math.inf
    relative_gate = _OFFSET + 10.0 * math.log10(float((mean_square[loud].mean(axis=0) * weights).sum())) + RELATIVE_GATE_LU
    kept = (block_lufs > relative_gate) & (block_lufs > ABSOLUTE_GATE_LUFS)
    if not kept.any():
        return -math.inf
    power = float((mean_square[kept].mean(axis=0) * weights).sum())
    return _OFFSET + 10.0 * math.log10(power) if power > 0 else -math.inf


def _rbj_biquad(kind: str, gain_db: float, q: float, fc_hz: float, rate: int) -> tuple[float, ...]:
    """RBJ cookbook biquad normalized to a0 = 1: (b0, b1, b2, 1, a1, a2)."""
    amplitude = 10 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * fc_hz / rate
    alpha, cos_w0 = math.sin(w0) / (2.0 * q), math.cos(w0)
    if kind == "high_shelf":
        root = 2 * math.sqrt(amplitude) * alpha
        b = (amplitude * ((amplitude + 1) + (amplitude - 1) * cos_w0 + root),
             -2 * amplitude * ((amplitude - 1) + (amplitude + 1) * cos_w0),
             amplitude * ((amplitude + 1) + (amplitude - 1) * cos_w0 - root))
        a = ((amplitude + 1) - (amplitude - 1) * cos_w0 + root,
             2 * ((amplitude - 1) - (amplitude + 1) * cos_w0),
             (amplitude + 1) - (amplitude - 1) * cos_w0 - root)
    else:  # high_pass
        b = ((1 + cos_w0) / 2, -(1 + cos_w0), (1 + cos_w0) / 2)
        a = (1 + alpha, -2 * cos_w0, 1 - alpha)
    return b[0] / a[0], b[1] / a[0], b[2] / a[0], 1.0, a[1] / a[0], a[2] / a[0]
