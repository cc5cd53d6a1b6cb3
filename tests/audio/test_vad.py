"""Both VAD backends on real speech padded with 2 s of silence or low noise, plus their smoothing rules."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from voxsearch.audio import (
    SileroVad,
    SileroVadOptions,
    SpeechSegment,
    Vad,
    WebrtcVad,
    WebrtcVadOptions,
    create_vad,
    load_audio,
    pad_silence,
    resample,
    trim_silence,
)
from voxsearch.audio.vad import silero
from voxsearch.audio.vad.silero import spans_from_probabilities
from voxsearch.audio.vad.webrtc import smooth_runs
from voxsearch.config import AudioLimits, VadSettings
from voxsearch.errors import EngineUnavailable, InvalidRequest
from voxsearch.types import Audio

from .conftest import ALL_SPEECH, speech_bounds_s

PAD_S = 2.0
TRIM_PAD_MS = 200
TOLERANCE_S = 0.030


@pytest.fixture(scope="module")
def backends() -> dict[str, Vad]:
    # No backend padding, so the segments show where each detector itself puts the boundaries.
    return {
        "silero": SileroVad(SileroVadOptions(speech_pad_ms=0)),
        "webrtc": WebrtcVad(WebrtcVadOptions(speech_pad_ms=0)),
    }


def with_background(audio: Audio, background: str) -> Audio:
    padded = pad_silence(audio, PAD_S * 1000, PAD_S * 1000)
    if background == "silence":
        return padded
    noise = np.random.default_rng(7).normal(0.0, 10 ** (-50 / 20), padded.frames)  # -50 dBFS white noise
    return Audio(samples=(padded.samples + noise).astype(np.float32), sample_rate=padded.sample_rate)


@pytest.mark.parametrize("path", ALL_SPEECH, ids=lambda path: path.stem)
@pytest.mark.parametrize("background", ["silence", "noise"])
@pytest.mark.parametrize("backend", ["silero", "webrtc"])
def test_vad_finds_the_speech_and_trim_keeps_the_pad(backends, path, background: str, backend: str) -> None:
    speech = load_audio(path, AudioLimits())
    onset_s, offset_s = (PAD_S + bound for bound in speech_bounds_s(speech))
    clip = with_background(speech, background)

    segments = backends[backend].speech_segments(clip)

    assert segments, f"{backend} found no speech in {path.name} with {background}"
    assert segments[0].start_s == pytest.approx(onset_s, abs=TOLERANCE_S)
    # Both detectors hang on past the last loud frame (decay, hysteresis) but never end before it.
    assert offset_s - TOLERANCE_S <= segments[-1].end_s <= offset_s + 0.2
    kept_start_s, kept_end_s = kept_range_s(clip, segments, TRIM_PAD_MS)
    assert onset_s - kept_start_s == pytest.approx(TRIM_PAD_MS / 1000, abs=TOLERANCE_S)
    assert TRIM_PAD_MS / 1000 - TOLERANCE_S <= kept_end_s - offset_s <= TRIM_PAD_MS / 1000 + 0.2


def kept_range_s(clip: Audio, segments: list[SpeechSegment], pad_ms: int) -> tuple[float, float]:
    """Where trim_silence cuts, read from a clip whose samples are their own frame index."""
    positions = Audio(samples=np.arange(clip.frames, dtype=np.float32), sample_rate=clip.sample_rate)
    kept = trim_silence(positions, segments, pad_ms).samples
    return float(kept[0]) / clip.sample_rate, float(kept[-1] + 1) / clip.sample_rate


@pytest.mark.parametrize("backend", ["silero", "webrtc"])
@pytest.mark.parametrize("background", ["silence", "noise"])
def test_no_speech_gives_no_segments_and_trim_keeps_the_clip(backends, backend: str, background: str) -> None:
    empty = with_background(Audio(samples=np.zeros(0, dtype=np.float32), sample_rate=16_000), background)
    assert backends[backend].speech_segments(empty) == []
    assert trim_silence(empty, [], TRIM_PAD_MS) is empty


@pytest.mark.parametrize("backend", ["silero", "webrtc"])
def test_any_rate_and_layout_is_converted_inside(backends, speech_16k: Audio, backend: str) -> None:
    clip = with_background(speech_16k, "silence")
    stereo_44k = resample(Audio(samples=np.stack([clip.samples, clip.samples], axis=1), sample_rate=16_000), 44_100)
    native, converted = backends[backend].speech_segments(clip), backends[backend].speech_segments(stereo_44k)
    assert len(native) == len(converted)
    for a, b in zip(native, converted, strict=True):
        assert a.start_s == pytest.approx(b.start_s, abs=TOLERANCE_S)
        assert a.end_s == pytest.approx(b.end_s, abs=TOLERANCE_S)


def test_speech_pad_widens_segments(speech_16k: Audio) -> None:
    clip = with_background(speech_16k, "silence")
    bare = SileroVad(SileroVadOptions(speech_pad_ms=0)).speech_segments(clip)
    padded = SileroVad(SileroVadOptions(speech_pad_ms=100)).speech_segments(clip)
    assert [s.start_s - 0.1 for s in bare] == pytest.approx([s.start_s for s in padded])
    assert [s.end_s + 0.1 for s in bare] == pytest.approx([s.end_s for s in padded])


def test_silero_hysteresis() -> None:
    options = SileroVadOptions(threshold=0.5, min_speech_ms=100, min_silence_ms=100, speech_pad_ms=0)
    # 10 windows of 32 ms: speech, a dip that stays above neg_threshold (0.35), a short dip, a long silence.
    probs = np.array([0.9, 0.9, 0.4, 0.4, 0.9, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1], dtype=np.float32)
    assert spans_from_probabilities(probs, options, len(probs) * 512) == [(0, 9 * 512)]
    blip = np.array([0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1], dtype=np.float32)
    assert spans_from_probabilities(blip, options, len(blip) * 512) == []


def test_webrtc_smoothing_drops_blips_then_closes_gaps() -> None:
    options = WebrtcVadOptions(min_speech_ms=90, min_silence_ms=300)
    runs = [(0, 1), (10, 20), (25, 40), (60, 61), (80, 90)]  # in 30 ms frames
    assert smooth_runs(runs, options) == [(10, 40), (80, 90)]


def test_create_vad_follows_settings() -> None:
    assert create_vad(VadSettings(backend="none")) is None
    assert isinstance(create_vad(VadSettings(backend="silero", threshold=0.6)), SileroVad)
    webrtc = create_vad(VadSettings(backend="webrtc", webrtc_mode=3))
    assert isinstance(webrtc, WebrtcVad) and webrtc.options.mode == 3
    assert isinstance(webrtc, Vad)


def test_missing_onnxruntime_names_the_extra(monkeypatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        silero.importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real_find_spec(name, *a)
    )
    with pytest.raises(EngineUnavailable, match=r"onnxruntime.*voxsearch\[silero\]"):
        create_vad(VadSettings(backend="silero"))


def test_bad_options_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="mode 7"):
        WebrtcVad(WebrtcVadOptions(mode=7))
    with pytest.raises(InvalidRequest, match="threshold 1.5"):
        SileroVad(SileroVadOptions(threshold=1.5))
    with pytest.raises(InvalidRequest, match="min_silence_ms=-1"):
        SileroVad(SileroVadOptions(min_silence_ms=-1))
