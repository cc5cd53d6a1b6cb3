"""pocketsphinx in a process of its own (what the server runs): same answers, its errors, and its death."""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from tests.asr.clips import CLIPS
from voxsearch.asr import PocketsphinxEngine, PocketsphinxOptions
from voxsearch.asr.engine_process import EngineProcess
from voxsearch.errors import EngineError, ModelError
from voxsearch.types import Audio

pytest.importorskip("pocketsphinx", reason="the pocketsphinx extra is not installed")


@pytest.fixture(scope="module")
def isolated() -> EngineProcess:
    engine = EngineProcess(PocketsphinxEngine)
    yield engine
    engine.close()


def test_the_isolated_engine_answers_as_the_engine_does(isolated: EngineProcess,
                                                        pocketsphinx_engine: PocketsphinxEngine) -> None:
    assert isolated.info == pocketsphinx_engine.info
    for _, audio in CLIPS[:3]:
        assert isolated.transcribe(audio) == pocketsphinx_engine.transcribe(audio)


def test_engine_errors_reach_the_caller_and_the_process_keeps_serving(isolated: EngineProcess) -> None:
    _, audio = CLIPS[0]
    with pytest.raises(EngineError, match="8000 Hz"):  # the engine's own input check, raised here
        isolated.transcribe(Audio(samples=audio.samples[::2], sample_rate=8000))
    with pytest.raises(EngineError, match="catalog_lm_path"):  # the bundled model has no catalog LM
        isolated.catalog_hypothesis(audio)
    assert isolated.transcribe(audio).text


def test_a_model_that_does_not_load_fails_at_construction(tmp_path: Path) -> None:
    (tmp_path / "broken.lm").write_text("not an ARPA file\n", encoding="utf-8")
    with pytest.raises(ModelError):
        EngineProcess(partial(PocketsphinxEngine, PocketsphinxOptions(lm_path=tmp_path / "broken.lm")))


def test_a_killed_process_fails_one_call_then_is_started_again() -> None:
    engine = EngineProcess(PocketsphinxEngine)
    try:
        _, audio = CLIPS[0]
        engine.info = replace(engine.info, version="places-pocketsphinx-0123456789ab")  # as a model version
        expected = engine.transcribe(audio)
        assert expected.model == engine.info
        os.kill(engine._process.pid, signal.SIGKILL)
        engine._process.join(timeout=10)
        assert engine.transcribe(audio) == expected  # noticed before sending: started again
        os.kill(engine._process.pid, signal.SIGKILL)
        with pytest.raises(EngineError, match="exited"):  # dies while the call waits
            engine._receive()
        assert engine.transcribe(audio) == expected
    finally:
        engine.close()
    assert not engine._process.is_alive()
