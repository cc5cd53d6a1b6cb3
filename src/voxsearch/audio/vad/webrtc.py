"""WebRTC VAD (webrtcvad-wheels): 30 ms frames, then smoothing so isolated blips do not count."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from voxsearch.audio.vad.base import (
    VAD_SAMPLE_RATE,
    SpeechSegment,
    check_non_negative_ms,
    pad_and_merge,
    to_segments,
    vad_samples,
)
from voxsearch.errors import InvalidRequest
from voxsearch.types import Audio

FRAME_MS = 30


@dataclass(frozen=True)
class WebrtcVadOptions:
    """mode 0 (least aggressive) to 3 (most). Voiced runs shorter than min_speech_ms are dropped first,
    then gaps shorter than min_silence_ms are closed. The 150 ms default also drops the 3-4 voiced frames
    webrtcvad reports at the start of a noisy clip while its noise model settles."""

    mode: int = 2
    min_speech_ms: int = 150
    min_silence_ms: int = 300
    speech_pad_ms: int = 30


class WebrtcVad:
    """Stateless between calls: a fresh webrtcvad.Vad per clip, so one instance serves many threads."""

    def __init__(self, options: WebrtcVadOptions | None = None) -> None:
        self.options = options or WebrtcVadOptions()
        if self.options.mode not in (0, 1, 2, 3):
            raise InvalidRequest(f"WebRTC VAD mode {self.options.mode!r} is not 0, 1, 2 or 3; use e.g. 2")
        check_non_negative_ms(
            min_speech_ms=self.options.min_speech_ms,
            min_silence_ms=self.options.min_silence_ms,
            speech_pad_ms=self.options.speech_pad_ms,
        )

    def describe(self) -> dict[str, object]:
        return {"backend": "webrtc", "frame_ms": FRAME_MS, **asdict(self.options)}

    def voiced_frames(self, samples: np.ndarray) -> np.ndarray:
        """One bool per 30 ms frame of 16 kHz mono float32 samples (last frame zero-padded)."""
        # webrtcvad-wheels' C module; its Python wrapper costs 15-30 ms of importlib.metadata per process
        import _webrtcvad

        detector = _webrtcvad.create()
        _webrtcvad.init(detector)
        _webrtcvad.set_mode(detector, self.options.mode)
        frame = FRAME_MS * VAD_SAMPLE_RATE // 1000
        frames = -(-len(samples) // frame)
        pcm = np.zeros(frames * frame, dtype="<i2")
        pcm[: len(samples)] = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
        data = memoryview(pcm.tobytes())  # slices of a memoryview: no copy per frame
        process, size = _webrtcvad.process, 2 * frame
        return np.array(
            [process(detector, VAD_SAMPLE_RATE, data[i * size : (i + 1) * size], frame) for i in range(frames)],
            dtype=bool,
        )

    def speech_segments(self, audio: Audio) -> list[SpeechSegment]:
        samples = vad_samples(audio)
        if len(samples) == 0:
            return []
        frame = FRAME_MS * VAD_SAMPLE_RATE // 1000
        runs = smooth_runs(_voiced_runs(self.voiced_frames(samples)), self.options)
        spans = [(start * frame, min(len(samples), end * frame)) for start, end in runs]
        pad_samples = self.options.speech_pad_ms * VAD_SAMPLE_RATE // 1000
        return to_segments(pad_and_merge(spans, pad_samples, len(samples)))


def smooth_runs(runs: list[tuple[int, int]], options: WebrtcVadOptions) -> list[tuple[int, int]]:
    """Drop voiced runs (in frames) shorter than min_speech_ms, then close gaps shorter than min_silence_ms."""
    min_speech_frames = -(-options.min_speech_ms // FRAME_MS)
    min_silence_frames = -(-options.min_silence_ms // FRAME_MS)
    kept = [(start, end) for start, end in runs if end - start >= min_speech_frames]
    merged: list[tuple[int, int]] = []
    for start, end in kept:
        if merged and start - merged[-1][1] < min_silence_frames:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _voiced_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))
