"""One `voxsearch train --engine auto` shared by the tests of its parts: pocketsphinx, Whisper and their hybrid
trained on the same synthesized dev set, the best one promoted (the hybrid, Whisper and the choice are each
checked by their own tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from voxsearch.config import Settings
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.train.synth_dev import SynthDevOptions, available_voices
from voxsearch.train.train import TrainOptions, TrainResult, train_model
from voxsearch.train.whisper_tuning import WhisperTuningOptions

from tests.train.test_adaptation import import_small_places, run_test_split


@pytest.fixture(scope="session")
def auto_train_stages() -> list[str]:
    """The progress stages `auto_trained` went through, in order."""
    return []


@pytest.fixture(scope="session")
def auto_trained(tmp_path_factory: pytest.TempPathFactory,
                 auto_train_stages: list[str]) -> tuple[Settings, TrainResult]:
    """Trained without labelled data, on a dev set synthesized from the small places catalog, and promoted."""
    pytest.importorskip("faster_whisper", reason="the whisper extra is not installed")
    pytest.importorskip("pocketsphinx", reason="the pocketsphinx extra is not installed")
    if not available_voices():
        pytest.skip("no humanlike synthesizer installed (apt-get install flite) for the synthesized dev set")
    settings = import_small_places(tmp_path_factory.mktemp("auto-home"))
    options = TrainOptions(catalog="places", engine="auto", promote=True,
                           synth=SynthDevOptions(in_domain_queries=24, out_domain_queries=8),
                           whisper_tuning=WhisperTuningOptions(hotwords_grid=(False,)))

    def progress(stage: str, total: int | None) -> Callable[[], None]:
        auto_train_stages.append(stage)
        return lambda: None

    return settings, train_model(options, settings, progress)


@pytest.fixture(scope="session")
def hybrid_trained(auto_trained: tuple[Settings, TrainResult]) -> tuple[Settings, ModelVersion]:
    """The hybrid version that training built (whichever engine it chose)."""
    settings, result = auto_trained
    return settings, ModelRegistry(settings.home).get(result.metrics["engine_selection"]["hybrid"]["version"])


@pytest.fixture(scope="session")
def unadapted_whisper_scores(auto_trained: tuple[Settings, TrainResult]) -> dict[str, float]:
    """Unadapted Whisper (the server's default) on the committed test clips: what adapted models must beat."""
    settings, _ = auto_trained
    return run_test_split(settings, "whisper")
