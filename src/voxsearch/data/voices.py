"""Synthetic voices: flite, festival, espeak-ng (apt binaries) and hibari (PyPI, ONNX), behind one call.

`synthesize(voice, text)` returns mono float32 audio at the voice's own rate. Every engine here is
deterministic for the same text (hibari with a fixed seed), so a corpus is reproducible byte for byte.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import soundfile as sf

from voxsearch.errors import DatasetError
from voxsearch.types import Audio

logger = logging.getLogger(__name__)

_TIMEOUT_S = 60


@dataclass(frozen=True)
class Voice:
    name: str  # the manifest's `voice` tag
    engine: str  # flite | festival | espeak | hibari
    variant: str  # the engine's own voice id
    humanlike: bool = True  # espeak-ng is formant synthesis, far from human speech


VOICES: tuple[Voice, ...] = (
    Voice("flite-slt", "flite", "slt"),
    Voice("flite-kal16", "flite", "kal16"),
    Voice("flite-awb", "flite", "awb"),
    Voice("flite-rms", "flite", "rms"),
    Voice("festival-slt-hts", "festival", "voice_cmu_us_slt_arctic_hts"),
    Voice("hibari-heart", "hibari", "heart"),
    Voice("espeak-en-us", "espeak", "en-us", humanlike=False),
    Voice("espeak-en-gb-f3", "espeak", "en-gb+f3", humanlike=False),
)
_INSTALL_HINT = {
    "flite": "apt-get install flite",
    "festival": "apt-get install festival festvox-us-slt-hts",
    "espeak": "apt-get install espeak-ng",
    "hibari": "pip install hibari-tts",
}
_BINARY = {"flite": "flite", "festival": "text2wave", "espeak": "espeak-ng"}


def voice_by_name(name: str) -> Voice:
    for voice in VOICES:
        if voice.name == name:
            return voice
    raise DatasetError(f"unknown voice {name!r}; choose from: {', '.join(v.name for v in VOICES)}")


def missing_reason(voice: Voice) -> str | None:
    """Why `voice` cannot run here (with the install command), or None when it can."""
    if voice.engine == "hibari":
        found = importlib.util.find_spec("hibari") is not None
    else:
        found = shutil.which(_BINARY[voice.engine]) is not None
    if found:
        return None
    return (
        f"voice {voice.name!r} needs the {voice.engine} synthesizer, which is not installed; "
        f"{_INSTALL_HINT[voice.engine]}"
    )


def require_voices(voices: tuple[Voice, ...]) -> None:
    reasons = [r for r in (missing_reason(v) for v in voices) if r]
    if reasons:
        raise DatasetError("; ".join(reasons))


def synthesize(voice: Voice, text: str, seed: int = 0) -> Audio:
    """Speak `text` (plain lowercase words) with `voice`; mono float32 at the engine's rate."""
    if not text.strip():
        raise DatasetError(f"cannot synthesize empty text {text!r} with voice {voice.name!r}; give some words")
    if voice.engine == "hibari":
        return _hibari(text, voice.variant, seed)
    if voice.engine == "flite":
        command = ["flite", "-voice", voice.variant, "-t", text, "-o", "/dev/stdout"]
        stdin = None
    elif voice.engine == "festival":
        command = ["text2wave", "-eval", f"({voice.variant})", "-o", "/dev/stdout"]
        stdin = text.encode()
    elif voice.engine == "espeak":
        command = ["espeak-ng", "-v", voice.variant, "--stdout", text]
        stdin = None
    else:
        raise DatasetError(
            f"voice {voice.name!r} has unknown engine {voice.engine!r}; use one of {sorted(_INSTALL_HINT)}"
        )
    return _run_engine(voice, command, stdin)


def _run_engine(voice: Voice, command: list[str], stdin: bytes | None) -> Audio:
    reason = missing_reason(voice)
    if reason:
        raise DatasetError(reason)
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as e:
        raise DatasetError(f"voice {voice.name!r} took over {_TIMEOUT_S} s; check the {voice.engine} install") from e
    if done.returncode != 0 or not done.stdout:
        raise DatasetError(
            f"voice {voice.name!r} failed (exit {done.returncode}): {done.stderr.decode(errors='replace')[-300:]}; "
            f"check the install: {_INSTALL_HINT[voice.engine]}"
        )
    samples, rate = sf.read(io.BytesIO(_fix_streamed_wav(done.stdout)), dtype="float32", always_2d=False)
    if samples.ndim > 1:
        samples = samples.mean(axis=1)
    return Audio(samples=np.ascontiguousarray(samples, dtype=np.float32), sample_rate=int(rate))


def _fix_streamed_wav(data: bytes) -> bytes:
    """Engines writing WAV to a pipe cannot seek back, so the RIFF/data sizes may be 0 or -1: set them."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return data
    out = bytearray(data)
    out[4:8] = (len(out) - 8).to_bytes(4, "little")
    pos = 12
    while pos + 8 <= len(out):
        chunk, size = bytes(out[pos : pos + 4]), int.from_bytes(out[pos + 4 : pos + 8], "little")
        if chunk == b"data":
            out[pos + 4 : pos + 8] = (len(out) - pos - 8).to_bytes(4, "little")
            break
        pos += 8 + size + (size & 1)
    return bytes(out)


_HIBARI_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _hibari_model(variant: str):
    from hibari import Hibari

    return Hibari(voice=variant, threads=1)


def _hibari(text: str, variant: str, seed: int) -> Audio:
    if importlib.util.find_spec("hibari") is None:
        raise DatasetError(f"the hibari voices need the 'hibari-tts' package; {_INSTALL_HINT['hibari']}")
    with _HIBARI_LOCK:
        try:
            model = _hibari_model(variant)
        except RuntimeError as e:  # a voice outside the wheel that cannot be downloaded
            raise DatasetError(f"hibari voice {variant!r} is not available offline: {e}") from e
        samples = model(text, seed=seed)
    return Audio(samples=np.asarray(samples, dtype=np.float32), sample_rate=int(model.sample_rate))
