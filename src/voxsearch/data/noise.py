"""Acoustic conditions for synthetic clips: noise at an SNR, telephone band, silence padding, gain.

Pure numpy on mono float32 arrays; every random draw comes from the generator passed in.
"""

from __future__ import annotations

import numpy as np
import soxr

from voxsearch.errors import DatasetError

TELEPHONE_RATE = 8_000
TELEPHONE_BAND_HZ = (300.0, 3_400.0)
_MU = 255.0


def white_noise(frames: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(frames).astype(np.float32)


def pink_noise(frames: int, rng: np.random.Generator) -> np.ndarray:
    """1/f power spectrum: white noise shaped by 1/sqrt(f) in the frequency domain, unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(frames))
    scale = np.ones(spectrum.shape[0])
    scale[1:] = 1.0 / np.sqrt(np.arange(1, spectrum.shape[0]))
    scale[0] = 0.0
    noise = np.fft.irfft(spectrum * scale, n=frames)
    return (noise / (_rms(noise) or 1.0)).astype(np.float32)


def babble_noise(frames: int, talkers: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Several other utterances, each looped to `frames` from a random offset, summed; unit RMS."""
    if not talkers:
        raise DatasetError("babble noise needs at least one talker utterance; pass other synthesized clips")
    mix = np.zeros(frames, dtype=np.float64)
    for talker in talkers:
        talker = talker / (_rms(talker) or 1.0)
        looped = np.resize(talker, frames + talker.shape[0])
        start = int(rng.integers(talker.shape[0]))
        mix += looped[start : start + frames]
    return (mix / (_rms(mix) or 1.0)).astype(np.float32)


def mix_at_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float, speech_power: float) -> np.ndarray:
    """speech + noise scaled so that speech_power / noise power = snr_db (power over the speech, not the pads)."""
    if noise.shape != speech.shape:
        raise DatasetError(
            f"noise has shape {noise.shape} but speech {speech.shape}; generate noise of the same length"
        )
    noise_power = float(np.mean(np.square(noise, dtype=np.float64)))
    if noise_power == 0.0:
        return speech.copy()
    gain = np.sqrt(speech_power / (noise_power * 10.0 ** (snr_db / 10.0)))
    return (speech + gain * noise).astype(np.float32)


def telephone_band(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Narrow-band telephone channel: 8 kHz, 300-3400 Hz band pass, mu-law 8-bit codec; back at `sample_rate`."""
    narrow = soxr.resample(samples.astype(np.float32), sample_rate, TELEPHONE_RATE)
    spectrum = np.fft.rfft(narrow)
    freqs = np.fft.rfftfreq(narrow.shape[0], d=1.0 / TELEPHONE_RATE)
    low, high = TELEPHONE_BAND_HZ
    spectrum[(freqs < low) | (freqs > high)] = 0.0
    narrow = np.fft.irfft(spectrum, n=narrow.shape[0])
    peak = float(np.max(np.abs(narrow))) or 1.0
    narrow = _mu_law_roundtrip(narrow / peak) * peak
    return soxr.resample(narrow.astype(np.float32), TELEPHONE_RATE, sample_rate).astype(np.float32)


def pad_silence(samples: np.ndarray, sample_rate: int, lead_s: float, trail_s: float) -> np.ndarray:
    if lead_s < 0 or trail_s < 0:
        raise DatasetError(
            f"silence must be >= 0 s, got lead {lead_s} s and trail {trail_s} s; pass non-negative values"
        )
    lead = np.zeros(int(round(lead_s * sample_rate)), dtype=np.float32)
    trail = np.zeros(int(round(trail_s * sample_rate)), dtype=np.float32)
    return np.concatenate([lead, samples.astype(np.float32), trail])


def set_peak(samples: np.ndarray, peak_dbfs: float) -> np.ndarray:
    peak = float(np.max(np.abs(samples)))
    if peak == 0.0:
        raise DatasetError("cannot set the peak level of all-zero audio; check the synthesizer output")
    return (samples * (10.0 ** (peak_dbfs / 20.0) / peak)).astype(np.float32)


def add_noise_floor(samples: np.ndarray, floor_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """A low white-noise floor (RMS `floor_dbfs`), so no stretch of a clip is digital silence."""
    return (samples + white_noise(samples.shape[0], rng) * 10.0 ** (floor_dbfs / 20.0)).astype(np.float32)


def power(samples: np.ndarray) -> float:
    return float(np.mean(np.square(samples, dtype=np.float64)))


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0


def _mu_law_roundtrip(samples: np.ndarray) -> np.ndarray:
    """G.711-style 8-bit mu-law quantization of [-1, 1] audio."""
    clipped = np.clip(samples, -1.0, 1.0)
    encoded = np.sign(clipped) * np.log1p(_MU * np.abs(clipped)) / np.log1p(_MU)
    quantized = np.round(encoded * 127.0) / 127.0
    return np.sign(quantized) * np.expm1(np.abs(quantized) * np.log1p(_MU)) / _MU
