"""Where the speech of a clip starts and ends: the VAD's span, refined to 10 ms with frame energy.

VADs end speech late (Silero 14-114 ms after the last loud frame, WebRTC up to 170 ms, both add their
own pad), so the VAD span alone cannot place a 200 ms pad within +-30 ms. The VAD says *where* the
speech is; inside a window around each end of its span, the boundary moves to the first / last 10 ms
frame that is loud relative to this clip's own speech and noise levels. Without VAD speech there is no
boundary at all: a plain energy threshold never decides what speech is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from voxsearch.audio.vad.base import VAD_SAMPLE_RATE, Vad
from voxsearch.types import Audio

__all__ = ["SpeechBounds", "find_speech_bounds", "frame_levels_db"]

FRAME_S = 0.010
_START_WINDOW_S = (-0.040, 0.300)  # search for the refined start around the VAD start
_END_WINDOW_S = (-0.400, 0.040)  # and for the refined end around the VAD end
_BELOW_SPEECH_DB = 45.0  # a frame this far below the loud speech frames is not speech
_ABOVE_NOISE_DB = 6.0  # nor one within this of the noise level (halved for low-SNR clips)
_SILENT_DB = -120.0
_GAP_FRAMES = 6  # quiet frames allowed inside a run of loud ones (a filler, then a pause)
_EXTEND_FRAMES = 15  # a boundary follows a run of loud frames at most 150 ms out of its window


@dataclass(frozen=True)
class SpeechBounds:
    """Speech span in seconds (refined), the VAD's own span, and the levels used for the refinement."""

    start_s: float
    end_s: float
    vad_start_s: float
    vad_end_s: float
    speech_s: float  # total VAD speech
    speech_db: float
    noise_db: float

    @property
    def snr_db(self) -> float:
        if self.noise_db <= _SILENT_DB:
            return math.inf
        return self.speech_db - self.noise_db


def frame_levels_db(samples: np.ndarray, frame: int) -> np.ndarray:
    """Mean-square level of each whole `frame`-sample frame, in dB (the last partial frame is dropped)."""
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0)
    power = np.mean(np.square(samples[: count * frame].astype(np.float64).reshape(count, frame)), axis=1)
    return 10.0 * np.log10(np.maximum(power, 10.0 ** (_SILENT_DB / 10)))


def find_speech_bounds(mono16k: Audio, vad: Vad) -> SpeechBounds | None:
    """Refined speech bounds of 16 kHz mono audio, or None when the VAD finds no speech."""
    segments = vad.speech_segments(mono16k)
    if not segments:
        return None
    samples = mono16k.samples
    frame = round(FRAME_S * VAD_SAMPLE_RATE)
    levels = frame_levels_db(samples, frame)
    vad_start, vad_end = segments[0].start_s, segments[-1].end_s
    speech_s = sum(s.duration_s for s in segments)
    if len(levels) == 0:
        return SpeechBounds(vad_start, vad_end, vad_start, vad_end, speech_s, _SILENT_DB, _SILENT_DB)
    first, last = int(vad_start / FRAME_S), min(len(levels), max(int(math.ceil(vad_end / FRAME_S)), 1))
    inside = levels[first:last] if last > first else levels
    outside = np.concatenate([levels[:first], levels[last:]])
    speech_db = percentile(inside, 95)
    noise_db = percentile(outside, 20) if len(outside) >= 5 else float(np.min(levels))
    margin = min(_ABOVE_NOISE_DB, max(speech_db - noise_db, 0.0) / 2)
    threshold = max(speech_db - _BELOW_SPEECH_DB, noise_db + margin)
    loud = levels >= threshold
    start_s = _first_loud(loud, vad_start + _START_WINDOW_S[0], vad_start + _START_WINDOW_S[1], vad_start)
    end_s = _last_loud(loud, vad_end + _END_WINDOW_S[0], vad_end + _END_WINDOW_S[1], vad_end)
    duration_s = len(samples) / VAD_SAMPLE_RATE
    start_s, end_s = max(0.0, start_s), min(duration_s, end_s)
    if end_s <= start_s:  # the refinement disagrees with the VAD: trust the VAD
        start_s, end_s = vad_start, vad_end
    return SpeechBounds(start_s, end_s, vad_start, vad_end, speech_s, speech_db, noise_db)


def percentile(values: np.ndarray, q: float) -> float:
    """`np.percentile(values, q)` (linear method, same rounding) without its `np.unique`, which imports
    numpy.ma (11-22 ms per worker process) and costs ~0.15 ms a call."""
    position = q / 100.0 * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    part = np.partition(np.asarray(values, dtype=np.float64), (low, high))
    a, b, t = part[low], part[high], position - low
    step = b - a
    return float(b - step * (1.0 - t) if t >= 0.5 else a + step * t)


def _first_loud(loud: np.ndarray, low_s: float, high_s: float, fallback_s: float) -> float:
    """First loud frame in the window, then back through loud frames joined to it (gaps of <= 60 ms)."""
    low, high = max(0, int(low_s / FRAME_S)), min(len(loud), int(math.ceil(high_s / FRAME_S)))
    hits = np.flatnonzero(loud[low:high])
    if not len(hits):
        return fallback_s
    first = low + int(hits[0])
    limit = max(0, first - _EXTEND_FRAMES)
    while first > limit and loud[max(limit, first - _GAP_FRAMES - 1):first].any():
        first = max(limit, first - _GAP_FRAMES - 1) + int(np.flatnonzero(loud[max(limit, first - _GAP_FRAMES - 1):first])[0])
    return first * FRAME_S


def _last_loud(loud: np.ndarray, low_s: float, high_s: float, fallback_s: float) -> float:
    """Last loud frame in the window, then on through loud frames joined to it (gaps of <= 60 ms)."""
    low, high = max(0, int(low_s / FRAME_S)), min(len(loud), int(math.ceil(high_s / FRAME_S)))
    hits = np.flatnonzero(loud[low:high])
    if not len(hits):
        return fallback_s
    last = low + int(hits[-1])
    limit = min(len(loud) - 1, last + _EXTEND_FRAMES)
    while last < limit and loud[last + 1:min(limit, last + _GAP_FRAMES + 1) + 1].any():
        last = last + 1 + int(np.flatnonzero(loud[last + 1:min(limit, last + _GAP_FRAMES + 1) + 1])[-1])
    return (last + 1) * FRAME_S
