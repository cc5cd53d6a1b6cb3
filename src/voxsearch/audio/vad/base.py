"""What every VAD backend returns, and the span arithmetic they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from voxsearch.audio.convert import prepare_for_asr
from voxsearch.errors import InvalidRequest
from voxsearch.types import TARGET_SAMPLE_RATE, Audio

VAD_SAMPLE_RATE = TARGET_SAMPLE_RATE


@dataclass(frozen=True)
class SpeechSegment:
    """One stretch of speech, in seconds from the start of the clip."""

    start_s: float
    end_s: float

    def __post_init__(self) -> None:
        if not 0 <= self.start_s <= self.end_s:
            raise InvalidRequest(
                f"speech segment {self.start_s!r}-{self.end_s!r} s is invalid; need 0 <= start_s <= end_s"
            )

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@runtime_checkable
class Vad(Protocol):
    def speech_segments(self, audio: Audio) -> list[SpeechSegment]:
        """Speech in `audio` (any rate or channel count), sorted and non-overlapping."""
        ...


def vad_samples(audio: Audio) -> np.ndarray:
    """The 16 kHz mono float32 samples a VAD backend reads."""
    return prepare_for_asr(audio).samples


def check_non_negative_ms(**values_ms: int) -> None:
    for name, value in values_ms.items():
        if value < 0:
            raise InvalidRequest(f"{name}={value!r} must be >= 0 milliseconds, e.g. 100")


def pad_and_merge(spans: Sequence[tuple[int, int]], pad_samples: int, total_samples: int) -> list[tuple[int, int]]:
    """Widen sample spans by `pad_samples` on each side (clamped) and merge the ones that then touch."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start - pad_samples), min(total_samples, end + pad_samples)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def to_segments(spans: Sequence[tuple[int, int]], sample_rate: int = VAD_SAMPLE_RATE) -> list[SpeechSegment]:
    return [SpeechSegment(start_s=start / sample_rate, end_s=end / sample_rate) for start, end in spans]
