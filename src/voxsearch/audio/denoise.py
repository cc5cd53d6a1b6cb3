"""Spectral subtraction for noisy clips, before the VAD and the engine.

The noise spectrum is estimated from the clip itself (the 20th percentile of each frequency bin's power
over time: short queries are mostly speech, but every bin has quiet moments; for stationary noise that is
about 0.22x its mean power) and subtracted with an over-subtraction factor and a spectral floor (Berouti et
al., 1979). Only clips whose estimated SNR is below a threshold are touched (clean clips measured 28 dB and
up, noisy ones 8-27 dB), so clean speech goes to the engine as it came.

Measured on a held-out synthesized set (55 noisy clips: white, pink and babble noise at 5-15 dB; 34k-place
catalog; a demo hybrid version's two engines): the clips where either engine's text finds the expected entry
first went 15 -> 24 of 50 in-domain (white and pink gain, babble does not); the default factor 2 beat 4.5
(22) and 9 (20), which take more noise off and more speech with it. Whisper's WER rises (95% -> 106%: it
transcribes more of what is left), so the stage is off by default (`VOXSEARCH_DENOISE__ENABLED=true`).
"""

from __future__ import annotations

import math

import numpy as np

from voxsearch.config import DenoiseSettings
from voxsearch.types import Audio

__all__ = ["denoise", "estimate_snr_db"]

FRAME = 512  # 32 ms at 16 kHz
HOP = 128


def estimate_snr_db(audio: Audio, noise_percentile: float = 20.0) -> float:
    """10 log10((P - N) / N) over the clip, N being the percentile noise estimate of each frequency bin
    (clean clips with a little room noise come out at 28 dB or more, noisy ones at 5-15 dB below 27)."""
    power = np.abs(_stft(audio.samples)) ** 2
    if power.size == 0:
        return math.inf
    return _snr_db(power, np.percentile(power, noise_percentile, axis=1, keepdims=True))


def _snr_db(power: np.ndarray, noise: np.ndarray) -> float:
    total, floor = float(np.sum(np.mean(power, axis=1))), float(np.sum(noise))
    return math.inf if floor <= 1e-20 else 10.0 * math.log10(max(total - floor, 1e-20) / floor)


def denoise(audio: Audio, settings: DenoiseSettings = DenoiseSettings()) -> tuple[Audio, float]:
    """The clip with the noise estimate subtracted when its SNR is below the threshold (else unchanged),
    and the estimated SNR in dB."""
    samples = audio.samples.astype(np.float64)
    spectrum = _stft(samples)
    if spectrum.size == 0:
        return audio, math.inf
    power = np.abs(spectrum) ** 2
    noise = np.percentile(power, settings.noise_percentile, axis=1, keepdims=True)
    snr = _snr_db(power, noise)
    if snr >= settings.below_snr_db:
        return audio, snr
    gain = np.maximum(1.0 - settings.over_subtraction * noise / np.maximum(power, 1e-20), settings.floor)
    cleaned = _istft(spectrum * np.sqrt(gain), len(samples))
    return Audio(samples=cleaned.astype(np.float32), sample_rate=audio.sample_rate), snr


def _stft(samples: np.ndarray) -> np.ndarray:
    """Frames of FRAME samples every HOP (Hann window, padded at both ends): bins × frames."""
    if len(samples) < FRAME:
        return np.zeros((FRAME // 2 + 1, 0), dtype=np.complex128)
    padded = np.pad(samples.astype(np.float64), (FRAME // 2, FRAME // 2))
    count = 1 + (len(padded) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return np.fft.rfft(padded[index] * np.hanning(FRAME), axis=1).T


def _istft(spectrum: np.ndarray, length: int) -> np.ndarray:
    """Weighted overlap-add inverse of `_stft`, cut to `length` samples."""
    window = np.hanning(FRAME)
    frames = np.fft.irfft(spectrum.T, n=FRAME, axis=1) * window
    out = np.zeros(FRAME + HOP * (frames.shape[0] - 1))
    weight = np.zeros_like(out)
    for n, frame in enumerate(frames):
        out[n * HOP:n * HOP + FRAME] += frame
        weight[n * HOP:n * HOP + FRAME] += window**2
    out /= np.maximum(weight, 1e-8)
    return out[FRAME // 2:FRAME // 2 + length]
