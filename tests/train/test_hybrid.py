"""The hybrid model (pocketsphinx's catalog LM for catalog queries, Whisper for the rest) on real speech.

Trained without labelled data (pocketsphinx and Whisper tuned on a small dev set synthesized from the
catalog, then the routing: the `hybrid_trained` fixture), checked through the real pipeline on the committed test clips, which tuning
never sees, against unadapted Whisper, the server's default: in-domain WER and top-1 must improve, and
out-of-domain WER may not rise by more than 2 points.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from voxsearch.asr.hybrid_engine import choose_verified
from voxsearch.config import Settings
from voxsearch.errors import ModelError
from voxsearch.train.model_engine import engine_from_version
from voxsearch.train.registry import ModelRegistry, ModelVersion
from voxsearch.train.tuning import TuningOptions

from tests.train.test_adaptation import assert_helps_in_domain, run_test_split

MIN_WER_GAIN = 0.05
MIN_TOP1_GAIN = 0.05


@pytest.mark.slow
def test_hybrid_beats_whisper_in_domain_and_keeps_out_of_domain(hybrid_trained: tuple[Settings, ModelVersion],
                                                                unadapted_whisper_scores: dict[str, float]) -> None:
    settings, version = hybrid_trained
    assert version.engine == "hybrid"
    engine = ModelRegistry(settings.home).load_engine(version.version, settings)
    assert engine.info.engine == "hybrid" and engine.info.version == version.version
    hybrid = run_test_split(settings, version.version)
    print(f"whisper {unadapted_whisper_scores}\nhybrid  {hybrid}\noptions {version.engine_options}")
    assert_helps_in_domain(hybrid, unadapted_whisper_scores, MIN_WER_GAIN, MIN_TOP1_GAIN)


def test_hybrid_version_records_its_parts_and_routing(hybrid_trained: tuple[Settings, ModelVersion]) -> None:
    settings, version = hybrid_trained
    registry = ModelRegistry(settings.home)
    record = registry.verify(version.version)
    parts = record.metrics["parts"]
    assert registry.get(parts["pocketsphinx"]).engine == "pocketsphinx"
    assert registry.get(parts["whisper"]).engine == "whisper"
    assert record.files == registry.get(parts["pocketsphinx"]).files
    best = record.tuning["best"]
    assert record.engine_options["routing"] == best["routing"]
    if best["routing"] == "scores":
        assert record.engine_options["catalog_bias"] == best["catalog_bias"]
        assert 0.0 < best["to_catalog"] < 1.0  # some dev clips go to each side
    else:  # Whisper's text first: only verification hands clips to the catalog hypothesis
        assert best["catalog_bias"] is None and best["to_catalog"] == 0.0
    assert record.engine_options["match_thresholds"] == {"catalog": best["catalog_threshold"],
                                                         "general": best["general_threshold"]}
    assert record.engine_options["general"] == "whisper"
    assert record.engine_options["whisper_model"] == registry.get(parts["whisper"]).engine_options["whisper_model"]
    assert record.engine_options["whisper_model"] == "tiny.en"  # the settings' model: the tuning saw that one
    grid = record.tuning["grid"]
    thresholds = grid["match_thresholds"]
    scored = len(grid["catalog_bias"]) * len(grid["catalog_posterior_weight"]) * len(thresholds["catalog"]) * len(
        thresholds["general"])
    vetoes = grid["whisper_veto"]
    assert len(record.tuning["trials"]) == (scored + len(thresholds["catalog"])) * len(vetoes)  # + routing "general"
    assert {t["whisper_veto"] for t in record.tuning["trials"]} == set(vetoes)
    assert record.engine_options.get("whisper_veto") == best["whisper_veto"]
    assert {t["routing"] for t in record.tuning["trials"]} == {"scores", "general"}
    assert best["eligible"] and best["out_harmed"] <= TuningOptions().max_out_harmed_share
    # pocketsphinx's input denoised or not, whichever tuned the hybrid better on the dev set
    assert grid["denoise"] == [False, True] and set(record.tuning["by_denoise"]) == {"false", "true"}
    assert ("denoise" in record.engine_options) is record.tuning["denoise"]
    chosen = record.tuning["by_denoise"][str(record.tuning["denoise"]).lower()]["best"]
    assert chosen == best
    assert record.metrics["dev_unadapted"] == registry.get(parts["whisper"]).metrics["dev_unadapted"]


def test_a_hybrid_version_loads_the_whisper_it_was_tuned_with(hybrid_trained: tuple[Settings, ModelVersion],
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOXSEARCH_MODEL_CACHE", str(tmp_path))
    settings, version = hybrid_trained
    record = ModelRegistry(settings.home).get(version.version)
    engine = engine_from_version(replace(record, engine_options={**record.engine_options, "whisper_model": "base"}),
                                 settings)
    try:
        assert engine.general.info.version.split("/")[1] == "base"  # type: ignore[attr-defined]
    finally:
        engine.close()  # type: ignore[attr-defined]
    served = settings.with_engine(whisper_model="base")
    engine = engine_from_version(record, served)  # tuned with tiny.en: serving settings do not swap it
    try:
        assert engine.general.info.version.split("/")[1] == "tiny.en"  # type: ignore[attr-defined]
    finally:
        engine.close()  # type: ignore[attr-defined]


def test_a_hybrid_version_with_an_unusable_veto_is_refused(hybrid_trained: tuple[Settings, ModelVersion]) -> None:
    settings, version = hybrid_trained
    record = ModelRegistry(settings.home).get(version.version)
    bad = replace(record, engine_options={**record.engine_options, "whisper_veto": "high"})
    with pytest.raises(ModelError, match="whisper_veto 'high'.*train the version again"):
        engine_from_version(bad, settings)


@pytest.mark.parametrize(
    ("routed", "other", "threshold", "expected"),
    [
        ("play jolly in", "play jolene", 0.9, 1),  # the other names an entry well enough: it takes over
        ("play jolly in", "play jolene", 0.99, 0),  # not well enough for this threshold
        ("play jolene", "play jolly in", 0.5, 0),  # the routed text matches better: kept
        ("play jolene", "", 0.5, 0),  # nothing heard on the other side
        ("", "play jolene", 0.9, 1),
    ],
)
def test_verification_takes_the_better_catalog_match_above_the_threshold(routed: str, other: str, threshold: float,
                                                                         expected: int) -> None:
    scores = {"play jolene": 0.97, "play jolly in": 0.7}
    assert choose_verified(routed, other, lambda text: scores[text], threshold) == expected


@pytest.mark.parametrize(
    ("plain", "denoised", "expected"),
    [
        ((True, 0.369), (True, 0.372), True),  # within the margin: denoising, which helps noisy clips, is kept
        ((True, 0.338), (True, 0.319), True),
        ((True, 0.300), (True, 0.320), False),  # skipping it is better by more than the margin
        ((True, 0.400), (False, 0.300), False),  # only the eligible choice counts
        ((False, 0.300), (True, 0.400), True),
    ],
)
def test_denoising_is_kept_unless_skipping_it_is_clearly_better(plain: tuple[bool, float],
                                                                denoised: tuple[bool, float], expected: bool) -> None:
    from types import SimpleNamespace

    from voxsearch.train.train import _choose_denoise

    best = {False: SimpleNamespace(eligible=plain[0], wer=plain[1]),
            True: SimpleNamespace(eligible=denoised[0], wer=denoised[1])}
    assert _choose_denoise(best, margin=0.01) is expected
    assert _choose_denoise({False: best[False]}, margin=0.01) is False
