"""Channel and rate conversion: downmix, resample (soxr), and the one format every ASR engine takes."""

from __future__ import annotations

import numpy as np
import soxr

from voxsearch.errors import BadAudio, InvalidRequest
from voxsearch.types import TARGET_SAMPLE_RATE, Audio


def to_mono(audio: Audio) -> Audio:
    """Average the channels; mono audio is returned as float32 unchanged."""
    if audio.samples.ndim == 1:
        return _as_float32(audio)
    if audio.samples.ndim != 2:
        raise BadAudio(f"audio samples have shape {audio.samples.shape}; expected (frames,) or (frames, channels)")
    # channel by channel: numpy's mean along the short channel axis is ~30x slower (and a matrix product
    # would start BLAS threads that spin on the cores the other workers use)
    samples = np.asarray(audio.samples, dtype=np.float32)
    mono = samples[:, 0].copy()
    for channel in range(1, samples.shape[1]):
        mono += samples[:, channel]
    mono /= np.float32(samples.shape[1])
    return Audio(samples=mono, sample_rate=audio.sample_rate)


def resample(audio: Audio, rate: int) -> Audio:
    """Resample every channel to `rate` Hz with soxr 'HQ'; the output has round(frames * rate / old_rate) frames."""
    if not isinstance(rate, int | np.integer) or rate <= 0:
        raise InvalidRequest(f"target sample rate {rate!r} is not a positive integer; use e.g. 16000")
    _check_rate(audio)
    if audio.sample_rate == rate:
        return _as_float32(audio)
    samples = soxr.resample(np.asarray(audio.samples, dtype=np.float32), audio.sample_rate, int(rate), quality="HQ")
    return Audio(samples=np.ascontiguousarray(samples, dtype=np.float32), sample_rate=int(rate))


def prepare_for_asr(audio: Audio) -> Audio:
    """Mono, 16 kHz, contiguous float32: the input every engine and VAD here expects."""
    return resample(to_mono(audio), TARGET_SAMPLE_RATE)


def _check_rate(audio: Audio) -> None:
    if audio.sample_rate <= 0:
        raise BadAudio(f"sample rate is {audio.sample_rate} Hz; audio needs a positive sample rate such as 16000")


def _as_float32(audio: Audio) -> Audio:
    samples = audio.samples
    if samples.dtype == np.float32 and samples.flags.c_contiguous:
        return audio
    return Audio(samples=np.ascontiguousarray(samples, dtype=np.float32), sample_rate=audio.sample_rate)
