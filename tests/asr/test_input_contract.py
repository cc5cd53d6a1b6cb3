"""What engines accept: 16 kHz mono float32; anything else is an EngineError naming the fix."""

from __future__ import annotations

import numpy as np
import pytest

from voxsearch.asr import Engine
from voxsearch.errors import EngineError
from voxsearch.types import Audio

from tests.asr.clips import CLIPS


def _speech() -> Audio:
    return CLIPS[0][1]


@pytest.mark.parametrize(
    ("audio", "named"),
    [
        (Audio(_speech().samples[::2].copy(), 8000), "8000 Hz"),
        (Audio(np.stack([_speech().samples] * 2, axis=1), 16000), "mono"),
        (Audio((_speech().samples * 32767).astype(np.int16), 16000), "int16"),
        (Audio(np.full(1600, np.nan, dtype=np.float32), 16000), "NaN"),
    ],
    ids=["8khz", "stereo", "int16", "nan"],
)
def test_bad_input_raises_naming_value_and_fix(engine: Engine, audio: Audio, named: str) -> None:
    with pytest.raises(EngineError, match="prepare_for_asr") as caught:
        engine.transcribe(audio)
    assert named in str(caught.value)


def test_non_audio_raises(engine: Engine) -> None:
    with pytest.raises(EngineError, match="ndarray"):
        engine.transcribe(_speech().samples)  # type: ignore[arg-type]


def test_empty_audio_gives_empty_transcript(engine: Engine) -> None:
    transcript = engine.transcribe(Audio(np.zeros(0, dtype=np.float32), 16000))
    assert (transcript.text, transcript.words, transcript.nbest) == ("", (), ())
    assert transcript.model == engine.info


def test_faint_noise_gives_no_words(engine: Engine, rng: np.random.Generator) -> None:
    noise = (rng.standard_normal(16000) * 1e-3).astype(np.float32)
    assert engine.transcribe(Audio(noise, 16000)).words == ()
