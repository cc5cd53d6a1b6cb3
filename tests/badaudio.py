"""Hostile and broken audio payloads, built from first principles (shared by the server and CLI tests)."""

from __future__ import annotations

import io
import struct

import numpy as np
import soundfile as sf


def wav_bytes(samples: np.ndarray, rate: int, subtype: str = "PCM_16") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format="WAV", subtype=subtype)
    return buf.getvalue()


def tone(seconds: float, rate: int = 16_000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def zero_rate_wav() -> bytes:
    """A PCM WAV whose header says 0 Hz."""
    data = np.zeros(1600, dtype="<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, 0, 0, 2, 16)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def nan_wav() -> bytes:
    samples = tone(0.5)
    samples[100:200] = np.nan
    return wav_bytes(samples, 16_000, subtype="FLOAT")


def truncated_wav() -> bytes:
    return wav_bytes(tone(0.5), 16_000)[:30]


def random_bytes(n: int = 4096) -> bytes:
    return np.random.default_rng(0).bytes(n)


def too_long_wav(seconds: float = 31.0) -> bytes:
    return wav_bytes(np.zeros(int(seconds * 8000), dtype=np.float32), 8000)


def too_big_wav(n_bytes: int = 10_500_000) -> bytes:
    return wav_bytes(np.zeros(n_bytes // 2, dtype=np.float32), 16_000)



def bad_inputs() -> dict[str, tuple[bytes, int]]:
    """name → (payload, expected HTTP status)."""
    return {
        "empty": (b"", 400),
        "random_bytes": (random_bytes(), 415),
        "truncated_wav_header": (truncated_wav(), 400),
        "zero_hz": (zero_rate_wav(), 400),
        "nan_floats": (nan_wav(), 400),
        "too_long": (too_long_wav(), 413),
        "too_big": (too_big_wav(), 413),
    }
