"""`voxsearch train --engine auto` (the shared `auto_trained` training): pocketsphinx, Whisper and their hybrid
tuned on the same dev set, the best one that keeps out-of-domain WER kept and promoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxsearch.config import Settings
from voxsearch.search import CatalogStore
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.train import TrainResult
from voxsearch.types import CatalogEntry

from tests.train.test_adaptation import _cli

pytest.importorskip("faster_whisper", reason="the whisper extra is not installed")
pytest.importorskip("pocketsphinx", reason="the pocketsphinx extra is not installed")


@pytest.mark.slow
def test_auto_keeps_the_engine_with_the_better_dev_score(auto_trained: tuple[Settings, TrainResult]) -> None:
    settings, result = auto_trained
    selection = result.metrics["engine_selection"]
    assert set(selection) == {"pocketsphinx", "whisper", "hybrid"}
    registry = ModelRegistry(settings.home)
    versions = {engine: registry.get(row["version"]) for engine, row in selection.items()}
    assert {engine: v.engine for engine, v in versions.items()} == {e: e for e in selection}
    assert len({v.dataset["sha256"] for v in versions.values()}) == 1  # the same dev set for all
    assert versions["hybrid"].metrics["parts"] == {e: selection[e]["version"] for e in ("pocketsphinx", "whisper")}
    assert versions["hybrid"].files == versions["pocketsphinx"].files  # its catalog LM and dictionary

    # the rule, computed here from the stored dev scores
    unadapted = [v.metrics["dev_unadapted"] for v in versions.values()]
    reference = {k: min(u[k] for u in unadapted) for k in ("wer_out", "wer_out_clean")}
    keeps = {e: all(row["dev"][k] <= reference[k] + 0.02 for k in reference) for e, row in selection.items()}
    ranks = {e: (keeps[e], row["dev"]["top1"], -row["dev"]["wer"]) for e, row in selection.items()}
    assert ranks[result.version.engine] == max(ranks.values())
    assert result.promoted and registry.promoted("places") == result.version.version

    # the hybrid's out-of-domain reference is unadapted Whisper, and its routing is eligible against it
    hybrid = versions["hybrid"].metrics
    assert hybrid["dev_unadapted"] == versions["whisper"].metrics["dev_unadapted"]
    assert hybrid["dev"]["wer_out"] <= hybrid["dev_unadapted"]["wer_out"] + 0.02


def test_one_dev_set_is_synthesized_for_every_engine(auto_trained: tuple[Settings, TrainResult],
                                                     auto_train_stages: list[str]) -> None:
    synthesized = [stage for stage in auto_train_stages if "synthesizing a dev set" in stage]
    assert len(synthesized) == 1, auto_train_stages
    assert auto_train_stages.index(synthesized[0]) < auto_train_stages.index(
        next(stage for stage in auto_train_stages if stage.startswith("pocketsphinx: ")))
    assert any(stage.startswith("hybrid: Whisper scoring the catalog hypotheses") for stage in auto_train_stages)


def test_an_unknown_engine_is_refused_with_the_choices(tmp_path: Path) -> None:
    home = tmp_path / "home"
    CatalogStore(home).import_entries([CatalogEntry(id="s1", title="Jolene, Dolly Parton", category="song")], "songs")
    done = _cli(home, "train", "--catalog", "songs", "--engine", "kaldi")
    assert done.returncode == 2
    assert "kaldi" in done.stderr and "auto" in done.stderr and "whisper" in done.stderr
