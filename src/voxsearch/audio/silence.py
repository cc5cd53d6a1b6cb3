"""Cut to the detected speech, or add silence around a clip."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

from voxsearch.audio.vad.base import SpeechSegment, Vad
from voxsearch.errors import InvalidRequest
from voxsearch.types import Audio

logger = logging.getLogger(__name__)


def trim_to_speech(audio: Audio, vad: Vad, pad_ms: float, keep_below_snr_db: float | None = None) -> Audio:
    """The clip from its first to its last speech `vad` detects, `pad_ms` either side (the serving front end).
    Whole when no speech is found, or when its estimated SNR is below `keep_below_snr_db`: in noise the VAD
    cut up to 0.24 s into the first word on the products held-out set."""
    if keep_below_snr_db is not None:
        from voxsearch.audio.denoise import estimate_snr_db

        if estimate_snr_db(audio) < keep_below_snr_db:
            return audio
    segments = vad.speech_segments(audio)
    return trim_silence(audio, segments, pad_ms) if segments else audio


def trim_silence(audio: Audio, segments: Sequence[SpeechSegment], pad_ms: float) -> Audio:
    """Keep from the first speech start - pad to the last speech end + pad, clamped to the clip.

    With no segments (no speech detected) the audio is returned unchanged: whether to reject the
    clip or send it on is the caller's decision. Segments starting after the clip's end also leave it
    unchanged. Segments are in seconds, so they may come from a VAD run at another sample rate;
    any channel layout is kept. At least one sample is kept.
    """
    _check_non_negative(pad_ms=pad_ms)
    if not segments:
        return audio
    pad_s = pad_ms / 1000.0
    start_s = min(segment.start_s for segment in segments) - pad_s
    end_s = max(segment.end_s for segment in segments) + pad_s
    first = max(0, math.floor(start_s * audio.sample_rate))
    if first >= audio.frames:
        logger.warning("speech from %.3f s starts after the %.3f s clip; not trimming", start_s, audio.duration_s)
        return audio
    last = min(audio.frames, max(first + 1, math.ceil(end_s * audio.sample_rate)))
    return Audio(samples=np.ascontiguousarray(audio.samples[first:last]), sample_rate=audio.sample_rate)


def pad_silence(audio: Audio, lead_ms: float, trail_ms: float) -> Audio:
    """Add digital silence before and after the clip (all channels)."""
    _check_non_negative(lead_ms=lead_ms, trail_ms=trail_ms)
    lead = round(lead_ms * audio.sample_rate / 1000.0)
    trail = round(trail_ms * audio.sample_rate / 1000.0)
    widths = [(lead, trail)] + [(0, 0)] * (audio.samples.ndim - 1)
    return Audio(samples=np.pad(audio.samples, widths), sample_rate=audio.sample_rate)


def _check_non_negative(**values_ms: float) -> None:
    for name, value in values_ms.items():
        if not math.isfinite(value) or value < 0:
            raise InvalidRequest(f"{name}={value!r} must be a finite number of milliseconds >= 0, e.g. 200")
