"""ASR fixtures: each engine loaded once per session, each clip transcribed once per engine."""

from __future__ import annotations

import numpy as np
import pytest

from tests.asr.clips import CLIP_IDS, CLIPS
from voxsearch.asr import Engine, create_engine
from voxsearch.config import EngineSettings
from voxsearch.types import Transcript


@pytest.fixture(scope="session")
def whisper_engine() -> Engine:
    return create_engine(EngineSettings(name="whisper", threads=1))


@pytest.fixture(scope="session")
def pocketsphinx_engine() -> Engine:
    return create_engine(EngineSettings(name="pocketsphinx", threads=1))


@pytest.fixture(scope="session", params=["whisper", "pocketsphinx"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(scope="session")
def transcripts(engine: Engine) -> dict[str, Transcript]:
    """Clip id -> Transcript, computed once per engine."""
    return {clip_id: engine.transcribe(audio) for clip_id, (_, audio) in zip(CLIP_IDS, CLIPS)}


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
