"""Catalog adaptation of pocketsphinx on real synthesized speech: it must help in-domain, not hurt out-of-domain.

The catalog is small (the demo entries the committed clips ask for plus a few hundred popular others); the
model is tuned on the committed manifest's dev split (5 out-of-domain clips: the choice between the catalog
and the generic search must not hurt them) and both engines run through the real pipeline (VAD, ASR,
n-best search) on its test split, which tuning never sees.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from voxsearch.asr.registry import create_engine
from voxsearch.audio import load_audio
from voxsearch.config import EngineSettings, Settings
from voxsearch.errors import ModelError
from voxsearch.eval.dataset import EvalItem, load_eval_set
from voxsearch.eval.metrics import hit_rate, score_wer
from voxsearch.pipeline import Pipeline
from voxsearch.search import CatalogIndex, CatalogStore
from voxsearch.search.demo import build_demo_catalog
from voxsearch.train.dev_workers import decode_in_workers, default_train_jobs
from voxsearch.train.registry import ModelRegistry
from voxsearch.train.train import TrainOptions, TrainResult, train_model

MANIFEST = Path(__file__).parents[1] / "data" / "corpus" / "manifest.jsonl"
OTHER_ENTRIES = 300
MIN_WER_GAIN = 0.03  # in-domain WER must drop by at least 3 points
MIN_TOP1_GAIN = 0.05  # top-1 hit rate must rise by at least 5 points
MAX_OUT_WER_LOSS = 0.02


def import_small_places(home: Path) -> Settings:
    """The demo entries the committed clips ask for plus the most popular others, imported as "places"."""
    items = load_eval_set(MANIFEST).items
    targets = {i for item in items for i in item.expected}
    demo = build_demo_catalog()
    others = sorted((e for e in demo if e.id not in targets), key=lambda e: -e.popularity)[:OTHER_ENTRIES]
    CatalogStore(home).import_entries([e for e in demo if e.id in targets] + others, "places")
    return Settings(home=home, engine=EngineSettings(whisper_model="tiny.en"))  # not base, which is slower


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainResult]:
    settings = import_small_places(tmp_path_factory.mktemp("adapt-home"))
    return settings, train_model(TrainOptions(catalog="places", engine="pocketsphinx", data=MANIFEST), settings)


def run_test_split(settings: Settings, model: str) -> dict[str, float]:
    """`model`, a version id or an engine name (unadapted), through the real pipeline on the test split; the
    clips are spread over the cores as training spreads its dev clips (an engine and pipeline per worker)."""
    items = [i for i in load_eval_set(MANIFEST).items if i.tags.get("split") == "test"]
    heard = decode_in_workers(partial(_test_pipeline, settings, model), _recognize, items, default_train_jobs())
    texts, found = [text for text, _ in heard], [ids for _, ids in heard]
    inside = [n for n, item in enumerate(items) if item.in_domain]
    outside = [n for n, item in enumerate(items) if not item.in_domain]
    assert inside and outside
    return {
        "wer_in": score_wer([items[n].reference for n in inside], [texts[n] for n in inside]).wer,
        "wer_out": score_wer([items[n].reference for n in outside], [texts[n] for n in outside]).wer,
        "top1": hit_rate([items[n].expected for n in inside], [found[n] for n in inside], k=1).rate,
    }


def _test_pipeline(settings: Settings, model: str) -> tuple[Pipeline, CatalogIndex, Settings]:
    if model in ("pocketsphinx", "whisper"):
        engine = create_engine(settings.engine.model_copy(update={"name": model}))
    else:
        engine = ModelRegistry(settings.home).load_engine(model, settings)
    return Pipeline.with_engine(engine, settings), CatalogStore(settings.home).open("places"), settings


def _recognize(runner: tuple[Pipeline, CatalogIndex, Settings], item: EvalItem) -> tuple[str, list[str]]:
    pipeline, index, settings = runner
    answer = pipeline.recognize_audio(load_audio(item.path, settings.limits), index, top_k=1)
    return answer.transcript.text, [hit.id for hit in answer.results]


def assert_helps_in_domain(adapted: dict[str, float], baseline: dict[str, float], min_wer_gain: float,
                           min_top1_gain: float, max_out_wer_loss: float = MAX_OUT_WER_LOSS) -> None:
    """In-domain WER down and top-1 up by at least the margins; out-of-domain WER up by at most the loss."""
    assert adapted["wer_in"] <= baseline["wer_in"] - min_wer_gain
    assert adapted["top1"] >= baseline["top1"] + min_top1_gain
    assert adapted["wer_out"] <= baseline["wer_out"] + max_out_wer_loss


@pytest.mark.slow
def test_adaptation_helps_in_domain_and_keeps_out_of_domain(trained: tuple[Settings, TrainResult]) -> None:
    settings, result = trained
    adapted_engine = ModelRegistry(settings.home).load_engine(result.version.version, settings)
    assert adapted_engine.info.version == result.version.version
    assert adapted_engine.info.engine == "pocketsphinx"
    plain = run_test_split(settings, "pocketsphinx")
    adapted = run_test_split(settings, result.version.version)
    print(f"unadapted {plain}\nadapted   {adapted}")
    assert_helps_in_domain(adapted, plain, MIN_WER_GAIN, MIN_TOP1_GAIN)


def test_version_records_lineage_and_every_catalog_name_is_in_the_lm(trained: tuple[Settings, TrainResult]) -> None:
    settings, result = trained
    record = ModelRegistry(settings.home).verify(result.version.version)
    assert record.catalog["name"] == "places" and len(record.catalog["content_hash"]) == 64
    assert record.metrics["tuned"] is True and record.metrics["dev_clips"] == 5
    assert record.dataset["sha256"] == load_eval_set(MANIFEST).sha256
    grid = record.tuning["grid"]
    assert grid["denoise"] == [False, True]
    assert len(record.tuning["trials"]) == (len(grid["catalog_bias"]) * len(grid["catalog_posterior_weight"])
                                            * len(grid["lw"]) * len(grid["denoise"]))
    best = record.tuning["best"]
    assert record.engine_options["catalog_bias"] == best["catalog_bias"]
    assert ("denoise" in record.engine_options) is best["denoise"]  # the front end tuning chose
    assert record.code["voxsearch"]
    assert record.path is not None
    lm_words = {line.split("\t")[1] for line in (record.path / "catalog.lm").read_text().splitlines()
                if line.count("\t") >= 1 and " " not in line.split("\t")[1]}
    dict_words = {line.split()[0] for line in (record.path / "dictionary.dict").read_text().splitlines() if line}
    assert {"gdynia", "qingdao", "wuxi"} <= lm_words
    assert lm_words - {"<s>", "</s>"} <= dict_words  # every LM word can be recognized


def test_a_corrupt_version_is_refused(trained: tuple[Settings, TrainResult], tmp_path: Path) -> None:
    settings, result = trained
    assert result.version.path is not None
    home = tmp_path / "home"
    shutil.copytree(result.version.path, home / "models" / result.version.version)
    lm = home / "models" / result.version.version / "catalog.lm"
    data = bytearray(lm.read_bytes())
    data[len(data) // 2] ^= 0x01
    lm.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="catalog.lm"):
        ModelRegistry(home).load_engine(result.version.version, Settings(home=home))


def test_a_version_whose_lm_does_not_load_is_refused(tmp_path: Path) -> None:
    from voxsearch.train.registry import ModelVersion

    bad = tmp_path / "catalog.lm"
    bad.write_text("\\data\\\nngram 1=2\n\n\\1-grams:\nnot an arpa line\n", encoding="utf-8")
    registry = ModelRegistry(tmp_path / "home")
    version = registry.create(ModelVersion("draft", "pocketsphinx", {"name": "places", "content_hash": "x"},
                                           {"catalog_lm": "catalog.lm", "catalog_bias": 0.05}, {}),
                              {"catalog.lm": bad})
    with pytest.raises(ModelError, match="catalog.lm"):
        registry.load_engine(version.version, Settings(home=tmp_path / "home"))


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOXSEARCH_")}
    env["VOXSEARCH_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "voxsearch", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_models_cli_promote_show_and_rollback(trained: tuple[Settings, TrainResult]) -> None:
    settings, result = trained
    home, version = settings.home, result.version.version
    listed = _cli(home, "models", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert version in {json.loads(line)["version"] for line in listed.stdout.splitlines()}
    wrong = _cli(home, "models", "promote", version, "--catalog", "songs")
    assert wrong.returncode == 2 and "songs" in wrong.stderr
    promoted = _cli(home, "models", "promote", version, "--catalog", "places")
    assert promoted.returncode == 0, promoted.stderr
    assert ModelRegistry(home).promoted("places") == version
    shown = _cli(home, "models", "show", version)
    assert json.loads(shown.stdout)["catalog"]["name"] == "places"
    assert json.loads(shown.stdout)["train_runs"] == [result.run_id]  # the run that built it (runs list)
    clip = next(i for i in load_eval_set(MANIFEST).items if i.in_domain)
    recognized = _cli(home, "recognize", "--catalog", "places", str(clip.path))
    assert recognized.returncode == 0, recognized.stderr
    assert json.loads(recognized.stdout)["model"] == {"engine": "pocketsphinx", "version": version}
    back = _cli(home, "models", "rollback", "--catalog", "places")
    assert back.returncode == 0 and json.loads(back.stdout)["promoted"] is None
    assert ModelRegistry(home).promoted("places") is None
    again = _cli(home, "models", "rollback", "--catalog", "places")
    assert again.returncode == 2 and "no promoted model" in again.stderr
