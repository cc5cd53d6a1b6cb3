"""Audio to WAV bytes (for request logs, datasets and uploads)."""

from __future__ import annotations

import io
import struct

import numpy as np
import soundfile as sf

from voxsearch.errors import BadAudio, InvalidRequest
from voxsearch.types import Audio


def encode_wav(audio: Audio, subtype: str = "PCM_16") -> bytes:
    """WAV bytes in the given libsndfile subtype; integer subtypes clip samples to [-1, 1]."""
    if not sf.check_format("WAV", subtype):
        raise InvalidRequest(
            f"WAV subtype {subtype!r} is not supported; use one of {sorted(sf.available_subtypes('WAV'))}"
        )
    if audio.sample_rate <= 0:
        raise BadAudio(f"sample rate is {audio.sample_rate} Hz; audio needs a positive sample rate such as 16000")
    samples = np.asarray(audio.samples, dtype=np.float32)
    if not np.isfinite(samples).all():
        raise BadAudio("audio has NaN or infinite samples and cannot be written as WAV; fix the signal first")
    if subtype.startswith("PCM") or subtype in ("ULAW", "ALAW"):
        samples = np.clip(samples, -1.0, 1.0)
    if subtype == "PCM_16":
        return _pcm16_wav(samples, audio.sample_rate)
    buffer = io.BytesIO()
    sf.write(buffer, samples, audio.sample_rate, format="WAV", subtype=subtype)
    return buffer.getvalue()


def _pcm16_wav(samples: np.ndarray, rate: int) -> bytes:
    """The bytes libsndfile writes for PCM_16 WAV (44-byte header; floor(x * 32768), clipped), without its
    per-call overhead: standardize writes one per clip."""
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    pcm = np.minimum(np.floor(samples * np.float32(32768.0)), 32767).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 2, channels * 2, 16)
    return b"".join((b"RIFF", struct.pack("<I", 36 + len(pcm)), b"WAVE", b"fmt ", struct.pack("<I", len(fmt)), fmt,
                     b"data", struct.pack("<I", len(pcm)), pcm))
