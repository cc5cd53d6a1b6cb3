"""`voxsearch train --engine auto`: pocketsphinx, Whisper and their hybrid tuned on the same dev set, the best
one that keeps out-of-domain WER kept and promoted; the hybrid routes catalog queries to the catalog LM."""

from __future__ import annotations

from pathlib import Path

import pytest

from voxsearch.config import Settings
from voxsearch.search import CatalogStore
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.synth_dev import SynthDevOptions, available_voices
from voxsearch.train.train import TrainOptions, train_model
from voxsearch.train.tuning import TuningOptions
from voxsearch.train.whisper_tuning import WhisperTuningOptions
from voxsearch.types import CatalogEntry

from tests.train.test_adaptation import _cli

pytest.importorskip("faster_whisper", reason="the whisper extra is not installed")
pytest.importorskip("pocketsphinx", reason="the pocketsphinx extra is not installed")

SONGS = [
    CatalogEntry(id="s1", title="Jolene, Dolly Parton", category="song", popularity=90),
    CatalogEntry(id="s2", title="Yellow Submarine, The Beatles", category="song", popularity=80),
    CatalogEntry(id="s3", title="Hotel California, Eagles", category="song", popularity=85),
    CatalogEntry(id="s4", title="Take Five, Dave Brubeck", category="song", popularity=60),
    CatalogEntry(id="s5", title="Bohemian Rhapsody, Queen", category="song", popularity=95),
]


@pytest.mark.slow
def test_auto_keeps_the_engine_with_the_better_dev_score(tmp_path: Path) -> None:
    if not available_voices():
        pytest.skip("no humanlike synthesizer installed (apt-get install flite) for the synthesized dev set")
    home = tmp_path / "home"
    CatalogStore(home).import_entries(SONGS, "songs")
    settings = Settings(home=home)
    options = TrainOptions(catalog="songs", engine="auto", promote=True,
                           synth=SynthDevOptions(in_domain_queries=8, out_domain_queries=4, conditions=("clean",)),
                           tuning=TuningOptions(bias_grid=(0.0, -0.1), posterior_weight_grid=(0.0,)),
                           whisper_tuning=WhisperTuningOptions(bonus_grid=(0.0, 4.0), token_bonus_grid=(0.0,),
                                                               hotwords_grid=(False,)))
    result = train_model(options, settings)

    selection = result.metrics["engine_selection"]
    assert set(selection) == {"pocketsphinx", "whisper", "hybrid"}
    registry = ModelRegistry(home)
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
    assert result.promoted and registry.promoted("songs") == result.version.version

    # the hybrid's out-of-domain reference is unadapted Whisper, and its routing is eligible against it
    hybrid = versions["hybrid"].metrics
    assert hybrid["dev_unadapted"] == versions["whisper"].metrics["dev_unadapted"]
    assert hybrid["dev"]["wer_out"] <= hybrid["dev_unadapted"]["wer_out"] + 0.02


def test_an_unknown_engine_is_refused_with_the_choices(tmp_path: Path) -> None:
    home = tmp_path / "home"
    CatalogStore(home).import_entries(SONGS, "songs")
    done = _cli(home, "train", "--catalog", "songs", "--engine", "kaldi")
    assert done.returncode == 2
    assert "kaldi" in done.stderr and "auto" in done.stderr and "whisper" in done.stderr
