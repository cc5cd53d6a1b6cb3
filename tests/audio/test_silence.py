"""trim_silence / pad_silence, with hypothesis properties for trimming and resampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxsearch.audio import SpeechSegment, pad_silence, resample, to_mono, trim_silence
from voxsearch.errors import BadAudio, InvalidRequest
from voxsearch.types import Audio

RATES = [8_000, 11_025, 16_000, 22_050, 44_100, 48_000]


def positions(frames: int, sample_rate: int, channels: int = 1) -> Audio:
    """Samples equal to their frame index, so a slice tells where it was cut."""
    index = np.arange(frames, dtype=np.float32)
    samples = index if channels == 1 else np.repeat(index[:, np.newaxis], channels, axis=1)
    return Audio(samples=samples, sample_rate=sample_rate)


@st.composite
def clips_with_segments(draw):
    sample_rate = draw(st.sampled_from(RATES))
    frames = draw(st.integers(min_value=1, max_value=3 * sample_rate))
    duration_s = frames / sample_rate
    bounds = sorted(draw(st.lists(st.floats(0, duration_s), min_size=2, max_size=8, unique=True)))
    segments = [SpeechSegment(start_s=a, end_s=b) for a, b in zip(bounds[::2], bounds[1::2], strict=False)]
    return positions(frames, sample_rate), segments


@settings(max_examples=200, deadline=None)
@given(clip_and_segments=clips_with_segments(), pad_ms=st.integers(0, 500))
def test_trim_never_cuts_inside_the_speech(clip_and_segments, pad_ms: int) -> None:
    clip, segments = clip_and_segments
    kept = trim_silence(clip, segments, pad_ms).samples
    first_speech_s = min(s.start_s for s in segments)
    last_speech_s = max(s.end_s for s in segments)
    kept_start_s, kept_end_s = kept[0] / clip.sample_rate, (kept[-1] + 1) / clip.sample_rate
    assert kept_start_s <= first_speech_s
    assert kept_end_s >= min(last_speech_s, clip.duration_s)
    # ...and keeps no more than the pad (one sample of rounding on each side).
    assert kept_start_s >= first_speech_s - pad_ms / 1000 - 1 / clip.sample_rate
    assert kept_end_s <= last_speech_s + pad_ms / 1000 + 1 / clip.sample_rate


@settings(max_examples=60, deadline=None)
@given(
    frames=st.integers(0, 4_000),
    source_rate=st.integers(4_000, 96_000),
    target_rate=st.sampled_from(RATES),
    channels=st.sampled_from([1, 2]),
)
def test_resample_preserves_duration_within_one_sample(frames, source_rate, target_rate, channels) -> None:
    audio = Audio(samples=np.zeros((frames, channels) if channels > 1 else frames, np.float32), sample_rate=source_rate)
    out = resample(audio, target_rate)
    assert abs(out.frames - frames * target_rate / source_rate) <= 1
    assert out.channels == channels and out.sample_rate == target_rate and out.samples.dtype == np.float32


def test_trim_keeps_channels_and_clamps() -> None:
    clip = positions(16_000, 16_000, channels=2)
    kept = trim_silence(clip, [SpeechSegment(0.05, 0.5), SpeechSegment(0.7, 0.98)], pad_ms=100)
    assert kept.channels == 2
    assert kept.samples[0, 0] == 0 and kept.samples[-1, 0] == 15_999


def test_trim_without_speech_returns_the_clip_unchanged() -> None:
    clip = positions(800, 8_000)
    assert trim_silence(clip, [], pad_ms=200) is clip
    assert trim_silence(clip, [SpeechSegment(0.5, 0.6)], pad_ms=0) is clip  # after the 0.1 s clip ends


def test_zero_length_segment_keeps_at_least_its_sample() -> None:
    kept = trim_silence(positions(800, 8_000), [SpeechSegment(0.05, 0.05)], pad_ms=0)
    assert kept.samples.tolist() == [400.0]


def test_inverted_segment_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="start_s <= end_s"):
        SpeechSegment(0.5, 0.2)


def test_pad_silence_adds_zeros() -> None:
    clip = Audio(samples=np.ones((160, 2), dtype=np.float32), sample_rate=16_000)
    padded = pad_silence(clip, lead_ms=10, trail_ms=25)
    assert padded.frames == 160 + 160 + 400 and padded.channels == 2
    assert not padded.samples[:160].any() and not padded.samples[320:].any()
    assert padded.samples[160:320].all()


def test_negative_pads_are_refused() -> None:
    clip = positions(800, 8_000)
    with pytest.raises(InvalidRequest, match="pad_ms=-5"):
        trim_silence(clip, [SpeechSegment(0.0, 0.05)], pad_ms=-5)
    with pytest.raises(InvalidRequest, match="trail_ms=nan"):
        pad_silence(clip, lead_ms=0, trail_ms=math.nan)


def test_to_mono_averages_channels() -> None:
    stereo = Audio(samples=np.array([[1.0, 0.0], [0.5, -0.5]], dtype=np.float32), sample_rate=8_000)
    np.testing.assert_array_equal(to_mono(stereo).samples, [0.5, 0.0])


def test_resample_refuses_bad_rates() -> None:
    with pytest.raises(InvalidRequest, match="target sample rate 0"):
        resample(positions(10, 8_000), 0)
    with pytest.raises(BadAudio, match="sample rate is 0 Hz"):
        resample(Audio(samples=np.zeros(10, np.float32), sample_rate=0), 16_000)
