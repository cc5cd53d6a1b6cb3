"""Catalog adaptation of Whisper (prompt words + catalog rescoring) on real synthesized speech.

Tuned without labelled data, on a small dev set synthesized from the catalog; checked through the real
pipeline on the committed test clips, which tuning never sees: in-domain WER must drop, the top-1 hit
rate must not fall, out-of-domain WER must not rise by more than 2 points.
"""

from __future__ import annotations

import pytest

from voxsearch.asr.whisper_engine import WhisperEngine
from voxsearch.config import Settings
from voxsearch.search import CatalogStore
from voxsearch.search.demo import build_demo_catalog
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.synth_dev import SynthDevOptions, available_voices
from voxsearch.train.train import TrainOptions, TrainResult, train_model
from voxsearch.train.whisper_tuning import WhisperTuningOptions, hotwords_for

from tests.train.test_adaptation import MANIFEST, OTHER_ENTRIES, _run

pytest.importorskip("faster_whisper", reason="the whisper extra is not installed")

MIN_WER_GAIN = 0.03
MAX_OUT_WER_LOSS = 0.02


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainResult]:
    if not available_voices():
        pytest.skip("no humanlike synthesizer installed (apt-get install flite) for the synthesized dev set")
    from voxsearch.eval.dataset import load_eval_set

    targets = {i for item in load_eval_set(MANIFEST).items for i in item.expected}
    demo = build_demo_catalog()
    others = sorted((e for e in demo if e.id not in targets), key=lambda e: -e.popularity)[:OTHER_ENTRIES]
    home = tmp_path_factory.mktemp("whisper-home")
    CatalogStore(home).import_entries([e for e in demo if e.id in targets] + others, "places")
    settings = Settings(home=home)
    options = TrainOptions(catalog="places", engine="whisper",
                           synth=SynthDevOptions(in_domain_queries=24, out_domain_queries=8),
                           whisper_tuning=WhisperTuningOptions(hotwords_grid=(False,)))
    return settings, train_model(options, settings)


@pytest.mark.slow
def test_whisper_adaptation_lowers_in_domain_wer_and_keeps_the_rest(trained: tuple[Settings, TrainResult]) -> None:
    settings, result = trained
    adapted_engine = ModelRegistry(settings.home).load_engine(result.version.version, settings)
    assert adapted_engine.info.engine == "whisper" and adapted_engine.catalog_rescoring is not None
    plain = _run(WhisperEngine(settings.engine.model_copy(update={"name": "whisper"})), settings)
    adapted = _run(adapted_engine, settings)
    print(f"unadapted {plain}\nadapted   {adapted}\noptions {result.version.engine_options}")
    assert adapted["wer_in"] <= plain["wer_in"] - MIN_WER_GAIN
    assert adapted["top1"] >= plain["top1"]
    assert adapted["wer_out"] <= plain["wer_out"] + MAX_OUT_WER_LOSS


def test_whisper_version_records_its_tuning(trained: tuple[Settings, TrainResult]) -> None:
    settings, result = trained
    record = ModelRegistry(settings.home).verify(result.version.version)
    assert record.engine == "whisper" and record.files == {}
    assert record.metrics["tuned"] is True and record.metrics["dev_clips"] == 32
    assert record.dataset["synthesized"]["in_domain_queries"] == 24
    grid = record.tuning["grid"]
    assert len(record.tuning["trials"]) == len(grid["bonus"]) * len(grid["token_bonus"]) * len(grid["hotwords"])
    best = record.tuning["best"]
    assert record.engine_options["catalog_rescoring"]["bonus"] == best["bonus"]
    assert best["wer_out_clean"] <= record.tuning["unadapted"]["wer_out_clean"] + MAX_OUT_WER_LOSS


def test_hotwords_are_the_most_popular_names_within_the_limit() -> None:
    entries = sorted(build_demo_catalog(), key=lambda e: -e.popularity)
    words = hotwords_for(entries, max_chars=60)
    assert 0 < len(words) <= 60
    assert words.split(", ")[0] == entries[0].title.split(",")[0]
