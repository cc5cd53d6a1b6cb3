"""Spectral subtraction: clean speech passes untouched, stationary noise goes down, speech stays."""

from __future__ import annotations

import numpy as np
import pytest

from voxsearch.audio import prepare_for_asr
from voxsearch.audio.denoise import denoise, estimate_snr_db
from voxsearch.config import DenoiseSettings, Settings
from voxsearch.pipeline import Pipeline
from voxsearch.types import Audio, ModelInfo, Transcript


def _with_noise(speech: Audio, snr_db: float, seed: int = 3) -> tuple[Audio, np.ndarray]:
    """Speech with 0.5 s of silence around it, plus white noise at `snr_db` against the speech's power."""
    pad = np.zeros(speech.sample_rate // 2, dtype=np.float32)
    clean = np.concatenate([pad, speech.samples, pad])
    power = float(np.mean(speech.samples.astype(np.float64) ** 2))
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(clean))
    return Audio(samples=(clean + noise).astype(np.float32), sample_rate=speech.sample_rate), clean


def _db(x: np.ndarray) -> float:
    return 10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-20)


@pytest.fixture(scope="module")
def speech(speech_16k: Audio) -> Audio:
    return prepare_for_asr(speech_16k)


def test_clean_speech_is_returned_as_it_came(speech: Audio) -> None:
    same, snr = denoise(speech, DenoiseSettings(enabled=True))
    assert same is speech and snr >= DenoiseSettings().below_snr_db


@pytest.mark.parametrize("snr_db", [5.0, 10.0])
def test_noise_goes_down_and_the_speech_stays(speech: Audio, snr_db: float) -> None:
    noisy, clean = _with_noise(speech, snr_db)
    assert estimate_snr_db(noisy) < DenoiseSettings().below_snr_db
    quiet = slice(0, speech.sample_rate // 2)  # the padding: noise only
    talk = slice(speech.sample_rate // 2, speech.sample_rate // 2 + speech.frames)
    reduction = {}
    for strength in (2.0, 9.0):  # the default, and a bolder one (which measured worse for recognition)
        cleaned, _ = denoise(noisy, DenoiseSettings(enabled=True, over_subtraction=strength))
        assert cleaned.samples.shape == noisy.samples.shape and cleaned.sample_rate == noisy.sample_rate
        assert np.isfinite(cleaned.samples).all()
        reduction[strength] = _db(noisy.samples[quiet]) - _db(cleaned.samples[quiet])
        assert _db(cleaned.samples - clean) < _db(noisy.samples - clean) - 1.5  # closer to the clean signal
        assert abs(_db(cleaned.samples[talk]) - _db(clean[talk])) < 1.5  # the speech keeps its level
    # the percentile noise estimate is about 0.22x white noise's mean power, so the default takes ~2 dB off
    assert reduction[2.0] > 1.5 and reduction[9.0] > reduction[2.0] + 4


def test_short_and_silent_clips_pass(speech: Audio) -> None:
    short = Audio(samples=speech.samples[:100], sample_rate=16_000)
    assert denoise(short)[0] is short
    silent = Audio(samples=np.zeros(16_000, dtype=np.float32), sample_rate=16_000)
    assert denoise(silent, DenoiseSettings(enabled=True))[0] is silent


def test_the_pipeline_denoises_only_when_enabled(speech: Audio) -> None:
    noisy, _ = _with_noise(speech, 5.0)

    class Heard:  # records what reaches the engine (the stage under test is before it)
        info = ModelInfo(engine="recorder", version="0")

        def transcribe(self, audio: Audio) -> Transcript:
            self.audio = audio
            return Transcript(text="", model=self.info)

    for enabled in (False, True):
        engine = Heard()
        settings = Settings(denoise=DenoiseSettings(enabled=enabled))
        settings = settings.model_copy(update={"vad": settings.vad.model_copy(update={"backend": "none"})})
        result = Pipeline.with_engine(engine, settings).recognize_audio(noisy, None)
        assert ("denoise" in result.timings_ms) is enabled
        changed = not np.array_equal(engine.audio.samples, noisy.samples)
        assert changed is enabled


def test_noisy_clips_are_kept_whole_when_asked_clean_ones_are_still_trimmed(speech: Audio) -> None:
    from voxsearch.audio import SileroVad, trim_to_speech

    vad = SileroVad()
    clean = _with_noise(speech, 60.0)[0]  # 0.5 s of (near) silence either side
    noisy = _with_noise(speech, 5.0)[0]
    assert trim_to_speech(clean, vad, 200).frames < clean.frames
    assert trim_to_speech(clean, vad, 200, keep_below_snr_db=20.0).frames < clean.frames
    assert trim_to_speech(noisy, vad, 200, keep_below_snr_db=20.0).frames == noisy.frames
    assert trim_to_speech(noisy, vad, 200).frames < noisy.frames  # the default trims every clip, as before
